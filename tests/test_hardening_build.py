"""Issue 13, families 4 and 5: limits the check and the build agree on, and builds that
are reproducible without git."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casekit import tree_hashes
from conftest import SEED_SHEET, copy_project, run_cli

from generator.clock import build_date, content_epoch, source_date_epoch

FAKETIME = shutil.which("faketime")


def test_an_epoch_past_9999_is_a_diagnostic(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("253402300800", "9" * 5000):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        code, out = run_cli("check", "--root", str(project))
        assert code == 1 and "error[L105]" in out and "past the year 9999" in out
        code, out = run_cli("build", "--root", str(project))
        assert code == 1 and "Traceback" not in out and not (project / "site").exists()


def test_a_commit_dated_past_9999_is_no_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_project(tmp_path / "proj")
    env = {**os.environ, "GIT_AUTHOR_DATE": "@300000000000 +0000", "GIT_COMMITTER_DATE": "@300000000000 +0000"}
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    made = subprocess.run([*git, "commit", "-q", "-m", "x"], env=env, capture_output=True)
    if made.returncode != 0:
        pytest.skip("this git refuses a commit date past 9999")
    assert source_date_epoch(root)[1].startswith("the newest publication date")
    assert run_cli("check", "--root", str(root))[0] == 0


def test_a_fifo_among_many_fact_files_never_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTSHEET_CACHE", "off")  # cold: the files are loaded on every core
    root = copy_project(tmp_path / "proj", content=False)
    shutil.copytree(SEED_SHEET / "content" / "sources", root / "content" / "sources")
    facts = root / "content" / "facts"
    facts.mkdir(parents=True)
    for i in range(220):
        (facts / f"f{i:03}.yaml").write_text("participants: []\n")
    os.mkfifo(facts / "pipe.yaml")
    (facts / "zero.yaml").symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "content/facts/pipe.yaml:1:1: error[Y106] not a regular file" in done.stdout
    assert "content/facts/zero.yaml:1:1: error[Y106] not a regular file" in done.stdout


def test_site_dir_outside_the_project_is_refused_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_project(tmp_path / "proj")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_dir: site", "site_dir: ../victim"))
    code, out = run_cli("build", "--root", str(root))
    assert code == 1 and "outside the project" in out
    assert (victim / "precious.txt").read_text() == "keep me"
    for docs in ("../victim", "/etc"):
        config.write_text(config.read_text().replace("site_dir: ../victim", "site_dir: site"))
        config.write_text(config.read_text().replace("docs_dir: docs", f"docs_dir: {docs}"))
        code, out = run_cli("build", "--root", str(root))
        assert code == 1 and "docs_dir" in out and "outside the project" in out
        config.write_text(config.read_text().replace(f"docs_dir: {docs}", "docs_dir: docs"))
    config.write_text(config.read_text().replace("site_dir: site", "site_dir: content"))
    code, out = run_cli("build", "--root", str(root))
    assert code == 1 and "replaces site_dir whole" in out and (root / "content" / "facts").is_dir()
    config.write_text(config.read_text().replace("site_dir: content", "site_dir: ../victim"))
    monkeypatch.setenv("FACTSHEET_ALLOW_OUTSIDE", "1")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    assert out.strip().splitlines()[-1].endswith(f"into {victim.resolve()}")  # the real path, not "site"


def test_the_date_without_git_comes_from_the_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_project(tmp_path / "proj")
    assert content_epoch(root) == 1682985600  # 2023-05-02, the seed's publication date
    assert build_date(root)[0].isoformat() == "2023-05-02"


def _build_without_git(root: Path, date: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    cmd = [sys.executable, "-c", "from generator.cli import main; main()", "build", "--root", str(root)]
    out = subprocess.run([FAKETIME, date, *cmd], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def test_two_builds_of_the_same_files_without_git_are_identical(tmp_path: Path) -> None:
    if FAKETIME is None:
        if os.environ.get("CI"):
            pytest.fail("faketime is missing; .ci/run installs it from Debian")
        pytest.skip("faketime not installed (apt-get install faketime)")
    a, b = copy_project(tmp_path / "a"), copy_project(tmp_path / "elsewhere" / "b")
    _build_without_git(a, "2024-01-02 03:04:05")
    time.sleep(1)
    _build_without_git(b, "2031-07-08 09:10:11")
    ha, hb = tree_hashes(a / "site"), tree_hashes(b / "site")
    assert ha == hb, sorted(k for k in ha if ha[k] != hb.get(k))
    assert "2023-05-02" in (a / "site" / "index.html").read_text(encoding="utf-8")


def test_a_script_at_the_path_of_the_themes_own_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts are allowed by path only when they are the theme's own bytes: a pull request
    cannot replace the theme's script with its own from the docs directory."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_project(tmp_path / "proj")
    (root / "docs" / "js").mkdir(parents=True)
    (root / "docs" / "js" / "factsheet.js").write_text("alert(document.cookie)\n", encoding="utf-8")
    code, out = run_cli("build", "--root", str(root))
    assert code == 1
    assert "js/factsheet.js: a script at the path of one of the theme's that is not the theme's own file" in out
    assert not (root / "site").exists()
