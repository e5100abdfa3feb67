"""The build's notion of "now": SOURCE_DATE_EPOCH, else the last commit's time.

Nothing the build produces or judges depends on the wall clock when either is known, so
one commit builds to the same bytes, and passes or fails the same checks, on any day.
"""

from __future__ import annotations

import datetime as dt
import os
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
    return int(value) if out.returncode == 0 and value.isdigit() else None


def epoch_problem() -> str | None:
    """Why the SOURCE_DATE_EPOCH in the environment is unusable, if it is."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env and not env.isdigit():
        return f"SOURCE_DATE_EPOCH={env!r} is not a whole number of seconds"
    return None


def source_date_epoch(root: Path) -> tuple[int | None, str]:
    """(epoch, where it came from): SOURCE_DATE_EPOCH, else the last commit, else (None, ...)."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env and not epoch_problem():
        return int(env), "SOURCE_DATE_EPOCH"
    commit = last_commit_epoch(root)
    if commit is not None:
        return commit, "the last commit"
    return None, "the wall clock: no SOURCE_DATE_EPOCH and no git commit"


def build_date(root: Path) -> tuple[dt.date, str]:
    """The UTC date the build is judged at, and where it came from."""
    epoch, origin = source_date_epoch(root)
    if epoch is None:
        return dt.datetime.now(dt.UTC).date(), origin
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date(), origin
