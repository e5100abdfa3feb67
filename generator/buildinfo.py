"""When and from which commit a site is built, reproducibly (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .clock import source_date_epoch


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


@dataclass(frozen=True)
class BuildInfo:
    commit: str | None  # short hash, or None outside git
    dirty: bool  # content/ or templates/ differ from the commit
    date: str | None  # ISO date-time (UTC) from SOURCE_DATE_EPOCH

    @classmethod
    def of(cls, root: Path) -> BuildInfo:
        epoch, _ = source_date_epoch(root)
        date = None
        if epoch is not None:
            date = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        commit = _git(root, "rev-parse", "--short=12", "HEAD")
        dirty = bool(commit and _git(root, "status", "--porcelain", "--", "content", "templates"))
        return cls(commit, dirty, date)
