"""Issue 13: what a hostile contributor still got through (characters, citations, limits)."""

from __future__ import annotations

import json
import unicodedata

import pytest

from generator.diagnostics import Report, format_github, format_json, format_text
from generator.load import parse_bytes, parse_yaml, refused


def _codes(report: Report) -> list[str]:
    return [d.code for d in report.sorted()]


@pytest.mark.parametrize(
    "escape",
    ["\\u202E", "\\x00", "\\e", "\\u2066", "\\u200B", "\\U000E0041", "\\uE000", "\\r", "\\x85", "\\u2028", "\\u3164"],
)
@pytest.mark.parametrize("where", ["a: {}", "{}: a", "- {}"])
def test_an_escape_cannot_write_an_invisible_character(escape: str, where: str) -> None:
    r = Report()
    text = where.format(f'"x{escape}y"') + "\n"
    assert parse_yaml(text, "f.yaml", r) is None
    assert _codes(r) == ["Y107"]


@pytest.mark.parametrize("text", ['a: "x\\ty\\nz"\n', 'a: "\\u00a0x"\n', "a: é ü 😀 ∑\n", "a: Ամերիկա\n"])
def test_visible_text_and_spaces_stay_allowed(text: str) -> None:
    r = Report()
    assert parse_bytes(text.encode(), "f.yaml", r) is not None, [str(d) for d in r.diagnostics]


def test_every_format_control_and_private_character_is_refused() -> None:
    for cp in range(0x110000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}:
            assert refused(ch), f"U+{cp:04X}"
        elif cat.startswith(("L", "N", "P", "S")) and cp not in (0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800):
            assert not refused(ch), f"U+{cp:04X}"


HOSTILE = "unknown key 'a\n\x1b[1A\x1b[2Kok: 0 facts\u202e\x9b'"


@pytest.mark.parametrize("fmt", [format_text, format_json, format_github])
def test_no_output_format_passes_a_control_character_through(fmt) -> None:  # noqa: ANN001
    r = Report()
    r.add("content/facts/x\x1b[2K.yaml", 1, 1, "V101", HOSTILE, "hint\x07\u2067")
    out = fmt(r, "1 fact")
    if fmt is format_json:
        out = json.dumps(json.loads(out), ensure_ascii=False)
    body = out.replace("\n  hint:", " hint:").splitlines()
    assert not [c for line in out.splitlines() for c in line if unicodedata.category(c) in {"Cc", "Cf"}]
    assert not any(line.startswith("ok:") for line in body)
    assert "\\x1b[2K" in out and "\\u202e" in out
