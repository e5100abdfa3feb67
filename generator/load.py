"""Stage 1, load: read YAML strictly, keeping the position of every key and value.

Every scalar is a string (or None for an empty/`~`/`null` value): YAML 1.1 implicit
typing never happens, so `NO`, `1:20`, `1.10` and `2024-02-30` stay as written and the
model decides what they mean. Anchors, aliases, tags, duplicate keys, multiple documents,
invisible or control characters, non-UTF-8 bytes and oversize files are diagnostics.
The document is built from parser events with an explicit stack, so deep nesting can
neither overflow Python's stack nor crash libyaml's recursive composer.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import stat
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .cache import Cache, digest
from .diagnostics import Report

try:  # libyaml's event parser is ~10x faster; the pure parser gives identical events.
    _Loader: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.BaseLoader

MAX_YAML_BYTES = 256 * 1024
MAX_DEPTH = 32
NULLS = {"", "~", "null", "Null", "NULL"}

Path_ = tuple[str | int, ...]

# Characters that change what a reviewer sees, or what YAML counts as a line break, are
# judged by Unicode category, so no list of code points can fall behind:
#   Cc control (only TAB, LF and CR allowed: CR only as part of a file's line ends),
#   Cf format (bidi controls, zero-width characters, soft hyphen, tags, ...), Co private
#   use, Cn unassigned (as of this Python's Unicode database) and noncharacters, Cs
#   surrogates, Zl/Zp LINE and PARAGRAPH SEPARATOR;
# plus characters of other categories that render as nothing: the fillers below (Hangul,
# Braille, combining grapheme joiner, Khmer and Mongolian inherent vowels and selectors)
# and variation selectors. Space separators (Zs, e.g. NO-BREAK SPACE) are allowed: they
# show as spaces. There is no other allow-list: an emoji ZWJ sequence is refused too.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
_INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0, 0x180B, 0x180C, 0x180D, 0x180F]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
_SUSPECT = {  # per allowed set of line-end characters: the only characters worth a closer look
    "\t\n\r": re.compile(r"[^\t\n\r\x20-\x7e]"),  # a file's text: CRLF line ends are allowed
    "\t\n": re.compile(r"[^\t\n\x20-\x7e]"),  # a parsed value: YAML has made every line end LF
}


@functools.lru_cache(maxsize=4096)
def refused(ch: str) -> bool:
    """Whether `ch` is a control, format, private-use, unassigned or invisible character."""
    return ord(ch) in _INVISIBLE or unicodedata.category(ch) in _REFUSED_CATEGORIES


def refused_chars(text: str, allow: str = "\t\n\r") -> list[tuple[int, str]]:
    """(index, character) of every refused character in `text`; `allow` is "\\t\\n\\r" or "\\t\\n"."""
    return [(m.start(), m.group()) for m in _SUSPECT[allow].finditer(text) if refused(m.group())]


def char_name(ch: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE (the name when Unicode gives one)."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


@dataclass
class YamlDoc:
    """A loaded YAML file: plain data plus the 1-based (line, column) of every node.

    Positions are kept from the parse (or the cache) for as long as the document lives,
    so a diagnostic of a later stage points at the text that was checked, even if the
    file has changed on disk since. A document from the cache keeps them as the cache
    stores them (`packed`, compressed JSON) until a diagnostic first asks for one: most
    documents of a clean project never do, and the text is a fraction of the tuples."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    packed: str | None = None  # the positions as `positions()` writes them, not yet unpacked

    def release(self) -> None:
        """Drop the data once the model holds it (the positions stay)."""
        self.data = None

    def positions(self) -> dict[str, str]:
        """The positions for the cache: {"positions": base64 of the zlib of the JSON
        [[[*path, line, column], ...], [...]] (values, then keys)}, one short string, so
        reading an entry decodes no position, and a document kept for its positions holds
        a fifth of the JSON's bytes (at 1,000 sources 3.5 MB, not 16.5)."""
        if self.packed is not None:
            return {"positions": self.packed}
        rows = [[[*p, *lc] for p, lc in self.values.items()], [[*p, *lc] for p, lc in self.keys.items()]]
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
        return {"positions": base64.b64encode(zlib.compress(text)).decode("ascii")}

    @classmethod
    def cached(cls, file: str, entry: dict[str, Any]) -> YamlDoc:
        return cls(file, entry["data"], packed=entry["positions"])

    def _unpack(self) -> None:
        if self.packed is None:
            return
        values, keys = json.loads(zlib.decompress(base64.b64decode(self.packed)))
        self.values = {tuple(r[:-2]): (r[-2], r[-1]) for r in values}
        self.keys = {tuple(r[:-2]): (r[-2], r[-1]) for r in keys}
        self.packed = None

    def pos(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of the node at `path` (of its key with key=True), or of its nearest parent."""
        self._unpack()
        p = tuple(path)
        while p:
            if key and p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


def content_listing(directory: Path, suffix: str, root: Path, report: Report) -> list[Path]:
    """The entries of `directory` named *`suffix`, sorted, that are regular files.

    Anything else (a FIFO, a socket, a device, a directory, a symbolic link, which may
    point at any of those or at /dev/zero) is reported and left out, judged by lstat
    alone: nothing ever opens it, so nothing can block on it or read it forever."""
    out = []
    for p in sorted(directory.iterdir()):
        if not p.name.endswith(suffix):
            continue
        try:
            regular = stat.S_ISREG(os.lstat(p).st_mode)
        except OSError:
            regular = False
        if not regular:
            rel = p.relative_to(root).as_posix()
            report.add(rel, 1, 1, "Y106", "not a regular file (symbolic links are not followed)")
            continue
        out.append(p)
    return out


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode(raw: bytes, file: str, report: Report) -> str | None:
    """Strict UTF-8 without BOM and without invisible or control characters."""
    if raw.startswith(b"\xef\xbb\xbf"):
        report.add(file, 1, 1, "Y102", "file starts with a UTF-8 byte order mark", "save the file as UTF-8 without BOM")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        good = raw[: e.start].decode("utf-8")
        line, col = line_col(good, len(good))
        report.add(file, line, col, "Y101", f"not valid UTF-8 (byte 0x{raw[e.start]:02x})", "save the file as UTF-8")
        return None
    bad = refused_chars(text)
    for at, ch in bad:
        line, col = line_col(text, at)
        report.add(
            file,
            line,
            col,
            "Y103",
            f"invisible or control character U+{ord(ch):04X} is not allowed",
            "delete it; use a plain space or line break",
        )
    return None if bad else text


def read_yaml(path: Path, file: str, report: Report, cache: Cache | None = None) -> YamlDoc | None:
    """Read one YAML file; on any problem add diagnostics and return None.

    The data of a file read before without any problem comes from `cache`."""
    if path.is_symlink() or not path.is_file():
        report.add(file, 1, 1, "Y106", "not a regular file (symbolic links are not followed)")
        return None
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        report.add(
            file,
            1,
            1,
            "Y105",
            f"file is {size} bytes, over the limit of {MAX_YAML_BYTES // 1024} KiB",
            "split it into several fact files",
        )
        return None
    raw = path.read_bytes()
    key = digest(raw) if cache is not None else ""
    hit = cache.get("yaml", key) if cache is not None else None
    if hit is not None:
        return YamlDoc.cached(file, hit)
    doc = parse_bytes(raw, file, report)
    if doc is None:
        return None
    if cache is not None:
        packed = doc.positions()
        cache.put("yaml", key, {"data": doc.data} | packed)
        return YamlDoc(file, doc.data, packed=packed["positions"])  # the compact form, as from the cache
    return doc


def parse_bytes(raw: bytes, file: str, report: Report) -> YamlDoc | None:
    """Decode (strict UTF-8, no invisible characters) and parse; None on any problem."""
    text = decode(raw, file, report)
    return None if text is None else parse_yaml(text, file, report)


def parse_yaml(text: str, file: str, report: Report) -> YamlDoc | None:
    """Build plain data from YAML events. Returns None if the file had any error."""
    doc = YamlDoc(file, None)
    n_before = len(report.diagnostics)

    def err(mark: Any, code: str, msg: str, hint: str | None = None) -> None:
        report.add(file, mark.line + 1, mark.column + 1, code, msg, hint)

    # Each stack entry: [container, path, pending_key, key_marks]
    stack: list[list[Any]] = []
    root_set = False
    documents = 0
    aliases: list[tuple[Any, str, str]] = []  # (mark, "&a" or "*a", kind): one error for all of them

    def attach(value: Any, mark: Any) -> Path_ | None:
        nonlocal root_set
        if not stack:
            doc.data, root_set = value, True
            doc.values[()] = (mark.line + 1, mark.column + 1)
            return ()
        top = stack[-1]
        container, cpath = top[0], top[1]
        if isinstance(container, list):
            p = (*cpath, len(container))
            container.append(value)
        else:
            if top[2] is None:  # this node is a key
                if not isinstance(value, str):
                    err(mark, "Y204", "mapping keys must be plain strings")
                    top[2] = ("\0invalid", mark)
                    return None
                top[2] = (value, mark)
                return None
            key, kmark = top[2]
            top[2] = None
            if key == "\0invalid":
                return None
            p = (*cpath, key)
            if key in container:
                first = doc.keys[p]
                err(
                    kmark,
                    "Y203",
                    f"duplicate key '{key}' (first defined at line {first[0]}, column {first[1]})",
                    "remove one of the two; YAML would silently keep only the last",
                )
                return None
            container[key] = value
            doc.keys[p] = (kmark.line + 1, kmark.column + 1)
        doc.values[p] = (mark.line + 1, mark.column + 1)
        return p

    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    err(
                        ev.start_mark,
                        "Y205",
                        "expected a single YAML document, found another '---'",
                        "remove the second document or move it to its own file",
                    )
                    break
                continue
            if isinstance(ev, yaml.AliasEvent):
                aliases.append((ev.start_mark, f"*{ev.anchor}", "aliases"))
                attach(None, ev.start_mark)
                continue
            anchor = getattr(ev, "anchor", None)
            if anchor is not None:
                aliases.append((ev.start_mark, f"&{anchor}", "anchors"))
            tag = getattr(ev, "tag", None)
            if tag not in (None, "!"):
                err(
                    ev.start_mark, "Y202", f"YAML tags ({tag}) are not allowed", "remove the tag; values are plain text"
                )
            if isinstance(ev, yaml.ScalarEvent):
                plain = not ev.style
                for _, ch in refused_chars(ev.value, "\t\n")[:1]:  # an escape such as "\u202E" or "\x00"
                    role = "key" if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None else "value"
                    err(
                        ev.start_mark,
                        "Y107",
                        f"this {role} holds the invisible or control character {char_name(ch)}",
                        'remove it (a YAML escape such as "\\u202E" counts too); values are plain visible text',
                    )
                attach(None if plain and ev.value in NULLS else ev.value, ev.start_mark)
            elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    err(ev.start_mark, "Y206", f"nesting deeper than {MAX_DEPTH} levels", "fact files are shallow")
                    break
                container: Any = [] if isinstance(ev, yaml.SequenceStartEvent) else {}
                p = attach(container, ev.start_mark)
                stack.append([container, p if p is not None else ("\0",), None])
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as e:
        _syntax_error(e, text, file, report)
    except (yaml.YAMLError, ValueError, RecursionError, OverflowError, MemoryError) as e:  # pragma: no cover
        report.add(file, 1, 1, "Y200", f"YAML could not be read: {type(e).__name__}: {e}")
    if aliases:
        mark, name, kind = aliases[0]
        more = len(aliases) - 1
        err(
            mark,
            "Y201",
            f"YAML {kind} ({name}) are not allowed"
            + (
                f"; {more} more {'anchor or alias' if more == 1 else 'anchors or aliases'} in this file" if more else ""
            ),
            "write the value out in full",
        )
    if len(report.diagnostics) > n_before:
        return None
    if not root_set or doc.data is None:
        report.add(file, 1, 1, "Y207", "file is empty", "a fact file is a mapping such as 'participants: [...]'")
        return None
    return doc


def _syntax_error(e: yaml.MarkedYAMLError, text: str, file: str, report: Report) -> None:
    """A parser error at the most useful place: where an unclosed quote or bracket starts."""
    mark, ctx = e.problem_mark or e.context_mark, e.context_mark
    problem = e.problem or e.context or "invalid YAML"
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    code, msg, hint = "Y200", f"YAML syntax error: {problem}", "check quotes, colons and indentation on this line"
    if "\t" in line_text:
        hint = "indent with spaces, not tabs"
        if mark is not None and line_text[mark.column : mark.column + 1] == "\t":
            msg = "YAML syntax error: a tab cannot be used here (YAML indents with spaces)"
    if "nesting depth" in problem:
        code, msg, hint = (
            "Y206",
            f"YAML nested too deeply ({problem})",
            f"fact files need fewer than {MAX_DEPTH} levels",
        )
    elif ctx is not None and e.context and mark is not None and not text[getattr(mark, "index", len(text)) :].strip():
        # the file ended inside something: point at where that something started
        what = e.context.removeprefix("while scanning ").removeprefix("while parsing ")
        msg = f"YAML syntax error: {what} starting here is never closed ({problem})"
        hint = "close it with the matching quote or bracket"
        mark = ctx
    report.add(file, (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1, code, msg, hint)
