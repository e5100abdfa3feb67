"""One diagnostic type for every problem the pipeline finds, collected in a Report.

Bad content never raises: each stage adds Diagnostics to the Report and carries on,
so an editor sees every problem at once, sorted and printed like a compiler.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from .codes import CODES

# Characters a terminal or log viewer may act on, or that hide or reorder text: controls
# but TAB (line breaks too: each field of a diagnostic is one line), format characters such
# as bidi overrides, line and paragraph separators, private-use, surrogate and unassigned
# code points. A content file can put any of them into a message (a key, a value, a file
# name), so every output format shows them as escapes: ESC becomes \x1b, U+202E \u202e.
_SUSPECT = re.compile(r"[^\x20-\x7e]")
_UNSAFE = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == "\t" or unicodedata.category(ch) not in _UNSAFE:  # a tab moves the cursor, nothing else
        return ch
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def inert(s: str) -> str:
    """`s` with every control, format or invisible character written as an escape."""
    return s if s.isascii() and s.isprintable() else _SUSPECT.sub(_escape_char, s)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at a place in a file: ``file:line:column: error[CODE] message``."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        head = (
            f"{inert(self.file)}:{self.line}:{self.column}: {self.severity}[{inert(self.code)}] {inert(self.message)}"
        )
        return head + (f"\n  hint: {inert(self.hint)}" if self.hint else "")

    def as_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the line."""

        def esc(s: str, prop: bool = False) -> str:
            s = (inert(s) if prop else s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return s.replace(":", "%3A").replace(",", "%2C") if prop else s

        text = inert(self.message) + (f"\nhint: {inert(self.hint)}" if self.hint else "")
        return (
            f"::{self.severity} file={esc(self.file, True)},line={self.line},"
            f"col={self.column},title={esc(self.code, True)}::{esc(text)}"
        )


@dataclass
class Report:
    """Diagnostics collected over one run, plus counts for the summary line."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        file: str,
        line: int,
        column: int,
        code: str,
        message: str,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Add one diagnostic. `code` must be in the catalogue (codes.py; KeyError if not):
        without a `hint`, the code's default hint, if it has one, is given."""
        hint = CODES[code].hint if hint is None else hint
        self.diagnostics.append(Diagnostic(file, line, column, code, message, hint, severity))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: (d.file, d.line, d.column, d.code, d.message))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_text(report: Report, summary: str) -> str:
    """Compiler-style lines, then one summary line."""
    diags = report.sorted()
    lines = [str(d) for d in diags]
    n_err = sum(d.severity == Severity.ERROR for d in diags)
    n_warn = len(diags) - n_err
    if diags:
        lines.append(f"{plural(n_err, 'error')}, {plural(n_warn, 'warning')} in {inert(summary)}")
    else:
        lines.append(f"ok: {inert(summary)}")
    return "\n".join(lines)


def format_json(report: Report, summary: str) -> str:
    diags = [
        {k: inert(v) if isinstance(v, str) else v for k, v in asdict(d).items()}
        | {"severity": str(d.severity), "title": CODES[d.code].title, "doc": CODES[d.code].doc}
        for d in report.sorted()
    ]
    return json.dumps({"ok": not report.has_errors, "summary": summary, "diagnostics": diags}, indent=2)


def format_github(report: Report, summary: str) -> str:
    return "\n".join(
        [d.as_github() for d in report.sorted()]
        + [
            format_text(Report(), summary)
            if not report.has_errors
            else f"{plural(len(report.errors), 'error')} in {summary}"
        ]
    )


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
