"""Checks of a built site before it is published: every internal link and #fragment
resolves, ids are unique, and nothing executable slipped into the pages.

The second line of defence after escaping: whatever a template, theme override or content
did, a page with a script other than the theme's, an event handler, an embedded frame
or object, a refresh, or a link to any scheme but http(s)/mailto is never published.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
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
SCANNED_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")  # files the check reads


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


@dataclass
class PageScan:
    """What the site check needs to know of one HTML or SVG file."""

    ids: set[str]
    duplicate_ids: list[str]
    links: list[tuple[str, str]]
    scripts: list[str | None]
    inline: list[str]
    problems: list[str]


def scan(text: str) -> PageScan:
    """Read one page (a pure function of its text, so it can run in another process)."""
    p = _Page()
    p.feed(text)
    p.close()
    return PageScan(p.ids, p.duplicate_ids, p.links, p.scripts, p.inline, p.problems)


def verify_site(site: Path, scans: dict[str, PageScan] | None = None) -> list[str]:
    """Problems found in a built site (empty when it is fit to publish).

    `scans` holds pages already read (by relative path); the rest are read here."""
    tree = _Tree(site)  # one walk of the site: the files to read and the link targets
    pages: dict[str, PageScan] = {}
    for rel in sorted((f for f in tree.files if f.endswith(SCANNED_SUFFIXES)), key=PurePosixPath):
        done = scans.get(rel) if scans else None
        pages[rel] = done if done is not None else scan((site / rel).read_text(encoding="utf-8", errors="replace"))
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
        directory = posixpath.dirname(rel)
        for attr, value in p.links:
            s = tree.scheme(value)
            if s is not None and s not in ALLOWED_SCHEMES:
                problems.append(f"{rel}: {attr}={value[:60]!r} uses the forbidden scheme '{s}:'")
                continue
            problems += _check_internal(tree, pages, rel, directory, attr, value)
    return problems


class _Tree:
    """Every file and directory of the site, listed once (a stat per link is slow at scale)."""

    def __init__(self, site: Path) -> None:
        self.files: set[str] = set()
        self.dirs: set[str] = {"."}
        self._resolved: dict[tuple[str, str], tuple[str | None, str] | None] = {}
        self._schemes: dict[str, str | None] = {}
        for top, dirs, files in os.walk(site):
            base = Path(top).relative_to(site).as_posix()
            prefix = "" if base == "." else base + "/"
            self.dirs.update(prefix + d for d in dirs)
            self.files.update(prefix + f for f in files)

    def is_dir(self, rel: str) -> bool:
        return rel in self.dirs

    def is_file(self, rel: str) -> bool:
        return rel in self.files

    def resolved(self, directory: str, value: str) -> tuple[str | None, str] | None:
        """(target file, or "" for the page itself, or None when missing; #fragment) of a
        link from a page in `directory`; None for an external link. Memoized: the pages
        of a directory link to the same places many times."""
        key = (directory, value)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_link(directory, value)
        return self._resolved[key]

    def scheme(self, value: str) -> str | None:
        """scheme(value), memoized on the part before '#' (a scheme never contains '#')."""
        head = value.partition("#")[0]
        if head not in self._schemes:
            self._schemes[head] = scheme(head)
        return self._schemes[head]

    def _resolve_link(self, directory: str, value: str) -> tuple[str | None, str] | None:
        parts = urlsplit(value.strip())
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        target = ""
        if path:
            target = _resolve(directory + "/x" if directory else "x", path)
            if path.endswith("/") or self.is_dir(target):
                target = posixpath.normpath(posixpath.join(target, "index.html"))
            if target.startswith("../") or target == ".." or not self.is_file(target):
                return (None, "")
        return (target, unquote(parts.fragment))


def _check_internal(
    tree: _Tree, pages: dict[str, PageScan], rel: str, directory: str, attr: str, value: str
) -> list[str]:
    """An internal link must name an existing file, and its #fragment an id on that page."""
    head, hash_, tail = value.strip().partition("#")
    found = tree.resolved(directory, head)
    if found is None:
        return []  # external
    target, _ = found
    fragment = unquote(urlsplit("#" + tail).fragment) if hash_ else ""
    if target is None:
        return [f"{rel}: broken link {attr}={value}"]
    target = target or rel
    if fragment and target in pages and fragment not in pages[target].ids:
        return [f"{rel}: link {value} has no target #{fragment}"]
    return []
