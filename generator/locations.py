"""Where everything lives in the site. Pages, data files and links all ask here."""

from __future__ import annotations

import functools
import posixpath

from .validate import FactEntry

INDEX = "index.md"
METHOD = "method.md"
LANDMINES = "landmines.md"
MEETINGS = "meetings/index.md"
PARTICIPANTS = "participants/index.md"
STATEMENTS = "statements.md"  # statements tied to no meeting
FACTS_JSON = "data/facts.json"
FACTS_CSV = "data/facts.csv"


def source_page(source_id: str) -> str:
    return f"sources/{source_id}.md"


def meeting_page(meeting_id: str) -> str:
    return f"meetings/{meeting_id}.md"


def participant_page(participant_id: str) -> str:
    return f"participants/{participant_id}.md"


def fact_page(e: FactEntry) -> str:
    """The one page that carries the fact's permalink anchor `#fact-<id>`."""
    f = e.fact
    if e.collection == "participants":
        return participant_page(f.id)
    if e.collection == "meetings":
        return meeting_page(f.id)
    if e.collection in ("landmine_figures", "landmine_incidents"):
        return LANDMINES
    meeting = getattr(f, "meeting", None)
    return meeting_page(meeting) if meeting else STATEMENTS


def page_url(src_path: str) -> str:
    """The URL of a page relative to the site root (MkDocs with use_directory_urls)."""
    stem = src_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def fact_url(e: FactEntry) -> str:
    return f"{page_url(fact_page(e))}#fact-{e.fact.id}"


@functools.lru_cache(maxsize=8192)  # a page links to the same few pages many times
def _md_rel(from_page: str, to_page: str) -> str:
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


@functools.lru_cache(maxsize=8192)
def _html_rel(from_page: str, to_page: str) -> str:
    rel = posixpath.relpath("/" + page_url(to_page), "/" + page_url(from_page))
    return "" if rel == "." else rel + "/"


def md_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target between page sources; MkDocs rewrites and validates it."""
    return _md_rel(from_page, to_page) + (f"#{anchor}" if anchor else "")


def html_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A URL between built pages, for raw HTML (which MkDocs leaves alone)."""
    return _html_rel(from_page, to_page) + (f"#{anchor}" if anchor else "")


def data_link(from_page: str, data_path: str) -> str:
    """A URL from a built page to a data file (not a page)."""
    return posixpath.relpath("/" + data_path, "/" + (page_url(from_page) or "."))
