"""Where everything lives in the built site, and the relative URLs between pages.

Pages are named by their source path (`meetings/x.md`, as MkDocs knows them); their
URLs follow MkDocs' two rules (`use_directory_urls`: `meetings/x/`, else
`meetings/x.html`). Every link is relative, so the site works under any sub-path and,
without directory URLs, from `file://`.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass

from .project import FactEntry
from .registry import home_of, source_page


@dataclass(frozen=True)
class Urls:
    directory_urls: bool = True
    site_url: str | None = None  # mkdocs.yml's site_url: where the site is published, if known

    def public(self, src_path: str, anchor: str = "") -> str:
        """The URL re-users get in the data: absolute under `site_url` when it is set,
        else relative to the site root."""
        url = self.dest(src_path) + (f"#{anchor}" if anchor else "")
        return url if not self.site_url else self.site_url.rstrip("/") + "/" + url

    def dest(self, src_path: str) -> str:
        """The URL of a page or file relative to the site root ('' for the home page)."""
        if not src_path.endswith(".md"):
            return src_path  # a data file keeps its path
        stem = src_path.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    def link(self, from_page: str, to: str, anchor: str = "") -> str:
        """A relative URL from one page to another page or file (and an anchor in it)."""
        if anchor and from_page == to:
            return f"#{anchor}"
        return _rel(self.dest(from_page), self.dest(to)) + (f"#{anchor}" if anchor else "")

    def fact(self, from_page: str, e: FactEntry) -> str:
        return self.link(from_page, home_of(e), f"fact-{e.fact.id}")

    def sentence(self, from_page: str, source_id: str, sentence_id: str) -> str:
        return self.link(from_page, source_page(source_id), sentence_id)


@functools.lru_cache(maxsize=16384)  # a page links to the same few pages many times
def _rel(from_url: str, to_url: str) -> str:
    base = posixpath.dirname("/" + from_url) if not from_url.endswith("/") else "/" + from_url.rstrip("/")
    target = "/" + to_url
    rel = posixpath.relpath(target, base or "/")
    if to_url.endswith("/") or to_url == "":
        rel = "./" if rel == "." else rel + "/"
    return rel
