"""history.walk: the facts added, changed and removed by each commit, read from git only."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from conftest import copy_project
from test_data import commit, git

from generator.history import walk

FACT = """statements:
  - id: {id}
    statement: {text}
    attribution: null
    citations:
      - source: tdi-2023-05-02
        quote: They exchanged views on the ongoing conflicts in the region
"""


def kinds(log_commit: object) -> list[tuple[str, str]]:
    return [(c.kind, c.id) for c in log_commit.changes]  # type: ignore[attr-defined]


def test_outside_git_the_page_says_so(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    log = walk(root)
    assert log.status == "no-git" and log.commits == () and "not a git repository" in (log.message or "")


def test_added_changed_moved_removed_and_a_broken_version(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "first", "2023-05-03T12:00:00Z")
    facts = root / "content/facts"
    (facts / "extra.yaml").write_text(FACT.format(id="x-one", text="One."), encoding="utf-8")
    commit(root, "add one", "2023-05-04T12:00:00Z")
    # moved to another file, unchanged: no change
    (facts / "extra.yaml").rename(facts / "other.yaml")
    commit(root, "move", "2023-05-05T12:00:00Z")
    # a version that does not parse was never published: nothing listed, the next compares with the last good one
    (facts / "other.yaml").write_text("statements: [\n", encoding="utf-8")
    commit(root, "broken", "2023-05-06T12:00:00Z")
    (facts / "other.yaml").write_text(FACT.format(id="x-one", text="One, corrected."), encoding="utf-8")
    commit(root, "fix", "2023-05-07T12:00:00Z")
    (facts / "other.yaml").unlink()
    commit(root, "remove", "2023-05-08T12:00:00Z")
    # a commit that touches no fact file is not walked
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "x.md").write_text("x\n", encoding="utf-8")
    commit(root, "docs", "2023-05-09T12:00:00Z")

    log = walk(root)
    assert log.status == "ok"
    assert [c.subject for c in log.commits] == ["remove", "fix", "add one", "first"]
    remove, fix, add, first = log.commits
    assert kinds(remove) == [("removed", "x-one")] and remove.changes[0].statement == "One, corrected."
    assert kinds(fix) == [("changed", "x-one")] and fix.changes[0].fields == ("statement",)
    assert fix.changes[0].was == "One."
    assert kinds(add) == [("added", "x-one")]
    assert first.first and len(first.changes) == 38
    again = walk(root)
    assert (again.status, again.commits, again.message) == (log.status, log.commits, log.message)  # deterministic


def test_a_shallow_clone_starts_at_its_oldest_commit_and_says_so(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "first", "2023-05-03T12:00:00Z")
    (root / "content/facts/extra.yaml").write_text(FACT.format(id="x-one", text="One."), encoding="utf-8")
    commit(root, "add one", "2023-05-04T12:00:00Z")
    (root / "content/facts/extra.yaml").write_text(FACT.format(id="x-one", text="Two."), encoding="utf-8")
    commit(root, "change", "2023-05-05T12:00:00Z")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{root}", str(clone)], check=True, timeout=60)
    log = walk(clone)
    assert log.status == "shallow"
    assert [c.subject for c in log.commits] == ["change"]  # "add one" is the starting point, not listed as new
    assert "shallow clone" in (log.message or "") and "before 2023-05-04" in (log.message or "")


def test_a_long_history_is_walked_quickly(tmp_path: Path) -> None:
    """500 commits, each correcting one fact of 50 files of 20 facts (git fast-import
    writes the history in a moment): the walk takes about 2 s on an idle 2-core machine
    (~40 µs a fact version), a second walk reads the parsed versions from the cache. The
    bound is loose (a busy CI machine); a walk that grew with commits × facts would miss it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    files, commits = 50, 500
    stream = []

    def blob(f: int, version: int) -> bytes:
        items = "".join(
            FACT.format(id=f"f{f}-{i}", text=f"Fact {i} of file {f}, version {version if i == 0 else 0}.").split(
                "\n", 1
            )[1]
            for i in range(20)
        )
        return ("statements:\n" + items).encode()

    for n in range(commits):
        stream.append(f"commit refs/heads/main\ncommitter t <t@example.invalid> {1_700_000_000 + n * 60} +0000\n")
        stream.append("data 2\nc\n")
        changed = range(files) if n == 0 else [n % files]
        for f in changed:
            data = blob(f, n)
            stream.append(f"M 100644 inline content/facts/f{f}.yaml\ndata {len(data)}\n")
            stream.append(data.decode() + "\n")
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet"], input="".join(stream).encode(), check=True, timeout=120
    )
    started = time.perf_counter()
    log = walk(root)
    cold = time.perf_counter() - started
    assert len(log.commits) == commits and log.commits[0].changes[0].kind == "changed"
    assert sum(len(c.changes) for c in log.commits) == files * 20 + commits - 1
    started = time.perf_counter()
    assert walk(root).commits == log.commits
    warm = time.perf_counter() - started
    print(f"history of {commits} commits: {cold:.2f} s cold, {warm:.2f} s warm")
    assert cold < 30 and warm < cold
