"""The build's notion of "now": SOURCE_DATE_EPOCH, else the last commit's time, else
(outside git) the newest publication date of the content's sources.

Nothing the build produces or judges depends on the wall clock when any of them is known,
so one commit, or one set of files without git, builds to the same bytes, and passes or
fails the same checks, on any day. Only a project without a commit and without a dated
source falls back to the wall clock, and says so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
from pathlib import Path


def last_commit_epoch(root: Path) -> int | None:
    """The committer time of HEAD in the repository at `root`, if it is one."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    if out.returncode != 0 or not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    return int(value) if int(value) <= MAX_EPOCH else None  # a commit dated past 9999 is no date


# The last second a date can be written YYYY-MM-DD: 9999-12-31 23:59:59 UTC.
MAX_EPOCH = 253402300799


def epoch_problem() -> str | None:
    """Why the SOURCE_DATE_EPOCH in the environment is unusable, if it is."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env and not (env.isascii() and env.isdigit()):
        return f"SOURCE_DATE_EPOCH={env[:40]!r} is not a whole number of seconds"
    if env and (len(env) > 12 or int(env) > MAX_EPOCH):
        return f"SOURCE_DATE_EPOCH={env[:40]} is past the year 9999"
    return None


_PUBLISHED = re.compile(rb"^published:[ \t]*[\"']?(\d{4})-(\d{2})-(\d{2})[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def content_epoch(root: Path) -> int | None:
    """Midnight UTC of the newest `published:` date of content/sources/*.yaml, if any.

    A pure function of the files' bytes (read only if they are regular files, at most
    256 KiB each), so the same files give the same date in any checkout, copy or archive."""
    directory = root / "content" / "sources"
    newest = None
    try:
        names = sorted(p for p in directory.iterdir() if p.name.endswith(".yaml"))
    except OSError:
        return None
    for path in names:
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > 256 * 1024:
                continue
            raw = path.read_bytes()
        except OSError:
            continue
        for m in _PUBLISHED.finditer(raw):
            try:
                day = dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                continue  # the check reports an impossible date
            newest = day if newest is None or day > newest else newest
    if newest is None:
        return None
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


def source_date_epoch(root: Path) -> tuple[int | None, str]:
    """(epoch, where it came from): SOURCE_DATE_EPOCH, else the last commit, else the
    newest source's publication date, else (None, ...)."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env and not epoch_problem():
        return int(env), "SOURCE_DATE_EPOCH"
    commit = last_commit_epoch(root)
    if commit is not None:
        return commit, "the last commit"
    content = content_epoch(root)
    if content is not None:
        return content, "the newest publication date in content/sources (no git commit)"
    return None, "the wall clock: no SOURCE_DATE_EPOCH, no git commit and no dated source"


def build_date(root: Path) -> tuple[dt.date, str]:
    """The UTC date the build is judged at, and where it came from."""
    epoch, origin = source_date_epoch(root)
    if epoch is None:
        return dt.datetime.now(dt.UTC).date(), origin
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date(), origin
