"""Checks of a built site before it is published: every internal link and #fragment
resolves, ids are unique, and nothing executable slipped into the pages.

The second line of defence after escaping: whatever a template, theme override or content
did, a page with a script other than the theme's, an event handler, an embedded frame
or object, a refresh, or a link to any scheme but http(s)/mailto is never published.
"""

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
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Attributes whose value a browser loads or navigates to.
URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "background",
    "data",
    "xlink:href",
    "ping",
    "manifest",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "archive",
    "srcset",
    "imagesrcset",
}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_STYLE_BAD = re.compile(r"javascript:|vbscript:|expression\s*\(|-moz-binding|behavior\s*:", re.IGNORECASE)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
SCANNED = ("*.html", "*.htm", "*.xhtml", "*.svg")


def scheme(url: str) -> str | None:
    """The scheme a browser would see: tabs and newlines removed, controls and spaces stripped."""
    v = re.sub(r"[\t\n\r]", "", url).strip(_C0_AND_SPACE)
    m = _SCHEME.match(v)
    return m.group(1).lower() if m else None


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.scripts: list[str | None] = []
        self.inline: list[str] = []
        self.problems: list[str] = []
        self._in_script = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                if value in self.ids:
                    self.duplicate_ids.append(value)
                self.ids.add(value)
            elif name == "name" and value:
                self.ids.add(value)
            if name.startswith("on"):
                self.problems.append(f"event handler attribute <{tag} {name}=...>")
            if name == "style" and value and _STYLE_BAD.search(value):
                self.problems.append(f"script in a style attribute <{tag} style={value[:40]!r}>")
            if name in URL_ATTRS and value is not None:
                if name.endswith("srcset"):
                    self.links += [(name, c.split()[0]) for c in value.split(",") if c.strip()]
                else:
                    self.links.append((name, value))
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element <{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("forbidden <meta http-equiv=refresh>")
        if tag == "script":
            a = dict(attrs)
            src = a.get("src")
            self.scripts.append(src)
            self._in_script = src is None
            if src is None:
                self.inline.append("" if a.get("type") != "application/ld+json" else "\0ld+json")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_script = self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline[-1] += data
        if self._in_style and _STYLE_BAD.search(data):
            self.problems.append("script in a <style> element")


def _resolve(rel: str, path: str) -> str:
    base = "" if path.startswith("/") else posixpath.dirname(rel)
    return posixpath.normpath(posixpath.join(base, path.lstrip("/")))


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return "</" not in text


def verify_site(site: Path) -> list[str]:
    """Problems found in a built site (empty when it is fit to publish)."""
    pages: dict[str, _Page] = {}
    files = sorted({f for pattern in SCANNED for f in site.rglob(pattern)})
    for f in files:
        p = _Page()
        p.feed(f.read_text(encoding="utf-8", errors="replace"))
        p.close()
        pages[f.relative_to(site).as_posix()] = p
    problems = []
    for rel, p in pages.items():
        problems += [f"{rel}: {msg}" for msg in p.problems]
        problems += [f"{rel}: duplicate id '{i}'" for i in sorted(set(p.duplicate_ids))]
        for code in p.inline:
            if code.startswith("\0ld+json"):
                if not _is_json(code[len("\0ld+json") :]):
                    problems.append(f"{rel}: a JSON-LD block that is not JSON")
                continue
            if rel.endswith(".svg") or not _THEME_INLINE.fullmatch(code):
                problems.append(f"{rel}: inline <script> {code.strip()[:60]!r}")
        for src in p.scripts:
            if src is None:
                continue
            parts = urlsplit(src)
            if parts.scheme or parts.netloc or rel.endswith(".svg") or _resolve(rel, parts.path) not in ALLOWED_SCRIPTS:
                problems.append(f"{rel}: unexpected script {src}")
        for attr, value in p.links:
            s = scheme(value)
            if s is not None and s not in ALLOWED_SCHEMES:
                problems.append(f"{rel}: {attr}={value[:60]!r} uses the forbidden scheme '{s}:'")
                continue
            problems += _check_internal(site, pages, rel, attr, value)
    return problems


def _check_internal(site: Path, pages: dict[str, _Page], rel: str, attr: str, value: str) -> list[str]:
    """An internal link must name an existing file, and its #fragment an id on that page."""
    parts = urlsplit(value.strip())
    if parts.scheme or parts.netloc:
        return []  # external
    path = unquote(parts.path)
    if path:
        target = _resolve(rel, path)
        if path.endswith("/") or (site / target).is_dir():
            target = posixpath.normpath(posixpath.join(target, "index.html"))
        if target.startswith("../") or target == ".." or not (site / target).is_file():
            return [f"{rel}: broken link {attr}={value}"]
    else:
        target = rel
    if parts.fragment and target in pages:
        if unquote(parts.fragment) not in pages[target].ids:
            return [f"{rel}: link {value} has no target #{unquote(parts.fragment)}"]
    return []
