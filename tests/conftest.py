from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "000_5c7e69c2ab5f6869.txt"
SOURCE_ID = "tdi-2023-05-02"

# The check's cache (generator/cache.py) of this test run, not the user's.
os.environ["FACTSHEET_CACHE"] = tempfile.mkdtemp(prefix="factsheet-test-cache-")


def copy_project(dest: Path, content: bool = True) -> Path:
    """A throwaway copy of the project (content, templates, mkdocs.yml) to change freely."""
    for name in ("templates", "mkdocs.yml") + (("content",) if content else ()):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "proj")


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
