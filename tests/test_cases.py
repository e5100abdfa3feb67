"""Every invalid case gives exactly its expected diagnostics, and publishes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from casekit import case_dirs, lay_out
from conftest import run_cli


@pytest.mark.parametrize("case", case_dirs("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = lay_out(case, tmp_path / "proj")
    monkeypatch.chdir(root)
    code, out = run_cli("check")
    assert out == (case / "expected.txt").read_text(encoding="utf-8")
    assert code == 1
    code, _ = run_cli("build")
    assert code == 1
    assert not (root / "site").exists()
