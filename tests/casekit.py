"""Shared by test_cases.py and regen_cases.py: lay a case over the real sources."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, copy_project

CASES = Path(__file__).resolve().parent / "cases"


def case_dirs(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def lay_out(case: Path, dest: Path) -> Path:
    root = copy_project(dest, content=False)
    shutil.copytree(REPO / "content" / "sources", root / "content" / "sources")
    (root / "content" / "facts").mkdir(parents=True, exist_ok=True)
    shutil.copytree(case / "content", root / "content", dirs_exist_ok=True, symlinks=True)
    deletions = case / "delete.txt"
    if deletions.exists():
        for line in deletions.read_text().split():
            (root / line).unlink()
    return root
