"""Every case directory behaves exactly as recorded, and the README's table says so.

Invalid cases: `factsheet check` prints exactly expected.txt and exits 1, and `factsheet
build` exits 1 leaving a previous site byte-identical. Valid cases (tricky but legitimate
content): check prints expected.txt and exits 0, the build publishes, the site check
passes and every text in shows.json is shown to the reader exactly as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casekit import CATEGORIES, TABLE_END, TABLE_START, about, case_dirs, run_case, table
from conftest import REPO


@pytest.mark.parametrize("case", case_dirs("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path) -> None:
    outcome = run_case(case)
    assert outcome.output == (case / "expected.txt").read_text(encoding="utf-8")
    assert outcome.check_code == 1
    assert outcome.build_code == 1
    assert outcome.site_unchanged


@pytest.mark.parametrize("case", case_dirs("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path) -> None:
    outcome = run_case(case)
    assert outcome.output == (case / "expected.txt").read_text(encoding="utf-8")
    assert (outcome.check_code, outcome.build_code) == (0, 0)
    assert outcome.problems == []


def test_every_row_of_the_adversarial_table_has_a_case() -> None:
    covered = {r for c in case_dirs("invalid") + case_dirs("valid") for r in about(c)["rows"]}
    assert covered == set(range(1, 33))
    assert set().union(*(rows for _, rows in CATEGORIES)) == set(range(1, 33))
    assert len(case_dirs("invalid")) >= 30


def test_readme_table_matches_the_cases() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(TABLE_START), readme.index(TABLE_END) + len(TABLE_END)
    assert readme[start:end] == table(), "run: .venv/bin/python tests/regen_cases.py"
