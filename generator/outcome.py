"""The outcome of a whole `factsheet check`, cached: what to print when nothing it reads changed.

A check is a pure function of the bytes of the content files, of what kind of file each
entry of the content directories is, of the build date (and where it came from), and
of the code (cache.code_version: the package, pysbd, PyYAML, Python, Unicode). The
fingerprint below covers all of them, so an unchanged project is answered with the
diagnostics and the summary line of the check that last saw exactly these inputs,
without importing the model, the segmenter or the loader. Any change, an edited byte,
a new or removed file, a file turned into a symbolic link, another day on the wall clock
(when that is the build date) or other code, is a miss, and the check runs in full
(its per-file caches, cache.py, still apply).

The outcome is stored only when the inputs were the same before and after the check
ran, so an edit made while it ran cannot be filed under the inputs it did not see. An
unusual layout (content/, its sources/ or facts/ not a plain directory, a file over
MAX_BYTES) is never answered from here. The file lives next to the project's cache
(outside the project, see cache.py), is JSON, and holds one outcome: the last.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from .cache import code_version, default_dir
from .clock import build_date, epoch_problem
from .diagnostics import Diagnostic, Report, Severity

FORMAT = 1
MAX_BYTES = 4 * 1024 * 1024  # over the largest file the check reads (a source text of 1 MiB)
DIRECTORIES = ("content", "content/sources", "content/facts")


def fingerprint(root: Path) -> str | None:
    """A digest of everything a check of `root` reads, or None for a layout never cached."""
    h = hashlib.sha256()
    for rel in DIRECTORIES:
        directory = root / rel
        try:
            if not stat.S_ISDIR(os.lstat(directory).st_mode):
                return None
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return None
        h.update(b"dir\0" + rel.encode() + b"\0")
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                return None
            h.update(os.fsencode(entry.name) + b"\0" + str(stat.S_IFMT(st.st_mode)).encode() + b"\0")
            if stat.S_ISREG(st.st_mode):
                if st.st_size > MAX_BYTES:
                    return None
                try:
                    with open(entry.path, "rb") as f:
                        data = f.read(MAX_BYTES + 1)
                except OSError:
                    return None
                h.update(b"%d\0" % len(data) + hashlib.sha256(data).digest())
    today, origin = build_date(root)
    when = [today.isoformat(), origin, epoch_problem() or "", os.environ.get("SOURCE_DATE_EPOCH", "")]
    h.update("\0".join(["when", *when, "code", code_version(), str(FORMAT)]).encode())
    return h.hexdigest()


def store_path(root: Path) -> Path | None:
    directory = default_dir()
    if directory is None:
        return None
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return directory / f"{name}-check.json"


def recall(root: Path) -> tuple[str | None, tuple[Report, str] | None]:
    """(the inputs' fingerprint, and the report and summary of a check of exactly these
    inputs, if one was stored)."""
    path = store_path(root)
    if path is None:
        return None, None
    key = fingerprint(root)
    if key is None:
        return None, None
    try:
        stored = json.loads(path.read_bytes())
        if stored["key"] != key:
            return key, None
        report = Report(
            [
                Diagnostic(str(f), int(ln), int(col), str(c), str(m), h, Severity(s))
                for f, ln, col, c, m, h, s in stored["diagnostics"]
            ]
        )
        return key, (report, str(stored["summary"]))
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return key, None  # missing, unreadable or foreign: the check runs


def remember(root: Path, key: str | None, report: Report, summary: str) -> None:
    """Store the outcome of a check that started with inputs `key`, if they are still the same."""
    path = store_path(root)
    if path is None or key is None or fingerprint(root) != key:
        return
    value: dict[str, Any] = {
        "key": key,
        "summary": summary,
        "diagnostics": [
            [d.file, d.line, d.column, d.code, d.message, d.hint, str(d.severity)] for d in report.diagnostics
        ],
    }
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".check-", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(json.dumps(value).encode())  # ASCII: a file name's undecodable bytes are escaped too
        os.replace(tmp, path)
    except OSError:
        return
