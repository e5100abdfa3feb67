"""A content-addressed cache for the two costly, pure steps of loading: reading a YAML
file into plain data, and splitting a source text into sentences.

Entries are keyed by the sha256 of the exact bytes they were computed from, under a
version that covers the code computing them, so an edited file, a new `.sents` override,
a changed loader or segmenter can never be answered from the cache. Only results that
produced no diagnostic are stored: a file with an error is always read again, so its
messages are always current. The cache holds derived data only; it is never the source
of a fact.

It lives outside the project (``$XDG_CACHE_HOME/factsheet/``, else ``~/.cache/factsheet/``),
so a pull request cannot plant one: an entry claiming clean data for a file that is not
clean would skip the strict checks. It is JSON, never pickle. ``FACTSHEET_CACHE=off``
turns it off; ``FACTSHEET_CACHE=<dir>`` puts it elsewhere. Without it every run is cold.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

FORMAT = 6


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_version() -> str:
    """Changes whenever anything that decides a cached value changes: the package's whole
    code, the installed pysbd and PyYAML (and whether PyYAML has libyaml), and the Python
    and Unicode versions (NFC and str.split decide sentence ids and folded text).

    Found without importing pysbd, PyYAML or importlib.metadata (a tenth of a second),
    so that a check answered from the cache (outcome.py) costs little more than reading
    the files."""
    import sys
    import unicodedata

    parts = [
        str(FORMAT),
        f"pysbd {_installed('pysbd', 'pysbd')}",
        f"PyYAML {_installed('yaml', 'PyYAML')} libyaml={_extensions('yaml', '_yaml.')}",
        sys.version,
        f"unicode {unicodedata.unidata_version}",
    ]
    h = hashlib.sha256("\0".join(parts).encode())
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _package_dir(module: str) -> Path | None:
    from importlib.util import find_spec

    try:
        spec = find_spec(module)  # finds it without importing it
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _installed(module: str, dist: str) -> str:
    """The version of the distribution `dist` that provides `module`, from the name of its
    .dist-info directory next to it (what importlib.metadata reads), or "none"."""
    package = _package_dir(module)
    if package is None:
        return "none"
    prefix = dist.lower().replace("-", "_") + "-"
    try:
        names = sorted(os.listdir(package.parent))
    except OSError:
        return "unknown"
    found = [n for n in names if n.lower().startswith(prefix) and n.endswith(".dist-info")]
    return ",".join(n[len(prefix) : -len(".dist-info")] for n in found) or f"unknown at {package}"


def _extensions(module: str, stem: str) -> str:
    """The compiled extension modules named stem* in the package: libyaml's binding."""
    package = _package_dir(module)
    try:
        names = sorted(os.listdir(package)) if package is not None else []
    except OSError:
        names = []
    return ",".join(n for n in names if n.startswith(stem) and n.endswith((".so", ".pyd"))) or "none"


def default_dir() -> Path | None:
    setting = os.environ.get("FACTSHEET_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factsheet"


def encode(value: Any) -> bytes:
    """A value as the cache file holds it: compact JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class Cache:
    """Entries of one project: kind ("yaml" or "sentences") -> content key -> JSON value.

    Values stay on disk until asked for: `entries` holds where each one is (in the cache
    file as it was read, kept open, or in a scratch file the new values of this run are
    appended to), so a large project's cache costs a few bytes an entry in memory (at
    5,000 sources about 100 MB less than holding the JSON). The file is a header line
    with the version, then one line per entry: `kind key json`. `path=None` keeps no
    file between runs (still used to share parallel work)."""

    def __init__(
        self, path: Path | None = None, kinds: tuple[str, ...] = ("yaml", "sentences"), also: str = ""
    ) -> None:
        import threading

        self.path = path
        self.version = code_version() + also  # `also`: what else decides the values (a parser's version)
        # kind -> key -> (0: the file read, 1: the scratch file; offset; length) of the value's JSON
        self.entries: dict[str, dict[str, tuple[int, int, int]]] = {k: {} for k in kinds}
        self.used: dict[str, set[str]] = {k: set() for k in self.entries}
        self.dirty = False
        self.log: list[tuple[str, str]] | None = None  # when a list: every (kind, key) used, in order
        # (kind, key) -> waits until a worker's value for it is in (parallel.Filling)
        self.pending: dict[tuple[str, str], Callable[[], None]] = {}
        self._files: list[BinaryIO | None] = [None, None]
        self._scratch_size = 0
        self._lock = threading.Lock()  # reads and appends from several threads (the site check's scans)
        if path is not None:
            try:
                f = path.open("rb")
            except OSError:
                return  # missing or unreadable: start empty
            kept = False
            try:
                header = f.readline()
                if json.loads(header).get("version") == self.version:
                    offset = len(header)
                    for line in f:  # line by line: the values are never in memory
                        kind, key, value = line.split(b" ", 2)
                        start = offset + len(kind) + len(key) + 2
                        self.entries[kind.decode()][key.decode()] = (0, start, len(value.rstrip(b"\n")))
                        offset += len(line)
                    self._files[0], kept = f, True
            except (OSError, ValueError, TypeError, AttributeError, KeyError):
                self.entries = {k: {} for k in self.entries}  # unreadable or foreign: start empty
            finally:
                if not kept:
                    f.close()

    def _read(self, where: tuple[int, int, int]) -> bytes:
        which, offset, length = where
        with self._lock:
            f = self._files[which]
            if f is None:
                return b""
            f.seek(offset)
            return f.read(length)

    def close(self) -> None:
        """Let go of the files (the entries cannot be read after)."""
        with self._lock:
            for f in self._files:
                if f is not None:
                    f.close()
            self._files = [None, None]

    @classmethod
    def for_project(
        cls, root: Path, suffix: str = "", kinds: tuple[str, ...] = ("yaml", "sentences"), also: str = ""
    ) -> Cache:
        directory = default_dir()
        if directory is None:
            return cls(None, kinds, also)
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        return cls(directory / f"{name}{suffix}.json", kinds, also)

    def get(self, kind: str, key: str) -> Any:
        if self.pending:
            wait = self.pending.get((kind, key))
            if wait is not None:
                wait()
        where = self.entries[kind].get(key)
        if where is None:
            return None
        try:
            decoded = json.loads(self._read(where))
        except ValueError:
            return None
        self.use(kind, key)
        return decoded

    def use(self, kind: str, key: str) -> None:
        """Keep an entry in the file that save() writes: it was used in this run."""
        if key not in self.entries[kind]:
            return  # gone (another process rewrote the file): the next cold run makes it again
        self.used[kind].add(key)
        if self.log is not None:
            self.log.append((kind, key))

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_encoded(kind, key, encode(value))

    def put_encoded(self, kind: str, key: str, value: bytes) -> None:
        """put(), of a value encode() made (in a worker process: parallel.py)."""
        import tempfile

        with self._lock:
            f = self._files[1]
            if f is None:
                f = self._files[1] = tempfile.TemporaryFile(prefix="factsheet-cache-")
            f.seek(self._scratch_size)
            f.write(value)
            self.entries[kind][key] = (1, self._scratch_size, len(value))
            self._scratch_size += len(value)
        self.use(kind, key)
        self.dirty = True

    def save(self) -> None:
        """Write the entries used in this run (older ones are dropped), atomically.
        A cache that cannot be written is not an error: the next run is cold."""
        stale = any(set(v) - self.used[k] for k, v in self.entries.items())
        if self.path is None or not (self.dirty or stale):
            return
        import tempfile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=self.path.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps({"version": self.version}).encode() + b"\n")
                for kind, values in self.entries.items():
                    for key in sorted(self.used[kind]):
                        f.write(b"%s %s %s\n" % (kind.encode(), key.encode(), self._read(values[key])))
            os.replace(tmp, self.path)
        except OSError:
            return
