"""Stage 4, render: a verified Project -> HTML pages and data files.

Templates are HTML, rendered by Jinja with autoescape: every value is escaped once, for
HTML, and nothing else interprets it (no Markdown pass over generated pages). Python
prepares every value a template shows (views.py); templates only loop and print.

A fact sheet's own `templates/pages/` overrides any default template of the same name,
which ships with the package. Pages render one at a time, when MkDocs asks for them.
"""

from __future__ import annotations

import functools
import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import jsonld
from .buildinfo import BuildInfo
from .export import export_csv, export_json, facts_data
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
    return env


def template_error(e: jinja2.TemplateError, root: Path) -> str:
    """'template error at templates/pages/x.html.j2:12: what', the file named from the root."""
    name = Path(getattr(e, "filename", None) or "templates")
    name = name.relative_to(root) if name.is_absolute() and name.is_relative_to(root) else name
    return f"template error at {name.as_posix()}:{getattr(e, 'lineno', None) or 1}: {e.message or e}"


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
        self.homed: dict[str, list[FactEntry]] = defaultdict(list)  # page -> the facts whose home it is
        for e in self.project.facts:
            self.homed[home_of(e)].append(e)

    @functools.cached_property
    def _data(self) -> dict[str, Any]:
        """The data files' content (computed when first needed: the preview's rebuild of
        a page that shows none of it does without)."""
        return facts_data(self.project, self.urls, self.build)

    @functools.cached_property
    def _exports(self) -> dict[str, str]:
        return {FACTS_JSON: export_json(self._data), FACTS_CSV: export_csv(self._data)}

    def pages(self) -> list[Page]:
        return self.plan

    def data_files(self) -> dict[str, str]:
        """facts.json, facts.csv, and each source's stored text, byte for byte."""
        texts = {stored_text(s.id): s.text.text for s in self.project.sources.values()}
        return dict(self._exports) | texts

    def view(self, page: Page) -> PageView:
        v = self.views
        builders: dict[str, Callable[[Page], PageView]] = {
            "home": v.home,
            "index": v.index,
            "item": v.item,
            "sources": v.sources,
            "source": v.source,
            "method": lambda p: v.method(p, self._data["statistics"], self._data["statistics"]["uncited_sentences"]),
            "data": self._data_view,
            "changes": self._changes_view,
        }
        return builders[page.kind](page)

    def _data_view(self, page: Page) -> PageView:
        from .datapage import data_view

        first = [*self.project.config.key_figures, *(f["id"] for f in self._data["facts"])][:1]
        example = next((f["cite"] for f in self._data["facts"] if f["id"] in first), None)
        return data_view(self.views, page, self.build, self._exports, example)

    def _changes_view(self, page: Page) -> PageView:
        from .history import changes_view

        return changes_view(self.views, page, self.history)

    def render(self, page: Page) -> str:
        """The page's HTML (its content, inside the theme's layout)."""
        view = self.view(page)
        nodes = jsonld.nodes(self.project, self.urls, page, self.homed.get(page.path, []), self.build)
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
