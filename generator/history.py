"""What changed: every fact added, changed or removed, by date, from the repository's
history at build time, so corrections are as visible as a newsroom's.

The walk reads git, never the working tree: the commits on the first-parent line of HEAD
that touched content/facts/ (one `git log --raw`), and each fact file's version at each
of them (one `git cat-file --batch` for the blobs the log names). Consecutive versions are
compared fact by fact, by id: a fact whose data (as YAML data: formatting and comments
do not count) differs has changed; a fact moved to another file has not. So one commit
always gives the same page, on any machine, whatever the working tree holds.

The work grows with the number of fact versions in the history, not with commits times
facts: a commit costs the facts of the files it touched. Each distinct file version is
parsed once per build, and its parse is cached across builds by the blob's hash (git's
blobs never change). A file version that does not parse (a commit that could not have
been published) keeps the previous version of that file.

Outside git the page says so; in a shallow clone (CI's default checkout) the oldest
commit present is the starting point, and the page says history before it is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Report
from .load import MAX_YAML_BYTES, parse_bytes
from .model import COLLECTIONS as FACT_KEYS
from .registry import Page
from .views import PageView, Views, long_date

FACTS_DIR = "content/facts"
_FACT_FILE = re.compile(r"^content/facts/[^/]+\.yaml$")
MAX_LISTED = 2000  # changes listed one by one; beyond, older commits are counted


@dataclass(frozen=True)
class FactVersion:
    collection: str
    statement: str
    data: dict[str, Any]  # the fact's YAML data: scalars as text, as the content loader reads them


@dataclass(frozen=True)
class FactChange:
    kind: str  # added | changed | removed
    id: str
    collection: str
    statement: str  # the new statement (the last one, for a removed fact)
    fields: tuple[str, ...] = ()  # the keys that changed
    was: str | None = None  # the statement before, when it changed


@dataclass(frozen=True)
class Commit:
    sha: str
    time: int  # committer time, Unix seconds
    subject: str
    changes: tuple[FactChange, ...]
    first: bool = False  # the fact sheet's first version: every fact is new


@dataclass(frozen=True)
class ChangeLog:
    status: str  # ok | no-git | shallow | no-history | error
    commits: tuple[Commit, ...] = ()  # newest first
    message: str | None = None
    seconds: float = 0.0  # how long the walk took (reported by the build, never shown)


def _git(root: Path, *args: str, data: bytes | None = None, timeout: int = 300) -> bytes | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotePath=false", *args],
            input=data,
            capture_output=True,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


class _TextLoader(yaml.CSafeLoader):
    """libyaml's safe loader reading every scalar but null as text, as the content loader
    (load.py) does, so both give the same data for the same file."""


_TextLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
    for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def _parse(raw: bytes, path: str) -> Any:
    """A fact file's data, or None. A file with no '&' or '*' can hold no anchor or alias
    (the only way YAML grows a small file into a huge value): libyaml reads it, ~20x faster;
    any other goes through the content loader, which refuses anchors and aliases."""
    if len(raw) > MAX_YAML_BYTES:
        return None
    if b"&" not in raw and b"*" not in raw and b"!" not in raw:
        try:
            return yaml.load(raw.decode("utf-8"), Loader=_TextLoader)  # noqa: S506 - a safe loader
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            return None
    doc = parse_bytes(raw, path, Report())
    return None if doc is None else doc.data


def facts_of_blob(raw: bytes, path: str) -> dict[str, FactVersion] | None:
    """The facts of one version of a fact file, by id; None when it does not parse."""
    data = _parse(raw, path)
    if not isinstance(data, dict):
        return None
    out: dict[str, FactVersion] = {}
    for coll in FACT_KEYS:
        items = data.get(coll)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] in out:
                continue
            statement = item.get("statement")
            out[item["id"]] = FactVersion(
                coll,
                statement if isinstance(statement, str) else str(item.get("name") or item.get("title") or item["id"]),
                item,
            )
    return out


class _BlobCache:
    """Parsed blob -> facts, kept across builds in the user's cache directory (never in the
    project), keyed by git's blob hash and this module's code."""

    def __init__(self, root: Path) -> None:
        from .cache import code_version, default_dir

        directory = default_dir()
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.path = None if directory is None else directory / f"{name}-history.json"
        self.version = code_version()
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.dirty = False
        if self.path is not None:
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved.get("version") == self.version:
                    self.entries = saved["blobs"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.entries = {}

    def get(self, sha: str) -> dict[str, FactVersion] | None | bool:
        """The facts, None (does not parse), or False (not cached)."""
        if sha not in self.entries:
            return False
        self.used.add(sha)
        value = self.entries[sha]
        if value is None:
            return None
        return {i: FactVersion(c, s, d) for i, (c, s, d) in value.items()}

    def put(self, sha: str, facts: dict[str, FactVersion] | None) -> None:
        self.entries[sha] = (
            None if facts is None else {i: [v.collection, v.statement, v.data] for i, v in facts.items()}
        )
        self.used.add(sha)
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not (self.dirty or set(self.entries) - self.used):
            return
        import os
        import tempfile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".history-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"version": self.version, "blobs": {k: self.entries[k] for k in sorted(self.used)}}, f)
            os.replace(tmp, self.path)
        except OSError:
            return


@dataclass
class _Step:
    sha: str
    time: int
    subject: str
    files: list[tuple[str, str | None]] = field(default_factory=list)  # (path, new blob or None: deleted)


def _log(root: Path) -> list[_Step] | None:
    out = _git(
        root,
        "log",
        "--first-parent",
        "--reverse",
        "--diff-merges=first-parent",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--relative",
        "--format=%x1f%H %ct %s",
        "--",
        FACTS_DIR,
    )
    if out is None:
        return None
    steps: list[_Step] = []
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith("\x1f"):
            sha, time, subject = (line[1:].split(" ", 2) + [""])[:3]
            steps.append(_Step(sha, int(time), subject.strip()))
        elif line.startswith(":") and steps:
            meta, _, path = line.partition("\t")
            parts = meta.split()
            if len(parts) < 5 or not _FACT_FILE.match(path):
                continue
            new, status = parts[3], parts[4]
            steps[-1].files.append((path, None if status.startswith("D") or set(new) == {"0"} else new))
    return steps


def _blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    out = _git(root, "cat-file", "--batch", data="".join(s + "\n" for s in shas).encode())
    blobs: dict[str, bytes] = {}
    if out is None:
        return blobs
    at = 0
    while at < len(out):
        nl = out.index(b"\n", at)
        head = out[at:nl].split()
        at = nl + 1
        if len(head) < 3 or head[1] != b"blob":
            continue
        size = int(head[2])
        blobs[head[0].decode()] = out[at : at + size]
        at += size + 1
    return blobs


def _compare(before: FactVersion | None, after: FactVersion | None, fact_id: str) -> FactChange | None:
    if before is None and after is None:
        return None
    if before is None:
        assert after is not None
        return FactChange("added", fact_id, after.collection, after.statement)
    if after is None:
        return FactChange("removed", fact_id, before.collection, before.statement)
    if before.data == after.data:
        return None
    keys = tuple(k for k in dict.fromkeys([*before.data, *after.data]) if before.data.get(k) != after.data.get(k))
    was = before.statement if before.statement != after.statement else None
    return FactChange("changed", fact_id, after.collection, after.statement, keys, was)


def walk(root: Path) -> ChangeLog:
    """The fact sheet's history, newest commit first."""
    import time

    started = time.perf_counter()
    root = Path(root)
    if _git(root, "rev-parse", "--git-dir") is None:
        return ChangeLog("no-git", message="This copy of the fact sheet is not a git repository.")
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        return ChangeLog("no-history", message="The repository has no commits yet.")
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    steps = _log(root)
    if steps is None:
        return ChangeLog("error", message="git could not read the history.")
    cache = _BlobCache(root)
    parsed: dict[str, dict[str, FactVersion] | None] = {}
    wanted = []
    for step in steps:
        for _, sha in step.files:
            if sha is None or sha in parsed:
                continue
            hit = cache.get(sha)
            if hit is False:
                wanted.append(sha)
                parsed[sha] = None
            else:
                parsed[sha] = hit  # type: ignore[assignment]
    paths = {sha: p for step in steps for p, sha in step.files if sha}
    for sha, raw in _blobs(root, list(dict.fromkeys(wanted))).items():
        parsed[sha] = facts_of_blob(raw, paths[sha])
        cache.put(sha, parsed[sha])
    cache.save()

    files: dict[str, dict[str, FactVersion]] = {}  # path -> its facts, as of the commit walked
    current: dict[str, tuple[str, FactVersion]] = {}  # fact id -> (path, version)
    commits: list[Commit] = []
    for n, step in enumerate(steps):
        touched: dict[str, FactVersion | None] = {}
        updates = []
        for path, sha in step.files:
            new = {} if sha is None else parsed.get(sha)
            if new is None:
                continue  # a version that does not parse was never published: keep the last one
            updates.append((path, new))
            for i in (*files.get(path, {}), *new):
                if i not in touched:
                    touched[i] = current[i][1] if i in current else None
        for path, _ in updates:
            for i in files.get(path, {}):
                if i in current and current[i][0] == path:
                    del current[i]
        for path, new in updates:
            files[path] = new
            for i, v in new.items():
                current.setdefault(i, (path, v))
        if n == 0 and shallow:
            continue  # the oldest commit of a shallow clone: its facts are the starting point
        changes = [c for i, before in touched.items() if (c := _compare(before, current.get(i, ("", None))[1], i))]
        if changes:
            commits.append(Commit(step.sha, step.time, step.subject, tuple(changes), first=n == 0))
    message = None
    if shallow:
        since = steps[0].time if steps else None
        when = "" if since is None else " before " + _day(since).isoformat()
        message = (
            f"This copy of the repository is a shallow clone: changes{when} are not in it, so they are not listed. "
            "A full clone (actions/checkout with fetch-depth: 0) lists them all."
        )
    return ChangeLog(
        "shallow" if shallow else "ok",
        tuple(reversed(commits)),
        message,
        time.perf_counter() - started,
    )


def _day(t: int) -> dt.date:
    return dt.datetime.fromtimestamp(t, dt.UTC).date()


# --- the page ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeItem:
    kind: str  # added | changed | removed
    fact_id: str
    statement: str
    link: str | None  # the fact's permalink, while it exists
    fields: str  # "statement, citations" for a change
    was: str | None


@dataclass(frozen=True)
class CommitView:
    sha: str  # short
    subject: str
    first: bool
    items: list[ChangeItem]
    summary: str  # "2 added, 1 changed"


@dataclass(frozen=True)
class ChangeDay:
    id: str
    date: str
    commits: list[CommitView]


@dataclass
class ChangesView(PageView):
    note: str | None
    days: list[ChangeDay]
    totals: str
    not_listed: int  # changes beyond MAX_LISTED, counted only


def _summary(changes: tuple[FactChange, ...]) -> str:
    n = {k: sum(c.kind == k for c in changes) for k in ("added", "changed", "removed")}
    return ", ".join(f"{v} {k}" for k, v in n.items() if v)


def changes_view(views: Views, page: Page, log: ChangeLog | None) -> ChangesView:
    if log is None:
        log = ChangeLog("no-git", message="The history was not read for this build.")
    facts = views.facts
    days: dict[str, list[CommitView]] = {}
    listed = 0
    not_listed = 0
    for c in log.commits:
        if listed >= MAX_LISTED:
            not_listed += len(c.changes)
            continue
        items = []
        for ch in c.changes:
            e = facts.get(ch.id)
            link = views.urls.fact(page.path, e) if e is not None and ch.kind != "removed" else None
            items.append(ChangeItem(ch.kind, ch.id, ch.statement, link, ", ".join(ch.fields), ch.was))
        listed += len(items)
        day = _day(c.time).isoformat()
        days.setdefault(day, []).append(CommitView(c.sha[:12], c.subject, c.first, items, _summary(c.changes)))
    all_changes = tuple(ch for c in log.commits for ch in c.changes if not c.first)
    note = log.message
    if log.status in ("ok", "shallow") and views.build is not None and views.build.dirty:
        note = (note + " " if note else "") + "Changes not yet committed are not listed."
    return ChangesView(
        page.path,
        page.title,
        [],
        note,
        [ChangeDay(f"d-{d}", long_date(dt.date.fromisoformat(d)), cs) for d, cs in days.items()],
        _summary(all_changes) or "none",
        not_listed,
    )
