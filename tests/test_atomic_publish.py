"""A failed or interrupted build never damages the published site.

Failures are real: a MkDocs hook that raises, or kills the process outright, while pages
are being written; a process killed just before or just after the swap; a process killed
between the two renames of the fallback swap. After each, `site/` is byte-identical to
the previous site (or is the complete new one), and the next build cleans up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from casekit import tree_hashes
from conftest import copy_project, edit, run_cli

from generator.build import _exchange

HOOK = """
import os

pages = 0


def on_pre_build(config):
    global pages
    pages = 0  # MkDocs caches hook modules across builds in one process


def on_post_page(output, page, config):
    global pages
    pages += 1
    if pages == int(os.environ.get("FAIL_AT_PAGE", "0")):
        if os.environ.get("FAIL_HARD"):
            os._exit(3)  # the process dies: no exception handler, no cleanup
        raise RuntimeError(f"simulated failure while writing page {pages}")
    return output
"""


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a good site/ already published, and a failure hook installed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a test project is no git repository
    root = copy_project(tmp_path / "proj")
    (root / "fail_hook.py").write_text(HOOK)
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as fh:
        fh.write("hooks:\n  - fail_hook.py\n")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    # the next build would publish different pages, if it got that far
    edit(
        root / "content/facts/participants.yaml",
        "is the Foreign Minister of Azerbaijan.",
        "is the Foreign Minister of Azerbaijan (revised).",
    )
    return root


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


def run_build(root: Path, env: dict[str, str], prelude: str = "") -> subprocess.CompletedProcess[str]:
    """`factsheet build` in a new process, after `prelude` (which may patch the build)."""
    code = f"{prelude}\nimport sys\nfrom generator.cli import main\nsys.argv = ['factsheet', 'build', '--root', {str(root)!r}]\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_an_exception_while_writing_pages_leaves_the_site_untouched(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_hashes(published / "site")
    monkeypatch.setenv("FAIL_AT_PAGE", "3")
    code, out = run_cli("build", "--root", str(published))
    assert code == 1
    assert "simulated failure while writing page 3" in out
    assert tree_hashes(published / "site") == before
    assert leftovers(published) == []


def test_a_process_killed_while_writing_pages_leaves_the_site_untouched(published: Path) -> None:
    before = tree_hashes(published / "site")
    result = run_build(published, {"FAIL_AT_PAGE": "3", "FAIL_HARD": "1"})
    assert result.returncode == 3
    assert tree_hashes(published / "site") == before
    # it really died half-way: two pages of the new site were written into the temp dir
    (partial,) = [published / n for n in leftovers(published)]
    assert len([p for p in partial.rglob("*.html") if p.name not in ("404.html", "search.html")]) == 2
    # the next build removes the wreck and publishes
    assert run_cli("build", "--root", str(published))[0] == 0
    assert leftovers(published) == []
    assert "Minister of Azerbaijan (revised)" in (published / "site/participants/jeyhun-bayramov.html").read_text(
        encoding="utf-8"
    )


def test_a_failed_site_check_publishes_nothing(published: Path) -> None:
    before = tree_hashes(published / "site")
    edit(published / "mkdocs.yml", "  name: factsheet\n", "  name: factsheet\n  custom_dir: overrides\n")
    (published / "overrides").mkdir()
    (published / "overrides/main.html").write_text(
        '{% extends "base.html" %}{% block content %}<img src=x onerror=alert(1)>{{ super() }}{% endblock %}'
    )
    code, out = run_cli("build", "--root", str(published))
    assert code == 1
    assert "event handler attribute <img onerror=...>" in out
    assert tree_hashes(published / "site") == before


def test_killed_just_before_the_swap_keeps_the_old_site(published: Path) -> None:
    before = tree_hashes(published / "site")
    prelude = "import os\nimport generator.build as b\nb._swap = lambda new, final: os._exit(9)"
    assert run_build(published, {}, prelude).returncode == 9
    assert tree_hashes(published / "site") == before


def test_killed_just_after_the_swap_has_the_whole_new_site(published: Path, tmp_path: Path) -> None:
    prelude = (
        "import os\nimport generator.build as b\nreal = b._exchange\n"
        "def exchange(a, c):\n    assert real(a, c)\n    os._exit(9)\n"
        "b._exchange = exchange"
    )
    assert run_build(published, {}, prelude).returncode == 9
    assert "Minister of Azerbaijan (revised)" in (published / "site/participants/jeyhun-bayramov.html").read_text(
        encoding="utf-8"
    )
    assert run_cli("build", "--root", str(published))[0] == 0  # a clean rebuild of the same content
    after = tree_hashes(published / "site")
    assert leftovers(published) == []
    # what the crashed build published was complete: identical to the clean rebuild
    assert run_build(published, {}, prelude).returncode == 9
    assert tree_hashes(published / "site") == after


def test_killed_between_the_two_renames_of_the_fallback_the_next_build_restores_the_site(
    published: Path,
) -> None:
    before = tree_hashes(published / "site")
    prelude = (
        "import os\nimport generator.build as b\nb._exchange = lambda a, c: False\n"  # no renameat2
        "real = os.replace\ncalls = []\n"
        "def replace(src, dst):\n    real(src, dst)\n    calls.append(dst)\n    if len(calls) == 1:\n        os._exit(9)\n"
        "b.os.replace = replace"
    )
    # the cache of the check (written with os.replace too, in the checking process) is off,
    # so the first os.replace is the site swap's
    assert run_build(published, {"FACTSHEET_CACHE": "off"}, prelude).returncode == 9
    assert not (published / "site").exists()  # the gap the fallback has
    # even a build that fails its check puts the previous site back first
    edit(published / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    assert run_cli("build", "--root", str(published))[0] == 1
    assert tree_hashes(published / "site") == before
    assert leftovers(published) == []


def test_the_swap_is_one_atomic_exchange_on_this_filesystem(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f").write_text("new")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "f").write_text("old")
    assert _exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "f").read_text() == "new"
    assert (tmp_path / "a" / "f").read_text() == "old"


def test_a_successful_rebuild_replaces_every_file(published: Path) -> None:
    (published / "site" / "stale.html").write_text("<p>from an old build</p>")
    assert run_cli("build", "--root", str(published))[0] == 0
    assert not (published / "site" / "stale.html").exists()
    assert "Minister of Azerbaijan (revised)" in (published / "site/participants/jeyhun-bayramov.html").read_text(
        encoding="utf-8"
    )
