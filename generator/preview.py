"""Live preview of broken content: while `serve` runs, errors become a page, not a hang.

MkDocs 1.6 `serve` holds every request while a rebuild that raised is pending ("the server
will appear stuck"). So when serving, the plugin never raises on bad content: it prints
the diagnostics and puts this page at every address the preview had, so the page open in
the browser reloads into the list of problems, and back into the fact sheet once fixed.

The page is built here, without the templates (they may be what is broken), and every
line of it is escaped: diagnostics quote the editor's YAML.
"""

from __future__ import annotations

import html
from typing import Any

from .project import Project
from .registry import HOME, home_of, source_page

TITLE = "The fact sheet has errors"


def error_page_html(lines: list[str]) -> str:
    """The problems as HTML, every line escaped."""
    text = "\n".join(line.rstrip() for line in "\n".join(lines).splitlines() if line.strip())
    return (
        f"<h1>{TITLE}</h1>\n"
        "<p>The preview shows this page until the problems below are fixed. "
        "It reloads by itself when you save a file.</p>\n"
        f'<pre class="diagnostics">{html.escape(text, quote=True)}</pre>\n'
    )


def error_page(lines: list[str]) -> str:
    """A Markdown page listing the problems: a raw HTML block, which Markdown leaves alone."""
    return error_page_html(lines).replace("\n<p>", "\n\n<p>").replace("\n<pre", "\n\n<pre")


def nav_pages(nav: Any) -> set[str]:
    """Markdown paths named in an mkdocs.yml `nav:` (nested lists and mappings)."""
    found: set[str] = set()
    stack = [nav]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and item.endswith(".md") and "://" not in item:
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def pages_of(project: Project) -> set[str]:
    """Pages the facts that did validate would have, so a preview started on broken
    content shows the problems at those addresses too, not a 404."""
    return {home_of(e) for e in project.facts} | {source_page(s) for s in project.sources}


def error_pages(lines: list[str], pages: set[str], nav: Any) -> dict[str, str]:
    """The error page at every page path the preview served, or would serve."""
    page = error_page(lines)
    return {path: page for path in sorted(pages | nav_pages(nav) | {HOME})}
