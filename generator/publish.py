"""Checks of a built site before it is published: every internal link and #fragment
resolves, ids are unique, and nothing executable slipped into the pages.

The second line of defence after escaping: whatever a template, theme override or content
did, a page with a script other than the theme's, an event handler, an embedded frame
or object, a refresh, or a link to any scheme but http(s)/mailto is never published.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from .moot import GaveWay

# Scripts the factsheet theme and the search plugin ship; nothing else may run.
ALLOWED_SCRIPTS = {
    "js/factsheet.js",  # the theme's: citation previews on touch (templates/theme/js/)
    "search/search.js",  # the search box (search.py); loads Pagefind only when a reader searches
}
# The built-in theme's one inline script: its base URL and keyboard shortcuts.
# (base_url is relative, or with site_url set on the 404 page, the site's own path)
_THEME_INLINE = re.compile(r'\s*var base_url = "[./A-Za-z0-9_~-]*",\s*shortcuts = \{[a-z": 0-9,]*\};\s*')
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
# What may be published, by suffix: an allow-list. A file a browser could render as a
# document is read by the check (HTML as HTML; SVG and XML as XML) or refused: a server
# maps .shtml, .xht, .xhtml, .htm, .xsl, .mht, ... to document types the check would not
# read, and a file without a suffix may be sniffed. The rest cannot run anything: styles,
# data, images, fonts; scripts only the theme's own (ALLOWED_SCRIPTS, SEARCH_SCRIPTS).
SCANNED_SUFFIXES = (".html", ".svg", ".xml")  # files the check reads
XML_SUFFIXES = (".svg", ".xml")
INERT_SUFFIXES = (
    ".css", ".json", ".csv", ".map", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico",
    ".woff", ".woff2", ".ttf", ".otf", ".eot",
    ".txt",  # the stored source texts: served as text/plain, which no browser runs
)  # fmt: skip
SEARCH_SCRIPTS = {
    "pagefind/pagefind.js",  # Pagefind's (search.py): imported by search/search.js when a reader searches
}
# Pagefind's index: gzip-compressed binary chunks under pagefind/, by exact name. A file
# named so is checked to be gzip data, which no browser renders as a document.
PAGEFIND_DATA = re.compile(
    r"^pagefind/(pagefind\.[A-Za-z0-9_-]+\.pf_meta|wasm\.[A-Za-z0-9_-]+\.pagefind"
    r"|(index|fragment|filter)/[A-Za-z0-9_-]+\.pf_(index|fragment|filter))$"
)
_GZIP = b"\x1f\x8b"
PAGEFIND_SCRIPTS = {"pagefind/pagefind.js"}  # checked byte for byte against what Pagefind writes


def _pagefind_script() -> bytes:
    from .search import own_script

    return own_script()


def _shipped(rel: str) -> list[Path]:
    """The files a published script may be a copy of: the theme's and the search box's
    (templates/ in the package), MkDocs' own theme and search plugin. A script is allowed
    by its path only if its bytes are one of these: a file of the same name put in the
    docs directory by a pull request is refused."""
    import mkdocs

    from .render import default_templates

    ours = default_templates()
    theirs = Path(mkdocs.__file__).parent
    return [
        ours / "theme" / rel,
        ours / rel,
        theirs / "themes" / "mkdocs" / rel,
        theirs / "contrib" / "search" / "templates" / rel,
    ]


def not_shipped(rel: str, data: bytes) -> bool:
    """Whether a script at an allowed path differs from every file it may be a copy of."""
    return not any(p.is_file() and p.read_bytes() == data for p in _shipped(rel))


def unpublishable(rel: str) -> str | None:
    """Why the file at `rel` may not be published, or None."""
    name = rel.rsplit("/", 1)[-1].lower()
    if name.endswith(".js"):
        ok = rel in ALLOWED_SCRIPTS or rel in SEARCH_SCRIPTS
        return None if ok else "a script that is not the theme's (only its own scripts are published)"
    if PAGEFIND_DATA.match(rel):
        return None
    if name.endswith(SCANNED_SUFFIXES + INERT_SUFFIXES):
        return None
    return "a file type that is not published (a browser could render it as a document the check does not read)"


def scheme(url: str) -> str | None:
    """The scheme a browser would see: tabs and newlines removed, controls and spaces stripped."""
    v = re.sub(r"[\t\n\r]", "", url).strip(_C0_AND_SPACE)
    m = _SCHEME.match(v)
    return m.group(1).lower() if m else None


# Elements whose content a browser parses in another way than the rest of the page (raw
# text or a second document): a parser that differs from the browser's by one rule there
# would see text where the browser sees markup. None of them belongs in the fact sheet.
PARSER_TRAPS = {"noscript", "noembed", "noframes", "xmp", "plaintext", "template", "textarea", "select", "math"}
_HTTP_EQUIV_ALLOWED = {"x-ua-compatible", "content-security-policy"}


def _show(value: str) -> str:
    """A value for a message: control characters (which a browser's URL parser drops) removed."""
    return "".join(c for c in value if c in "\t\n\r" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F))


class _Findings:
    """What one page holds, collected from every tag a browser's tokenizer would emit."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.scripts: list[str | None] = []
        self.inline: list[str] = []
        self.problems: list[str] = []
        self.csp: str | None = None  # the policy of the Content-Security-Policy meta first in <head>

    def tag(self, tag: str, attrs: dict[str, str]) -> None:
        for name, value in attrs.items():
            if name == "id" and value:
                if value in self.ids:
                    self.duplicate_ids.append(value)
                self.ids.add(value)
            elif name == "name" and value:
                self.ids.add(value)
            if name.startswith("on"):
                self.problems.append(f"event handler attribute <{tag} {name}=...>")
            if name == "style" and value and _STYLE_BAD.search(value):
                self.problems.append(f"script in a style attribute <{tag} style={_show(value)[:40]!r}>")
            if name in URL_ATTRS or name.endswith(":href"):
                if name.endswith("srcset"):
                    self.links += [(name, c.split()[0]) for c in value.split(",") if c.strip()]
                else:
                    self.links.append((name, value))
        if tag in FORBIDDEN_TAGS or tag in PARSER_TRAPS:
            self.problems.append(f"forbidden element <{tag}>")
        if tag == "meta" and "http-equiv" in attrs:
            equiv = attrs["http-equiv"].strip().lower()
            if equiv == "refresh":
                self.problems.append("forbidden <meta http-equiv=refresh>")
            elif equiv not in _HTTP_EQUIV_ALLOWED:
                self.problems.append(f"forbidden <meta http-equiv={_show(equiv)[:30]}>")


# Start tags as a WHATWG tokenizer reads them (HTML § 13.2.5): "<", an ASCII letter, the
# name up to whitespace, "/" or ">"; then attributes, each a name (which may begin with
# "=") and an optional value, double-quoted, single-quoted or bare. Carriage returns count
# as whitespace (the input stream turns them into line feeds). Possessive and atomic, so
# each "<" costs one pass over its tag.
_WS = r"[\t\n\f\r ]"
_NAME_END = r"[^\t\n\f\r />=]*+"
_VALUE = rf"(?>{_WS}*+={_WS}*+(?>\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]*+))?+"
_OTHER_ATTRIBUTE = rf"(?>[\t\n\f\r /]*+(?![oO][nN])[^\t\n\f\r />]{_NAME_END}{_VALUE})"
_HANDLER_TAG = re.compile(rf"<([A-Za-z][^\t\n\f\r />]*+){_OTHER_ATTRIBUTE}*+[\t\n\f\r /]*+([oO][nN]{_NAME_END})")
_TRAP_TAG = re.compile(
    "<(" + "|".join(sorted(FORBIDDEN_TAGS | PARSER_TRAPS)) + r")(?![^\t\n\f\r />])", re.IGNORECASE | re.ASCII
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _tag_like(text: str) -> list[str]:
    """What is refused in every start tag a tokenizer could emit anywhere in `text`: read
    from every "<" and a letter, whatever state the tokenizer would be in there (a comment,
    raw text such as <style>, an attribute's value, markup the tree builder drops). A
    superset of any parser's reading of the page, so a parser that builds another tree
    than a browser's cannot hide a forbidden element or an event handler."""
    found = [f"forbidden element <{m.group(1).lower()}>" for m in _TRAP_TAG.finditer(text)]
    pos = 0
    while m := _HANDLER_TAG.search(text, pos):  # overlapping: a tag may hide in another's value
        tag, name = m.group(1).translate(_ASCII_LOWER), m.group(2).translate(_ASCII_LOWER)
        found.append(f"event handler attribute <{tag} {name}=...>")
        pos = m.start() + 1
    return found


# The start of every page the factsheet theme writes: WHATWG's encoding prescan reads
# UTF-8 from it (the <meta charset> within the first 1,024 bytes, after the policy's
# <meta>, which declares no encoding). Anything else is prescanned by html5lib.
_OWN_PROLOGUE = re.compile(
    rb'<!DOCTYPE html>\s*<html(?: [a-z-]+="[^"<>]*")*>\s*<head>\s*'
    rb'(?:<meta http-equiv="Content-Security-Policy" content="[^"<>]*">\s*)?<meta charset="utf-8">',
    re.IGNORECASE,
)


def _encoding(data: bytes) -> str:
    """The encoding a browser reads the page in, without a Content-Type header: a byte
    order mark, else a <meta> in the first 1,024 bytes (WHATWG's prescan, html5lib's
    implementation), else windows-1252."""
    own = _OWN_PROLOGUE.match(data)
    if own is not None and own.end() <= 1024 and not data.startswith((b"\xfe\xff", b"\xff\xfe")):
        return "utf-8"
    from html5lib._inputstream import HTMLBinaryInputStream

    return str(HTMLBinaryInputStream(data, useChardet=False).charEncoding[0].name)


_UTF8_LABELS = frozenset(("utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"))


def _declared(attrs: dict[str, str]) -> str | None:
    """The encoding other than UTF-8 that a <meta charset> or <meta http-equiv=content-type>
    declares, if any (a browser honours one past the first 1,024 bytes by reloading the page;
    a label it does not know it ignores; UTF-16 declared in a page it reads as UTF-8)."""
    label = attrs.get("charset")
    if label is None and attrs.get("http-equiv", "").strip().lower() == "content-type":
        m = re.search(r"charset\s*=\s*[\"']?([^\"';\s]*)", attrs.get("content", ""), re.IGNORECASE)
        label = m.group(1) if m else None
    if not label or label.strip("\t\n\f\r ").lower() in _UTF8_LABELS:
        return None  # (every page the theme writes: html5lib is not even imported)
    from html5lib._inputstream import lookupEncoding

    found = lookupEncoding(label)
    return None if found is None or found.name in ("utf-8", "utf-16le", "utf-16be") else label


# The elements whose attributes or content the tree is read for: ids and names (link
# targets), links, style attributes, <meta>, <script> and <style>. Event handlers and
# forbidden elements are found in the text (`_tag_like`), which holds every tag the tree does.
_READ = ",".join(
    ["[id]", "[name]", "[style]", "meta", "script", "style"]
    + [f"[{a.replace(':', chr(92) + ':')}]" for a in sorted(URL_ATTRS)]
)


def _scan_html(data: bytes) -> _Findings:
    """One page, read twice: the tree a browser builds (Lexbor, a WHATWG parser: ids,
    links, scripts and what they hold), and every tag-like run of its text (`_tag_like`),
    so that markup the tree builder drops, or that one parser reads as text where another
    reads a tag, is still refused when it names a forbidden element or an event handler."""
    from selectolax.lexbor import LexborHTMLParser

    f = _Findings()
    encoding = _encoding(data)
    # A page in another encoding reads differently to different readers (ISO-2022-JP turns
    # ASCII after an ESC into other characters); an unlabelled page of plain ASCII is the same in all.
    if encoding != "utf-8" and (encoding != "windows-1252" or not data.isascii() or b"\x1b" in data):
        f.problems.append(f"page is read as {encoding}, not UTF-8 (a <meta charset> or byte order mark)")
    text = data.decode("utf-8" if encoding == "utf-8" else "cp1252", errors="replace")
    f.problems += _tag_like(text)
    tree = LexborHTMLParser(text)
    ids, links, problems = f.ids, f.links, f.problems
    read: set[int] = set()
    for node in tree.css(_READ):
        if node.mem_id in read:  # an element matching two selectors comes twice
            continue
        read.add(node.mem_id)
        tag = node.tag or ""
        attrs = {k: v or "" for k, v in node.attributes.items()}
        for name, value in attrs.items():
            if name == "id" and value:
                if value in ids:
                    f.duplicate_ids.append(value)
                ids.add(value)
            elif name == "name" and value:
                ids.add(value)
            elif name == "style" and value and _STYLE_BAD.search(value):
                problems.append(f"script in a style attribute <{tag} style={_show(value)[:40]!r}>")
            elif name in URL_ATTRS or name.endswith(":href"):
                if name.endswith("srcset"):
                    links += [(name, c.split()[0]) for c in value.split(",") if c.strip()]
                else:
                    links.append((name, value))
        if tag == "meta":
            if "http-equiv" in attrs:
                equiv = attrs["http-equiv"].strip().lower()
                if equiv == "refresh":
                    problems.append("forbidden <meta http-equiv=refresh>")
                elif equiv not in _HTTP_EQUIV_ALLOWED:
                    problems.append(f"forbidden <meta http-equiv={_show(equiv)[:30]}>")
            if (declared := _declared(attrs)) is not None:
                problems.append(f"a <meta> declares the encoding {_show(declared)[:30]!r}, not UTF-8")
        elif tag == "script":
            src = attrs.get("src", next((v for k, v in attrs.items() if k.endswith(":href") or k == "href"), None))
            code = node.text(deep=True, separator="", strip=False)
            f.scripts.append(src)
            if src is None:
                f.inline.append(code if attrs.get("type") != "application/ld+json" else "\0ld+json" + code)
            elif code.strip():
                problems.append(f"a <script src> with content {code.strip()[:40]!r}")
        elif tag == "style" and _STYLE_BAD.search(node.text(deep=True, separator="", strip=False)):
            problems.append("script in a <style> element")
    head = tree.head
    first = next((c for c in head.iter(include_text=False) if c.is_element_node), None) if head is not None else None
    if first is not None and first.tag == "meta":
        attrs = {k: v or "" for k, v in first.attributes.items()}
        if attrs.get("http-equiv", "").strip().lower() == "content-security-policy":
            f.csp = attrs.get("content")
    return f


def _xml_attr(name: str) -> str:
    ns, _, local = name.rpartition(" ")
    return "xlink:href" if (ns, local) == ("http://www.w3.org/1999/xlink", "href") else local.lower()


def _scan_xml(data: bytes) -> _Findings:
    """An SVG or XML file, read as a browser reads it: XML. No DOCTYPE (entities), no
    processing instruction (an XSLT stylesheet), no element that can hold HTML or script."""
    from xml.parsers import expat

    f = _Findings()
    p = expat.ParserCreate(namespace_separator=" ")
    stack: list[list[str]] = []

    def refuse(what: str) -> Any:
        def handler(*_: Any) -> None:
            f.problems.append(what)

        return handler

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        f.tag(local.lower(), {_xml_attr(k): v for k, v in attrs.items()})
        if ns in ("http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/Math/MathML") or local == "foreignObject":
            f.problems.append(f"forbidden element <{local}> in an XML file")
        if local == "script":
            src = next((v for k, v in attrs.items() if k.rpartition(" ")[2] in ("href", "src")), None)
            f.scripts.append(src)
            stack.append([""] if src is None else [])
        else:
            stack.append([])

    def end(name: str) -> None:
        body = stack.pop()
        if body:
            f.inline.append(body[0])

    def text(data: str) -> None:
        if stack and stack[-1]:
            stack[-1][0] += data

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text
    p.StartDoctypeDeclHandler = refuse("a DOCTYPE in an XML file")
    p.ProcessingInstructionHandler = refuse("a processing instruction (<?...?>) in an XML file")
    p.EntityDeclHandler = refuse("an entity declaration in an XML file")
    try:
        p.Parse(data, True)
    except expat.ExpatError as e:
        f.problems.append(f"not well-formed XML ({e})")
    return f


# The second wall: a Content-Security-Policy on every page, so that even a script the
# check missed could not run. Scripts only from the site's own files, plus the theme's
# one inline script by its hash (its text differs by page depth: base_url); JSON-LD blocks
# are data, not scripts, and need nothing. Style attributes (table alignment) stay.
# 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly (wasm.*.pagefind) in the page
# (search.js runs it without its worker); it allows WebAssembly only, not eval() or new Function().
_CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; worker-src 'self'; connect-src 'self'; "
    "style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "manifest-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp_policy(inline: list[str]) -> str:
    """The site's policy for a page whose inline scripts are `inline` (only the theme's count)."""
    hashes = []
    for code in inline:
        if _THEME_INLINE.fullmatch(code):
            h = "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"
            if h not in hashes:
                hashes.append(h)
    return _CSP.format(hashes="".join(" " + h for h in hashes))


def csp_meta(html: str) -> str:
    """The <meta> that carries the site's policy for this page."""
    policy = csp_policy(_INLINE_SCRIPT.findall(html))
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def with_csp(html: str) -> str:
    """The page with its policy first in <head> (a page without `<head>` fails the check)."""
    at = html.find("<head>")
    return html if at < 0 else html[: at + 6] + csp_meta(html) + html[at + 6 :]


def _resolve(rel: str, path: str, root: str = "/") -> str:
    """The site file a link from page `rel` names; a root-absolute path is read under the
    site's own path (`root`: "/sheet/" when site_url is https://host/sheet/)."""
    if path.startswith(root) and root != "/":
        path = "/" + path[len(root) :]
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
    """What the site check needs to know of one HTML, SVG or XML file."""

    ids: set[str]
    duplicate_ids: list[str]
    links: list[tuple[str, str]]
    scripts: list[str | None]
    inline: list[str]
    problems: list[str]
    csp: str | None = None

    def compact(self) -> PageScan:
        """The same findings, holding less: a JSON-LD block becomes its verdict (valid or
        not); a link's scheme is judged now (a forbidden one becomes a problem), external
        links are dropped (nothing more is checked of them) and internal ones are held
        once each, their strings shared between pages."""
        inline = [
            ("\0ld+json" + ("null" if _is_json(code[len("\0ld+json") :]) else ""))
            if code.startswith("\0ld+json")
            else code
            for code in self.inline
        ]
        problems = list(self.problems)
        links: dict[tuple[str, str], None] = {}
        for attr, value in self.links:
            s = scheme(value)
            if s is not None and s not in ALLOWED_SCHEMES:
                problems.append(_forbidden_scheme(attr, value, s))
                continue
            parts = urlsplit(value.strip().partition("#")[0])
            if not (parts.scheme or parts.netloc):  # internal (of an external one, the scheme was all)
                links[(sys.intern(attr), sys.intern(value))] = None
        return PageScan(self.ids, self.duplicate_ids, list(links), self.scripts, inline, problems, self.csp)

    def to_json(self) -> dict[str, Any]:
        return {
            "ids": sorted(self.ids),
            "duplicate_ids": self.duplicate_ids,
            "links": [list(x) for x in self.links],
            "scripts": self.scripts,
            "inline": self.inline,
            "problems": self.problems,
            "csp": self.csp,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PageScan:
        links = [(sys.intern(str(a)), sys.intern(str(v))) for a, v in d["links"]]
        return cls(
            set(map(str, d["ids"])),
            list(d["duplicate_ids"]),
            links,
            list(d["scripts"]),
            list(d["inline"]),
            list(d["problems"]),
            d["csp"],
        )


def scan_store(root: Path) -> Any:
    """Scans of pages kept between builds, by the sha256 of their bytes (a scan is a pure
    function of the bytes, the code and the parsers' versions, which key the store). In
    the cache directory (cache.py), never in the project: a pull request cannot plant a
    scan that passes a page."""
    from .cache import Cache, _installed

    also = f" selectolax {_installed('selectolax', 'selectolax')} html5lib {_installed('html5lib', 'html5lib')}"
    return Cache.for_project(root, ".scans", ("scan",), also)


def _forbidden_scheme(attr: str, value: str, s: str) -> str:
    return f"{attr}={_show(value)[:60]!r} uses the forbidden scheme '{s}:'"


class SiteScans:
    """The site check in one pass: each page is scanned in memory as it is produced
    (`add`, with the bytes that are written), and `verify` checks the whole site at the
    end, reading from disk only the files not scanned (data, theme files) and any page
    whose size on disk is not what was scanned (rewritten after it was produced).

    `previous` (while serving: the last build's `by_digest`) lets a page whose bytes are
    the same as last time keep its scan, which is a pure function of the bytes."""

    def __init__(self, previous: dict[tuple[str, bytes], PageScan] | None = None, store: Any = None) -> None:
        self.scans: dict[str, PageScan] = {}
        self.sizes: dict[str, int] = {}
        self.previous = previous
        self.by_digest: dict[tuple[str, bytes], PageScan] = {}
        self.store = store  # a cache.Cache of kind "scan" (scan_store): scans of earlier builds

    def add(self, rel: str, data: bytes) -> None:
        if self.store is not None:
            found = self._stored(rel, data)
        elif self.previous is None:
            found = scan(data, rel).compact()
        else:
            key = (rel, hashlib.sha256(data).digest())
            found = self.previous.get(key) or scan(data, rel).compact()
            self.by_digest[key] = found
        self.scans[rel] = found
        self.sizes[rel] = len(data)

    def _stored(self, rel: str, data: bytes) -> PageScan:
        """The page's scan from an earlier build of the same bytes, or a new one, stored."""
        kind = "xml" if rel.endswith(XML_SUFFIXES) else "html"  # the reader depends on the name
        key = kind + hashlib.sha256(data).hexdigest()
        got = self.store.get("scan", key)
        if isinstance(got, dict):
            try:
                return PageScan.from_json(got)
            except (TypeError, ValueError, KeyError):
                pass
        found = scan(data, rel).compact()
        self.store.put("scan", key, found.to_json())
        return found

    def save(self) -> None:
        if self.store is not None:
            self.store.save()
            self.store.close()

    def verify(
        self, site: Path, csp: bool = False, root: str = "/", moot: Callable[[], bool] | None = None
    ) -> list[str]:
        fresh = {}
        for rel, s in self.scans.items():
            try:
                size = os.stat(site / rel).st_size
            except OSError:
                continue
            if size == self.sizes[rel]:
                fresh[rel] = s
        return verify_site(site, fresh, csp, root, moot)


def scan(data: bytes | str, rel: str = "index.html") -> PageScan:
    """Read one file as a browser would (a pure function of its bytes, so it can run in
    another process): HTML with a WHATWG parser, SVG and XML with an XML parser."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    f = _scan_xml(raw) if rel.endswith(XML_SUFFIXES) else _scan_html(raw)
    return PageScan(f.ids, f.duplicate_ids, f.links, f.scripts, f.inline, f.problems, f.csp)


def verify_site(
    site: Path,
    scans: dict[str, PageScan] | None = None,
    csp: bool = False,
    root: str = "/",
    moot: Callable[[], bool] | None = None,
) -> list[str]:
    """Problems found in a built site (empty when it is fit to publish).

    `scans` holds pages already read (by relative path); the rest are read here. With
    `csp`, every HTML page must carry the site's Content-Security-Policy (`with_csp`).
    `moot` (the preview's) is asked before each file: when it says a newer build started,
    moot.GaveWay is raised."""
    tree = _Tree(site, root)  # one walk of the site: the files to read and the link targets
    pages: dict[str, PageScan] = {}
    problems = []
    for rel in sorted(tree.files, key=PurePosixPath):
        if moot is not None and moot():
            raise GaveWay
        why = unpublishable(rel)
        if why is None and PAGEFIND_DATA.match(rel):
            with open(site / rel, "rb") as f:
                if f.read(2) != _GZIP:
                    why = "not a Pagefind index file (Pagefind writes gzip data)"
        if why is None and rel in ALLOWED_SCRIPTS and not_shipped(rel, (site / rel).read_bytes()):
            why = "a script at the path of one of the theme's that is not the theme's own file"
        if why is None and rel in PAGEFIND_SCRIPTS and (site / rel).read_bytes() != _pagefind_script():
            why = "not the script the installed Pagefind writes"
        if why is not None:
            problems.append(f"{rel}: {why}")
        elif rel.endswith(SCANNED_SUFFIXES):
            done = scans.get(rel) if scans else None
            pages[rel] = done if done is not None else scan((site / rel).read_bytes(), rel)
    for rel, p in pages.items():
        if csp and rel.endswith(".html") and p.csp != csp_policy(p.inline):
            problems.append(
                f"{rel}: no Content-Security-Policy first in <head>"
                if p.csp is None
                else f"{rel}: the Content-Security-Policy is not the site's ({_show(p.csp)[:60]!r})"
            )
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
            if (
                parts.scheme
                or parts.netloc
                or rel.endswith(".svg")
                or _resolve(rel, parts.path, root) not in ALLOWED_SCRIPTS
            ):
                problems.append(f"{rel}: unexpected script {src}")
        directory = posixpath.dirname(rel)
        for attr, value in p.links:
            s = tree.scheme(value)
            if s is not None and s not in ALLOWED_SCHEMES:
                problems.append(f"{rel}: {_forbidden_scheme(attr, value, s)}")
                continue
            problems += _check_internal(tree, pages, rel, directory, attr, value)
    return problems


class _Tree:
    """Every file and directory of the site, listed once (a stat per link is slow at scale)."""

    def __init__(self, site: Path, root: str = "/") -> None:
        self.root = root  # the site's own path under its host (site_url's)
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
            target = _resolve(directory + "/x" if directory else "x", path, self.root)
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
