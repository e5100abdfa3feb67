"""The MkDocs adapter: plain `mkdocs build` / `mkdocs serve` generate the fact sheet.

on_files runs the pipeline and adds every page in memory (File.generated), so no
generated Markdown is ever written into the repository. Any diagnostic aborts the
build with a PluginError after all of them have been logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .buildinfo import BuildInfo
from .editlinks import edit_paths
from .pipeline import check, summary
from .render import render

log = get_plugin_logger("factsheet")


class FactSheetConfig(Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")


class FactSheetPlugin(BasePlugin[FactSheetConfig]):
    """Registered as `factsheet` in the `mkdocs.plugins` entry-point group."""

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        root = self._root(config)
        project = check(root)
        for d in project.report.sorted():
            (log.error if d.severity == "error" else log.warning)(str(d))
        if project.report.has_errors:
            raise PluginError(f"factsheet: {len(project.report.errors)} errors in {summary(project)}; nothing built")
        log.info(summary(project))
        build = BuildInfo.of(root)
        try:
            generated = render(project, root / self.config.templates_dir, build)
        except jinja2.TemplateError as e:
            where = f"{getattr(e, 'filename', None) or 'templates'}:{getattr(e, 'lineno', None) or 1}"
            raise PluginError(f"factsheet: template error at {where}: {e.message or e}") from e
        edit = edit_paths(project)
        for path, content in generated.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"factsheet: {existing.src_uri} in docs_dir clashes with a generated page")
            f = File.generated(config, path, content=content)
            f.edit_uri = edit.get(path)  # "Edit this page" opens the YAML that produced it
            files.append(f)
        return files

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        server.watch(str(root / self.config.content_dir))
        server.watch(str(root / self.config.templates_dir))
        return server
