"""The factsheet command as an editor and CI use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import edit, run_cli


def test_check_passes_on_the_content_with_a_one_line_summary(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    code, out = run_cli("check")
    assert (code, out) == (0, "ok: 38 facts, 38 citations, 1 source\n")


def test_changing_one_digit_of_a_cited_figure_fails_at_that_line(project: Path) -> None:
    edit(project / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    code, out = run_cli("check", "--root", str(project))
    assert code == 1
    assert out.splitlines()[0] == (
        "content/facts/landmines.yaml:6:12: error[C204] number 298 in value is not in the quote (the quote has 2020, 299)"
    )
    assert out.splitlines()[-1] == "1 error, 0 warnings in 38 facts, 38 citations, 1 source"


def test_all_errors_are_reported_in_one_run_sorted(project: Path) -> None:
    edit(project / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    edit(
        project / "content/facts/participants.yaml",
        "quote: the U.S. Secretary of State",
        "quote: the US Secretary of State",
    )
    edit(project / "content/facts/participants.yaml", "kind: organisation", "kind: company")
    code, out = run_cli("check", "--root", str(project))
    lines = [line for line in out.splitlines() if not line.startswith("  hint")]
    assert code == 1
    assert [line.split(" error")[0] for line in lines[:-1]] == [
        "content/facts/landmines.yaml:6:12:",
        "content/facts/participants.yaml:36:16:",
        "content/facts/participants.yaml:39:11:",
    ]
    assert lines[-1] == "3 errors, 0 warnings in 37 facts, 37 citations, 1 source"


def test_json_format_carries_the_same_diagnostics(project: Path) -> None:
    edit(project / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    code, out = run_cli("check", "--root", str(project), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["diagnostics"] == [
        {
            "file": "content/facts/landmines.yaml",
            "line": 6,
            "column": 12,
            "code": "C204",
            "message": "number 298 in value is not in the quote (the quote has 2020, 299)",
            "hint": "state only what the source states; mark computed values with 'derived'",
            "severity": "error",
            "title": "number not in the quote",
            "doc": "DIAGNOSTICS.md#c204",
        }
    ]


def test_github_format_makes_annotations(project: Path) -> None:
    edit(project / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    code, out = run_cli("check", "--root", str(project), "--format", "github")
    assert code == 1
    assert out.splitlines()[0].startswith(
        "::error file=content/facts/landmines.yaml,line=6,col=12,title=C204::number 298 in value is not in the quote"
    )
