"""Checks of a built site before it is published: every internal link and #fragment
resolves, and nothing executable slipped into the HTML."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Scripts the built-in mkdocs theme and the search plugin ship; nothing else may run.
ALLOWED_SCRIPTS = {
    "js/jquery-3.6.0.min.js",
    "js/bootstrap.bundle.min.js",
    "js/base.js",
    "search/main.js",
    "js/darkmode.js",
}
# The built-in theme's one inline script: its base URL and keyboard shortcuts.
_THEME_INLINE = re.compile(r'\s*var base_url = "[./]*",\s*shortcuts = \{[a-z": 0-9,]*\};\s*')
_BAD_SCHEMES = ("javascript:", "data:", "file:", "vbscript:")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.scripts: list[str | None] = []
        self.inline: list[str] = []
        self.events: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name.startswith("on"):
                self.events.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.links.append((name, value))
        if tag == "script":
            a = dict(attrs)
            src = a.get("src")
            self.scripts.append(src)
            self._in_script = src is None
            if src is None:
                self.inline.append("" if a.get("type") != "application/ld+json" else "\0ld+json")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline[-1] += data


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return "</" not in text


def verify_site(site: Path) -> list[str]:
    """Problems found in a built site (empty when it is fit to publish)."""
    pages: dict[str, _Page] = {}
    for f in sorted(site.rglob("*.html")):
        p = _Page()
        p.feed(f.read_text(encoding="utf-8"))
        pages[f.relative_to(site).as_posix()] = p
    problems = []
    for rel, p in pages.items():
        for ev in p.events:
            problems.append(f"{rel}: event handler attribute {ev}")
        for code in p.inline:
            if code.startswith("\0ld+json"):
                if not _is_json(code[len("\0ld+json") :]):
                    problems.append(f"{rel}: a JSON-LD block that is not JSON")
                continue
            if not _THEME_INLINE.fullmatch(code):
                problems.append(f"{rel}: inline <script> {code.strip()[:60]!r}")
        for src in p.scripts:
            if src is None:
                continue
            path = urlsplit(src).path
            base = "" if path.startswith("/") else posixpath.dirname(rel)
            target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
            if target not in ALLOWED_SCRIPTS:
                problems.append(f"{rel}: unexpected script {src}")
        for attr, value in p.links:
            v = "".join(value.split()).lower()
            if v.startswith(_BAD_SCHEMES):
                problems.append(f"{rel}: {attr}={value[:60]!r} uses a forbidden scheme")
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or rel == "404.html":
                continue  # external, or MkDocs' 404 page with its root-relative links
            path = unquote(parts.path)
            if path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
                if value.endswith("/") or path.endswith("/") or (site / target).is_dir():
                    target = posixpath.join(target, "index.html")
                if target.startswith("../") or not (site / target).exists():
                    problems.append(f"{rel}: broken link {value}")
                    continue
            else:
                target = rel
            if parts.fragment and target.endswith(".html"):
                page = pages.get(target)
                if page is not None and unquote(parts.fragment) not in page.ids:
                    problems.append(f"{rel}: link {value} has no target #{parts.fragment}")
    return problems
