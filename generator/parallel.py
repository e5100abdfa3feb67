"""Cold runs on many files: fill the cache on every core before the pipeline reads it.

The pipeline itself stays sequential and is the only place diagnostics come from. The
workers compute only what would be cached (the data of clean YAML files, the sentence
splits of source texts), each from the bytes of one file; the pipeline then finds these
results by content hash. A file a worker finds a problem in is simply not cached, and
the pipeline reads it again and reports the problem.

``FACTSHEET_WORKERS=<n>`` sets how many worker processes to start (``1``: none, the
check does everything itself); by default, one per core this process may run on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .cache import Cache, digest
from .diagnostics import Report
from .load import parse_bytes
from .sources import sentences_key, split_entry

MIN_JOBS = 200  # below this, starting the workers costs more than it saves


def _yaml_job(path: str) -> tuple[str, str, Any] | None:
    raw = Path(path).read_bytes()
    doc = parse_bytes(raw, path, Report())
    return None if doc is None else ("yaml", digest(raw), {"data": doc.data} | doc.positions())


def _override(txt: Path) -> str | None:
    sents = txt.with_suffix(".sents")
    if sents.is_symlink() or not sents.is_file():
        return None
    return sents.read_text(encoding="utf-8")


def _text_job(path: str) -> tuple[str, str, Any] | None:
    txt = Path(path)
    raw = txt.read_bytes()
    try:
        text, override = raw.decode("utf-8"), _override(txt)
    except (UnicodeDecodeError, OSError):
        return None
    report = Report()
    entry = split_entry(text, override, "", "", report)
    return None if report.diagnostics else ("sentences", sentences_key(digest(raw), override), entry)


def _missing(cache: Cache, yaml_files: list[Path], text_files: list[Path]) -> list[tuple[Any, str]]:
    jobs: list[tuple[Any, str]] = []
    for p in yaml_files:
        try:
            if digest(p.read_bytes()) not in cache.entries["yaml"]:
                jobs.append((_yaml_job, str(p)))
        except OSError:
            continue
    for p in text_files:
        try:
            key = sentences_key(digest(p.read_bytes()), _override(p))
        except (OSError, UnicodeDecodeError):
            continue
        if key not in cache.entries["sentences"]:
            jobs.append((_text_job, str(p)))
    return jobs


def _run(job: tuple[Any, str]) -> tuple[str, str, Any] | None:
    try:
        return job[0](job[1])
    except Exception:  # noqa: BLE001 - the pipeline reads the file again and reports it
        return None


def workers() -> int:
    setting = os.environ.get("FACTSHEET_WORKERS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def fill(cache: Cache, yaml_files: list[Path], text_files: list[Path]) -> int:
    """Compute what the cache lacks for these files in parallel; returns how many jobs ran.
    Does nothing on one core or when there is little to do."""
    n = workers()
    files = len(yaml_files) + len(text_files)
    if n < 2 or files < MIN_JOBS:
        return 0
    if len(cache.entries["yaml"]) + len(cache.entries["sentences"]) >= files // 2:
        return 0  # mostly warm: reading and hashing every file here too would cost more than the few misses
    jobs = _missing(cache, yaml_files, text_files)
    if len(jobs) < MIN_JOBS:
        return 0
    import multiprocessing  # here: importing it costs a small check more than the check
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the caller may be a threaded server (mkdocs serve)
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        for result in pool.map(_run, jobs, chunksize=max(1, len(jobs) // (n * 8))):
            if result is not None:
                cache.put(*result)
    return len(jobs)
