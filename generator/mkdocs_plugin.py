"""The MkDocs adapter: plain `mkdocs build` / `mkdocs serve` generate the fact sheet.

on_files runs the pipeline and adds every page in memory (File.generated), so no
generated Markdown is ever written into the repository. Any diagnostic aborts the
build with a PluginError after all of them have been logged. on_post_build runs the
site check (publish.verify_site) on what MkDocs wrote. While serving, bad content
instead prints its diagnostics and becomes an error page (preview.py), so the preview
shows the problems and recovers on the next save rather than hanging.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .publish import Scanner, verify_site, with_csp
from .stream import Producer, ProducerError

if TYPE_CHECKING:
    from .validate import Project

log = get_plugin_logger("factsheet")


class StreamedFile(File):
    """A generated file whose content arrives from the Producer when MkDocs first reads it."""

    producer: Producer

    def _fetch(self) -> None:
        if self._content is None:
            try:
                self._content = self.producer.content(self.src_uri)
            except ProducerError as e:
                raise PluginError(f"factsheet: {e}") from e

    @property  # type: ignore[override]
    def content_string(self) -> str:
        self._fetch()
        return File.content_string.fget(self)  # type: ignore[attr-defined]

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)  # type: ignore[attr-defined]

    @property  # type: ignore[override]
    def content_bytes(self) -> bytes:
        self._fetch()
        return File.content_bytes.fget(self)  # type: ignore[attr-defined]

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]


class FactSheetConfig(Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")


class FactSheetPlugin(BasePlugin[FactSheetConfig]):
    """Registered as `factsheet` in the `mkdocs.plugins` entry-point group.

    Defining on_startup makes MkDocs keep this object across the rebuilds of one `serve`."""

    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.last_pages: set[str] = set()  # pages of the last good build, while serving
        self.producer: Producer | None = None  # checks and renders in a second process (builds only)
        self.streamed: list[StreamedFile] = []
        self.scanner: Scanner | None = None  # checks pages in a second process as they are written

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        self.last_pages = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """A build starts checking at once, in parallel with the rest of MkDocs' start.
        (`factsheet build` has started it already; a preview checks in process.)"""
        if not self.serving:
            root = self._root(config)
            self.producer = Producer.take(root) or Producer(root)
            self.producer.render(root / self.config.templates_dir)
        return config

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def _show_errors(self, files: Files, config: MkDocsConfig, lines: list[str], project: Project) -> Files:
        """Serving: print the problems (not through MkDocs' logger, whose errors would abort
        the rebuild under strict) and serve them as a page at every address."""
        from .preview import error_pages, pages_of

        print("\n".join(lines), file=sys.stderr, flush=True)
        for path, content in error_pages(lines, self.last_pages | pages_of(project), config.nav).items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        return files

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.producer is not None:
            return self._streamed_files(files, config)
        return self._files_in_process(files, config)

    def _files_in_process(self, files: Files, config: MkDocsConfig) -> Files:
        """The preview's way: check and render here, and show problems as pages."""
        import jinja2

        from .buildinfo import BuildInfo
        from .diagnostics import format_text
        from .editlinks import edit_paths
        from .pipeline import check, summary
        from .render import render, template_error

        root = self._root(config)
        project = check(root)
        if self.serving and project.report.has_errors:
            return self._show_errors(files, config, format_text(project.report, summary(project)).splitlines(), project)
        for d in project.report.sorted():
            (log.error if d.severity == "error" else log.warning)(str(d))
        if project.report.has_errors:
            raise PluginError(f"factsheet: {len(project.report.errors)} errors in {summary(project)}; nothing built")
        log.info(summary(project))
        build = BuildInfo.of(root)
        try:
            generated = render(project, root / self.config.templates_dir, build)
        except jinja2.TemplateError as e:
            message = "factsheet: " + template_error(e, root, Path(self.config.templates_dir))
            if self.serving:
                return self._show_errors(files, config, [message], project)
            raise PluginError(message) from e
        edit = edit_paths(project)
        for path, content in generated.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"factsheet: {existing.src_uri} in docs_dir clashes with a generated page")
            f = File.generated(config, path, content=content)
            f.edit_uri = edit.get(path)  # "Edit this page" opens the YAML that produced it
            files.append(f)
        if self.serving:
            self.last_pages = {p for p in generated if p.endswith(".md")}
        self.scanner = None  # the preview checks the written site in process
        return files

    def _streamed_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.producer is not None
        try:
            checked = self.producer.checked()
        except ProducerError as e:
            self._stop()
            raise PluginError(f"factsheet: {e}") from e
        for d in checked.report.sorted():
            (log.error if d.severity == "error" else log.warning)(str(d))
        if checked.report.has_errors:
            self._stop()
            raise PluginError(f"factsheet: {len(checked.report.errors)} errors in {checked.summary}; nothing built")
        log.info(checked.summary)
        self.streamed = []
        for path, edit in checked.pages:
            existing = files.get_file_from_path(path)
            if existing is not None:
                self._stop()
                raise PluginError(f"factsheet: {existing.src_uri} in docs_dir clashes with a generated page")
            f = StreamedFile.generated(config, path, content="")
            f._content = None  # arrives from the producer when MkDocs reads it
            f.producer = self.producer
            f.edit_uri = edit
            files.append(f)
            self.streamed.append(f)
        self.scanner = Scanner(Path(config.site_dir), parallel=True)
        return files

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page has been read; the data files are copied next, straight from `_content`.
        A page's Markdown now lives in its Page (MkDocs writes pages from there), so the
        file's copy is dropped: on a large site it is hundreds of MB."""
        for f in self.streamed:
            if f.is_documentation_page():
                f._content = ""
            else:
                f._fetch()
        self._stop()
        return env

    def _stop(self) -> None:
        if self.producer is not None:
            self.producer.close()
            self.producer = None
        self.streamed = []

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        output = output if self.serving else with_csp(output)  # the preview's live reload is an inline script
        if self.scanner is not None:
            self.scanner.written(page.file.dest_uri)
        return output

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return output if self.serving or not template_name.endswith(".html") else with_csp(output)  # 404.html

    def on_build_error(self, /, *, error: Exception) -> None:
        self._stop()
        if self.scanner is not None:
            self.scanner.close()
            self.scanner = None

    def on_post_build(self, /, *, config: MkDocsConfig) -> None:
        """Check links, anchors and scripts of the written site. This runs whatever the log
        level, so `mkdocs build --strict -q` (mkdocs#4126) and `-v` (mkdocs#3991), which
        can miss broken links and anchors, still fail on them."""
        scanner, self.scanner = self.scanner, None
        problems = scanner.problems() if scanner is not None else verify_site(Path(config.site_dir))
        for p in problems:
            log.error(p)
        if problems:
            raise PluginError(f"factsheet: site check found {len(problems)} problems")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        server.watch(str(root / self.config.content_dir))
        server.watch(str(root / self.config.templates_dir))
        return server
