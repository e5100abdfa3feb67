"""Stage 4, render: a verified Project -> HTML pages and data files.

Templates are HTML, rendered by Jinja with autoescape: every value is escaped once, for
HTML, and nothing else interprets it (no Markdown pass over generated pages). Python
prepares every value a template shows (views.py); templates only loop and print.

A fact sheet's own `templates/pages/` overrides any default template of the same name,
which ships with the package. Pages render one at a time, when MkDocs asks for them.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import jsonld
from .buildinfo import BuildInfo
from .cache import default_dir
from .export import Sink, csv_rows, csv_start, fact_record, facts_data, statistics, write_json
from .locations import Urls
from .project import FactEntry, Project
from .registry import FACTS_CSV, FACTS_JSON, METHOD, Page, home_of, site_plan, stored_text
from .views import PageView, Views

if TYPE_CHECKING:
    from .history import ChangeLog

# The anchors of the Method page that badges and the colophon link to: what "verified"
# means, each kind of attribution, and "single source".
LABELS = ("verified", "said", "according-to", "alleges", "narration", "single-source")


def default_templates() -> Path:
    """The templates that ship with the package (top-level templates/ in the repository)."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if (installed / "pages").is_dir() else here.parent / "templates"


def make_env(templates_dirs: list[Path]) -> jinja2.Environment:
    dirs = [str(d / "pages") for d in templates_dirs if (d / "pages").is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    compiled_templates(env, "pages")
    return env


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache (atomic writes, checksums), where a file that cannot be written
    is only a template compiled again next time. Like Python's .pyc files it holds code
    that runs, so it lives in the user's cache directory, never in the project."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compiled_templates(env: jinja2.Environment, kind: str) -> None:
    """Give a Jinja environment a bytecode cache in the cache directory, so that a build
    compiles each template once, not every time (a tenth of a second of a small build).

    Jinja files a template's compiled code under its name and path and checks its
    source's checksum; what else decides the code (the environment's syntax settings,
    autoescape, extensions, Jinja and Python) names the directory. An environment
    whose autoescape is a function is left as it is."""
    directory = default_dir()
    if directory is None or not isinstance(env.autoescape, bool):
        return
    settings = (
        kind,
        jinja2.__version__,
        sys.version,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.autoescape,
        env.is_async,
        sorted(env.extensions),
    )
    where = directory / f"jinja-{kind}-{hashlib.sha256(repr(settings).encode()).hexdigest()[:16]}"
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache: templates are compiled as without one
    env.bytecode_cache = _Compiled(str(where))


def template_error(e: jinja2.TemplateError, root: Path) -> str:
    """'template error at templates/pages/x.html.j2:12: what', the file named from the root.
    A syntax error names its place; an error while rendering (an undefined attribute) is
    placed by the innermost template frame of its traceback (Jinja gives those frames the
    template's file and line)."""
    filename, lineno = getattr(e, "filename", None), getattr(e, "lineno", None)
    if filename is None:
        tb = e.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith(".j2") or tb.tb_frame.f_globals.get("__jinja_template__") is not None:
                filename, lineno = code, tb.tb_lineno
            tb = tb.tb_next
    name = Path(filename or "templates")
    name = name.relative_to(root) if name.is_absolute() and name.is_relative_to(root) else name
    return f"template error at {name.as_posix()}:{lineno or 1}: {e.message or e}"


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)


_ID = re.compile(r'\sid="([^"]+)"')


def anchor_ids(page_html: str) -> set[str]:
    """Every id of a rendered page: the anchors other pages may link to."""
    return {html.unescape(m.group(1)) for m in _ID.finditer(page_html)}


_TAG = re.compile(r"<[^>]*>")


def headings(page_html: str) -> list[tuple[int, str, str]]:
    """(level, id, title) of every h2/h3 of a rendered page, for its table of contents. The
    title is escaped text with the heading's own tags removed: the theme wraps it in a link,
    and a link inside a link is no link a reader (or a screen reader) can use."""
    return [(int(m.group(1)), m.group(2), _TAG.sub("", m.group(3))) for m in _HEADING.finditer(page_html)]


@dataclass
class Renderer:
    """Renders the pages of one verified project on demand."""

    project: Project
    templates: list[Path]  # the fact sheet's own templates first, then the defaults
    build: BuildInfo
    urls: Urls
    history: ChangeLog | None = None  # the fact sheet's history (history.py); None: not computed

    def __post_init__(self) -> None:
        self.env = make_env(self.templates)
        self.env.globals["build"] = self.build
        self.views = Views(self.project, self.urls, self.build)
        self.plan = site_plan(self.project)
        # what the pages show of the data: the Method page's statistics, the Data page's
        # example and downloads (their sizes and sha256, known once they are written)
        self._statistics = statistics(self.project, self.urls)
        first = next(iter(self.project.config.key_figures), None)
        entry = next((e for e in self.project.facts if first in (None, e.fact.id)), None)
        self._example = None if entry is None else fact_record(self.project, self.urls, self.build, entry)["cite"]
        self._downloads: dict[str, tuple[int, str]] | None = None
        self.homed: dict[str, list[FactEntry]] = defaultdict(list)  # page -> the facts whose home it is
        for e in self.project.facts:
            self.homed[home_of(e)].append(e)

    def pages(self) -> list[Page]:
        return self.plan

    def data_files(self) -> dict[str, str]:
        """facts.json, facts.csv, and each source's stored text, byte for byte."""
        sinks = self._exports(lambda path: Sink())
        return {path: sink.text() for path, sink in sinks.items()} | self.stored_texts()

    def stored_texts(self) -> dict[str, str]:
        """Each source's stored text, byte for byte."""
        return {stored_text(s.id): s.text.text for s in self.project.sources.values()}

    def write_exports(self, site_dir: Path, moot: Callable[[], bool] | None = None) -> list[str]:
        """Write facts.json and facts.csv into the site, a record at a time (nothing of
        them is held); the paths written. Raises moot.GaveWay as soon as `moot` says so."""
        files = []
        for path in (FACTS_JSON, FACTS_CSV):
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            files.append(open(site_dir / path, "wb"))  # noqa: SIM115 - closed below
        try:
            self._exports(lambda path: Sink(files[(FACTS_JSON, FACTS_CSV).index(path)], moot))
        finally:
            for f in files:
                f.close()
        return [FACTS_JSON, FACTS_CSV]

    def _exports(self, sink: Callable[[str], Sink]) -> dict[str, Sink]:
        data = facts_data(self.project, self.urls, self.build)
        sinks = {FACTS_JSON: sink(FACTS_JSON), FACTS_CSV: sink(FACTS_CSV)}
        publishers = {s.id: s.meta.publisher for s in self.project.sources.values()}
        rows = csv_start(sinks[FACTS_CSV])

        def facts_and_rows(facts: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
            for f in facts:  # one pass: each fact's line of facts.json, then its rows of facts.csv
                csv_rows(rows, f, publishers)
                yield f

        data["facts"] = facts_and_rows(data["facts"])
        write_json(data, sinks[FACTS_JSON])
        self._downloads = {path: (s.size, s.sha256) for path, s in sinks.items()}
        return sinks

    def view(self, page: Page) -> PageView:
        v = self.views
        builders: dict[str, Callable[[Page], PageView]] = {
            "home": v.home,
            "index": v.index,
            "item": v.item,
            "sources": v.sources,
            "source": v.source,
            "method": lambda p: v.method(p, self._statistics, self._statistics["uncited_sentences"]),
            "data": self._data_view,
            "changes": self._changes_view,
        }
        return builders[page.kind](page)

    def _data_view(self, page: Page) -> PageView:
        from .datapage import data_view

        if self._downloads is None:  # rendered before the exports were written: make them to know
            self.data_files()
        assert self._downloads is not None
        return data_view(self.views, page, self.build, self._downloads, self._example)

    def _changes_view(self, page: Page) -> PageView:
        from .history import changes_view

        return changes_view(self.views, page, self.history)

    def render(self, page: Page) -> str:
        """The page's HTML (its content, inside the theme's layout)."""
        view = self.view(page)
        nodes = jsonld.nodes(
            self.project, self.urls, page, self.homed.get(page.path, []), self.build, self.views.attended
        )
        # where the badges explain what they mean, if the Method page does (a fact sheet's own
        # method template may not): a badge without it is no link
        extra = {"method": self.urls.link(page.path, METHOD)} if self.explains else {}
        return self.env.get_template(page.template).render(page=view, jsonld=jsonld.script(nodes), **extra)

    @functools.cached_property
    def explains(self) -> bool:
        """Whether the Method page defines "verified" and every label (LABELS) by anchor."""
        method = next((p for p in self.plan if p.kind == "method"), None)
        if method is None:
            return False
        html = self.env.get_template(method.template).render(page=self.view(method), jsonld="")
        return set(LABELS) <= anchor_ids(html)


def render_all(renderer: Renderer) -> dict[str, str]:
    """Every generated file at once: page HTML by source path, then the data files (tests,
    golden output)."""
    out = {p.path: renderer.render(p) for p in renderer.pages()}
    out.update(renderer.data_files())
    return out
