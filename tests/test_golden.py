"""The rendered pages of a fixture project equal the reviewed golden files, byte for byte."""

from __future__ import annotations

import pytest
from golden import GOLDEN, SHEETS, golden_path, rendered


@pytest.mark.parametrize("sheet", SHEETS)
def test_rendered_pages_equal_the_golden_files(sheet: str) -> None:
    out = rendered(sheet)
    expected = sorted(p.relative_to(GOLDEN / sheet).as_posix() for p in (GOLDEN / sheet).rglob("*") if p.is_file())
    assert sorted(golden_path(sheet, p).relative_to(GOLDEN / sheet).as_posix() for p in out) == expected
    for page, content in out.items():
        want = golden_path(sheet, page).read_bytes().decode("utf-8")  # byte for byte: facts.csv ends lines in CRLF
        assert content == want, f"{page} differs from its golden file: review, then run tests/regen_golden.py"
