"""Check and render in a second process while MkDocs works in this one.

MkDocs builds on one core. A build starts a Producer as early as it can: on the second
core it loads, validates and verifies the content (while MkDocs imports itself and
reads its configuration), sends the diagnostics and the list of pages, then renders the
pages one by one, in the order MkDocs will read them, while MkDocs converts the ones
already sent. Our own work then costs the build little more than waiting for the check.

Nothing changes in what is checked or published: the build still stops at the first
diagnostic, before MkDocs reads any page, and a page MkDocs asks for that never arrives
(a template error, a crash) fails the build.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Report
from .parallel import start_worker

_handed: dict[Path, Producer] = {}


class ProducerError(Exception):
    """The producer could not render a page; the message says why."""


@dataclass
class Checked:
    report: Report
    summary: str
    pages: list[tuple[str, str | None]]  # (path, edit path) in render order; empty on errors


def _produce(conn: Any, root: str) -> None:
    from .cli import no_pydantic_plugins

    no_pydantic_plugins()  # this process only checks and renders
    import jinja2

    from .buildinfo import BuildInfo
    from .editlinks import edit_paths
    from .pipeline import check, summary
    from .render import page_plan, render, template_error

    try:
        project = check(Path(root))
        if project.report.has_errors:
            conn.send(("checked", Checked(project.report, summary(project), [])))
            return
        edit = edit_paths(project)
        conn.send(
            ("checked", Checked(project.report, summary(project), [(p, edit.get(p)) for p in page_plan(project)]))
        )
        try:
            templates = conn.recv()  # the build's templates directory, once MkDocs has read its config
        except EOFError:
            return  # the build ended without rendering
        try:
            render(project, Path(templates), BuildInfo.of(Path(root)), emit=lambda p, c: conn.send(("page", p, c)))
        except jinja2.TemplateError as e:
            conn.send(("error", template_error(e, Path(root), Path(templates))))
            return
        conn.send(("done", None))
    except BaseException as e:  # noqa: BLE001 - reported to the build, which fails
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


class Producer:
    """The second process of one build; see the module docstring."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._conn, self._proc = start_worker(_produce, str(self.root))
        self._checked: Checked | None = None
        self._pages: dict[str, str] = {}
        self._error: str | None = None
        self._done = False
        self._arrived = threading.Condition()
        self._reader: threading.Thread | None = None

    def _receive(self) -> None:
        try:
            kind, *rest = self._conn.recv()
        except (EOFError, OSError):
            kind, rest = "error", ["the checking process ended unexpectedly"]
        with self._arrived:
            if kind == "checked":
                self._checked = rest[0]
            elif kind == "page":
                self._pages[rest[0]] = rest[1]
            elif kind == "done":
                self._done = True
            else:
                self._error, self._done = rest[0], True
            self._arrived.notify_all()

    def _drain(self) -> None:
        """Take pages as fast as the producer makes them, so that it is never held up by
        a full pipe and has finished long before MkDocs needs the last file."""
        while not self._done:
            self._receive()

    def render(self, templates: Path) -> None:
        """Go on to render with these templates once the check has passed."""
        try:
            self._conn.send(str(templates))
        except (OSError, ValueError):
            pass  # the producer has ended; waiting for a page reports why

    def checked(self) -> Checked:
        """Wait for the check; raises ProducerError if it could not run."""
        while self._checked is None:
            if self._error:
                raise ProducerError(self._error)
            self._receive()
        return self._checked

    def content(self, path: str) -> str:
        """The rendered file at `path`, waiting for it if need be."""
        if self._reader is None:  # started here, after the build's last fork (publish.Scanner)
            self._reader = threading.Thread(target=self._drain, name="factsheet-pages", daemon=True)
            self._reader.start()
        with self._arrived:
            while path not in self._pages:
                if self._done:
                    raise ProducerError(self._error or f"{path} was not rendered")
                self._arrived.wait()
            return self._pages.pop(path)

    @classmethod
    def handoff(cls, producer: Producer) -> None:
        """Let the next build of `producer.root` (the MkDocs plugin) use this producer."""
        _handed[producer.root] = producer

    @classmethod
    def take(cls, root: Path) -> Producer | None:
        return _handed.pop(root.resolve(), None)

    def close(self) -> None:
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        if self._reader is not None:
            self._reader.join()  # ends at the producer's "done", or at EOF now that it has exited
        self._conn.close()
