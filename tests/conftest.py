from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "000_5c7e69c2ab5f6869.txt"  # the seed article, where present
FIXTURES = REPO / "tests" / "fixtures"
# The engine is tested on fixture projects, never on the shipped content/: this one is a
# frozen copy of the seed fact sheet (tests/fixtures/seed-sheet/README.md).
SEED_SHEET = FIXTURES / "seed-sheet"
SOURCE_ID = "tdi-2023-05-02"

# The check's cache (generator/cache.py) of this test run, not the user's.
os.environ["FACTSHEET_CACHE"] = tempfile.mkdtemp(prefix="factsheet-test-cache-")


def copy_project(dest: Path, content: bool = True, source: Path = SEED_SHEET) -> Path:
    """A throwaway copy of a fixture project (content, docs, templates if it has its own,
    mkdocs.yml) to change freely. With content=False only the configuration is copied."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "docs", "mkdocs.yml", "content"):
        src = source / name
        if name == "content" and not content:  # the configuration alone, naming no facts
            config = yaml.safe_load((src / "site.yaml").read_text(encoding="utf-8"))
            config.pop("key_figures", None)
            (dest / "content").mkdir(exist_ok=True)
            text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
            (dest / "content" / "site.yaml").write_text(text, encoding="utf-8")
        elif src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
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
