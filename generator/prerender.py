"""Rendering ahead of MkDocs, on the other cores: forked workers render the planned pages
in plan order and stream each page's HTML back through a pipe, while MkDocs (one
process, one core) wraps, writes and checks the pages it already has.

A worker is a fork of the build made once the project is checked and the renderer is
set up, so it renders from the same objects, and a page's HTML is the same bytes
whichever process renders it (a test builds a site both ways and compares every file).
Only a little is ever held: a pipe holds at most about a page or two ahead, and a
worker blocks until MkDocs takes them. A page a worker could not render (a template
error) and every page of a worker that died are rendered by the build itself, which
then reports the error as it always does.

Workers are started only by `factsheet build` and `mkdocs build`, never while serving
(a server runs threads, and forking a process with threads is not safe), and not at all
with ``FACTSHEET_WORKERS=1`` (parallel.workers).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Sequence
from typing import BinaryIO, Generic, TypeVar

MIN_PAGES = 60  # below this, the build renders alone: a fork costs more than it saves
P = TypeVar("P")
_HEAD = struct.Struct("<cII")  # status (o: rendered, e: not), path length, HTML length


class Prerender(Generic[P]):
    """Forked workers rendering `pages` (page.path → HTML by `render`), worker i every
    workers-th page from the i-th."""

    def __init__(self, pages: Sequence[P], path: Callable[[P], str], render: Callable[[P], str], workers: int) -> None:
        self.where: dict[str, int] = {}  # page -> worker
        self.pipes: list[BinaryIO | None] = []
        self.pids: list[int] = []
        self.waiting: list[dict[str, str | None]] = []  # what arrived before it was asked for
        for w in range(workers):
            share = list(pages[w::workers])
            self.where.update((path(p), w) for p in share)
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: it holds no other worker's pipe (each sees its reader leave)
                os.close(read)
                for other in self.pipes:
                    if other is not None:
                        os.close(other.fileno())
                _work(write, share, path, render)  # never returns
            os.close(write)
            self.pids.append(pid)
            self.pipes.append(os.fdopen(read, "rb", buffering=1 << 20))
            self.waiting.append({})

    def take(self, path: str) -> str | None:
        """The page's HTML, or None: the build renders it itself."""
        w = self.where.pop(path, None)
        if w is None:
            return None
        waiting = self.waiting[w]
        while path not in waiting:
            got = self._read(w)
            if got is None:
                return None
            waiting[got[0]] = got[1]
        return waiting.pop(path)

    def _read(self, w: int) -> tuple[str, str | None] | None:
        pipe = self.pipes[w]
        if pipe is None:
            return None
        head = pipe.read(_HEAD.size)
        if len(head) < _HEAD.size:
            self._close(w)  # the worker is done, or died: the rest is rendered by the build
            return None
        status, n_path, n_html = _HEAD.unpack(head)
        body = pipe.read(n_path + n_html)
        if len(body) < n_path + n_html:
            self._close(w)
            return None
        html = body[n_path:].decode("utf-8", "surrogatepass") if status == b"o" else None
        return body[:n_path].decode("utf-8", "surrogatepass"), html

    def _close(self, w: int) -> None:
        pipe = self.pipes[w]
        if pipe is not None:
            pipe.close()
            self.pipes[w] = None
            os.waitpid(self.pids[w], 0)

    def close(self) -> None:
        """Stop the workers (a finished or failed build); wait for them to exit (a worker
        still writing gets EPIPE once its pipe is closed, and exits)."""
        for w in range(len(self.pipes)):
            self._close(w)


def _work(fd: int, pages: list[P], path: Callable[[P], str], render: Callable[[P], str]) -> None:
    code = 0
    try:
        with os.fdopen(fd, "wb", buffering=1 << 16) as out:
            for page in pages:
                try:
                    html, status = render(page).encode("utf-8", "surrogatepass"), b"o"
                except Exception:  # noqa: BLE001 - the build renders it again and reports it
                    html, status = b"", b"e"
                name = path(page).encode("utf-8", "surrogatepass")
                out.write(_HEAD.pack(status, len(name), len(html)) + name + html)
    except BaseException:  # noqa: BLE001 - a closed pipe (the build stopped), or anything: just end
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the build's own buffers
