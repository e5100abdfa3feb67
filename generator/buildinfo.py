"""When and from which commit a site is built, reproducibly (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def source_date_epoch(root: Path) -> str | None:
    """SOURCE_DATE_EPOCH from the environment, else the last commit's time, else None."""
    return os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1", "--format=%ct")


@dataclass(frozen=True)
class BuildInfo:
    commit: str | None  # short hash, or None outside git
    dirty: bool  # content/ or templates/ differ from the commit
    date: str | None  # ISO date-time (UTC) from SOURCE_DATE_EPOCH

    @classmethod
    def of(cls, root: Path) -> BuildInfo:
        epoch = source_date_epoch(root)
        date = None
        if epoch and epoch.isdigit():
            date = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        commit = _git(root, "rev-parse", "--short=12", "HEAD")
        dirty = bool(commit and _git(root, "status", "--porcelain", "--", "content", "templates"))
        return cls(commit, dirty, date)
