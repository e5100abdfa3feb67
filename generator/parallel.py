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

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import Cache, digest, encode
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


def _missing(cache: Cache, files: list[Path]) -> list[tuple[Any, str, tuple[str, str]]]:
    """The jobs for what the cache lacks, in the order of `files`: each with its cache key."""
    jobs: list[tuple[Any, str, tuple[str, str]]] = []
    for p in files:
        try:
            if p.suffix == ".txt":
                key = ("sentences", sentences_key(digest(p.read_bytes()), _override(p)))
            else:
                key = ("yaml", digest(p.read_bytes()))
        except (OSError, UnicodeDecodeError):
            continue
        if key[1] not in cache.entries[key[0]]:
            jobs.append((_text_job if key[0] == "sentences" else _yaml_job, str(p), key))
    return jobs


def _run(jobs: list[tuple[Any, str]]) -> list[tuple[str, str, bytes] | None]:
    """A chunk of jobs, each value encoded here: the parent stores bytes, and neither
    process pickles the value's objects."""
    out: list[tuple[str, str, bytes] | None] = []
    for job, path in jobs:
        try:
            result = job(path)
        except Exception:  # noqa: BLE001 - the pipeline reads the file again and reports it
            result = None
        out.append(None if result is None else (result[0], result[1], encode(result[2])))
    return out


def workers() -> int:
    setting = os.environ.get("FACTSHEET_WORKERS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Filling:
    """The workers' results, put in the cache as the pipeline asks for them.

    Each chunk of jobs is a future; the cache holds, for each key a chunk will fill, a
    function that waits for that chunk (Cache.pending), so the pipeline reads the files
    in its own order and works on the first ones while the workers split the rest."""

    def __init__(self, cache: Cache, pool: Any = None) -> None:
        self.cache, self.pool, self.jobs = cache, pool, 0
        self._waits: list[Callable[[], None]] = []

    def add(self, future: Any, keys: list[tuple[str, str]]) -> None:
        cache = self.cache
        box = [future]  # let go of once its results are in the cache (which keeps them on disk)

        def wait() -> None:
            if not box:
                return
            try:
                results = box.pop().result()
            except Exception:  # noqa: BLE001 - a broken pool: the pipeline computes these itself
                results = []
            for r in results:
                if r is not None:
                    cache.put_encoded(*r)
            for k in keys:
                cache.pending.pop(k, None)

        for k in keys:
            cache.pending[k] = wait
        self._waits.append(wait)
        self.jobs += len(keys)

    def close(self) -> None:
        """Every result in the cache, the workers gone."""
        for wait in self._waits:
            wait()
        self._waits = []
        self.cache.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None


def fill(cache: Cache, files: list[Path]) -> Filling:
    """Start computing what the cache lacks for these files (YAML files and source texts,
    in the order the pipeline reads them) on every core; close() the result when done.
    Does nothing on one core or when there is little to do."""
    filling = Filling(cache)
    n = workers()
    if n < 2 or len(files) < MIN_JOBS:
        return filling
    if len(cache.entries["yaml"]) + len(cache.entries["sentences"]) >= len(files) // 2:
        return filling  # mostly warm: reading and hashing every file here too would cost more than the few misses
    jobs = _missing(cache, files)
    if len(jobs) < MIN_JOBS:
        return filling
    import multiprocessing  # here: importing it costs a small check more than the check
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork when this process has one thread (no lock another thread holds can be copied
    # into a worker): the workers start at once, with the modules imported; spawn in a
    # threaded process (mkdocs serve)
    method = "fork" if threading.active_count() == 1 else "spawn"
    pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method), initializer=gc.enable)
    filling.pool = pool
    size = max(1, len(jobs) // (n * 16))
    for at in range(0, len(jobs), size):
        chunk = jobs[at : at + size]
        filling.add(pool.submit(_run, [(job, path) for job, path, _ in chunk]), [key for *_, key in chunk])
    return filling
