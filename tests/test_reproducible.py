"""Reproducible builds: one commit gives the same bytes in any directory, on any day,
under any hash seed, whatever order the filesystem lists files in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casekit import tree_hashes
from conftest import copy_project

from generator.buildinfo import BuildInfo
from generator.locations import Urls
from generator.pipeline import check
from generator.render import Renderer, default_templates, render_all

COMMIT_DATE = "2023-05-03T12:00:00+00:00"  # 1683115200
FAKETIME = shutil.which("faketime")


def need_faketime() -> None:
    if FAKETIME is None:
        if os.environ.get("CI"):
            pytest.fail("faketime is missing; .ci/run installs it from Debian")
        pytest.skip("faketime not installed (apt-get install faketime)")


def git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def build_at(root: Path, date: str, seed: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}  # from the commit, by default
    env |= {"PYTHONHASHSEED": seed, "TZ": "Pacific/Kiritimati" if seed == "1" else "America/Adak"}
    out = subprocess.run(
        [FAKETIME or "faketime", date, sys.executable, "-c", "from generator.cli import main; main()"]
        + ["build", "--root", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_faketime_really_moves_the_clock() -> None:
    need_faketime()
    out = subprocess.run(
        [FAKETIME or "faketime", "2031-02-03 04:05:06", sys.executable, "-c", "import time; print(time.time())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(out.stdout) > time.time() + 365 * 86400


def test_one_commit_builds_to_identical_bytes_in_two_places_on_two_dates(tmp_path: Path) -> None:
    need_faketime()
    repo = copy_project(tmp_path / "repo")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "content", cwd=repo)
    first, second = tmp_path / "a", tmp_path / "elsewhere" / "b-with-a-longer-name"
    for dest in (first, second):
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", str(repo), str(dest)], check=True, capture_output=True)
    build_at(first, "2031-02-03 04:05:06", "1")
    build_at(second, "2024-09-10 23:59:00", "2")
    a, b = tree_hashes(first / "site"), tree_hashes(second / "site")
    assert len(a) > 20
    assert a == b
    # the date in the output is the commit's, not either wall clock
    home = (first / "site" / "index.html").read_text()
    assert "<dd>2023-05-03 12:00 UTC, from commit <code>" in home  # the colophon
    assert "Built on 2023-05-03 12:00 UTC from commit <code>" in home


def test_output_does_not_depend_on_directory_listing_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "proj")
    # a third fact file, so the order of files matters if anything depends on it
    (root / "content/facts/landmines.yaml").rename(root / "content/facts/a-landmines.yaml")

    def pages() -> dict[str, str]:
        project = check(root, cache=False)
        assert not project.report.has_errors
        renderer = Renderer(project, [root / "templates", default_templates()], BuildInfo.of(root), Urls(False))
        return render_all(renderer)

    forward = pages()
    assert "figures/index.md" in forward and "data/facts.json" in forward
    real = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(sorted(real(self), reverse=True)))
    monkeypatch.setattr(os, "listdir", lambda path=".": sorted(_names(path), reverse=True))
    assert pages() == forward


def _names(path: str | os.PathLike[str]) -> list[str]:
    with os.scandir(path) as it:
        return [e.name for e in it]
