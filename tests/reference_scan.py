"""The site check's former HTML reader, kept as the reference the fast one is held to:
html5lib's WHATWG parser, with every start tag its tokenizer emits noted on the way (also
those its tree builder drops). `tests/test_scan_reference.py` checks that the check built
on Lexbor refuses everything this one refused and reads the same ids, links and scripts.
"""

from __future__ import annotations

import re
from typing import Any

from generator.publish import _STYLE_BAD, _Findings

_NS = re.compile(r"^\{[^}]*\}")


def _text(el: Any) -> str:
    return (el.text or "") + "".join(_text(c) + (c.tail or "") for c in el)


def reference_scan(data: bytes) -> _Findings:
    import html5lib
    from html5lib.constants import tokenTypes

    start = {tokenTypes["StartTag"], tokenTypes["EmptyTag"]}
    f = _Findings()

    class Tap:
        def __init__(self, real: Any) -> None:
            object.__setattr__(self, "_real", real)

        def __iter__(self) -> Any:
            for token in self._real:
                if token["type"] in start:
                    f.tag(token["name"], dict(token["data"]))
                yield token

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

        def __setattr__(self, name: str, value: Any) -> None:
            setattr(self._real, name, value)

    class Parser(html5lib.HTMLParser):  # type: ignore[misc]
        tokenizer: Any

        def mainLoop(self) -> None:
            real = self.tokenizer
            self.tokenizer = Tap(real)
            try:
                super().mainLoop()
            finally:
                self.tokenizer = real

    parser = Parser(namespaceHTMLElements=False)
    tree = parser.parse(data, scripting=True, useChardet=False)
    encoding = parser.documentEncoding
    if encoding != "utf-8" and (encoding != "windows-1252" or not data.isascii() or b"\x1b" in data):
        f.problems.append(f"page is read as {encoding}, not UTF-8 (a <meta charset> or byte order mark)")
    for el in tree.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if _NS.sub("", tag) != "script":
            continue
        src = el.get("src")
        if src is None:
            src = next((v for k, v in el.attrib.items() if k.endswith("}href") or k == "href"), None)
        f.scripts.append(src)
        if src is None:
            code = _text(el)
            f.inline.append(code if el.get("type") != "application/ld+json" else "\0ld+json" + code)
        elif _text(el).strip():
            f.problems.append(f"a <script src> with content {_text(el).strip()[:40]!r}")
    for el in tree.iter("style"):
        if _STYLE_BAD.search(_text(el)):
            f.problems.append("script in a <style> element")
    head = tree.find("head")
    first = next(iter(head), None) if head is not None else None
    if (
        first is not None
        and first.tag == "meta"
        and (first.get("http-equiv") or "").strip().lower() == "content-security-policy"
    ):
        f.csp = first.get("content")
    return f
