"""The strict YAML loader: positions kept, surprises refused, every problem a diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Report
from generator.load import parse_yaml, read_yaml


def load(text: str) -> tuple[object, list[str]]:
    report = Report()
    doc = parse_yaml(text, "f.yaml", report)
    return (doc.data if doc else None), [f"{d.line}:{d.column} {d.code} {d.message}" for d in report.sorted()]


def test_every_scalar_stays_the_string_that_was_written() -> None:
    data, errs = load("a: [NO, off, 1:20, 1.10, 012345, 1_000, 2024-02-30, 1e3, true]\n")
    assert errs == []
    assert data == {"a": ["NO", "off", "1:20", "1.10", "012345", "1_000", "2024-02-30", "1e3", "true"]}


def test_empty_tilde_and_null_are_none_but_quoted_ones_are_strings() -> None:
    data, _ = load('a:\nb: ~\nc: null\nd: "~"\ne: ""\n')
    assert data == {"a": None, "b": None, "c": None, "d": "~", "e": ""}


def test_positions_of_keys_and_values_are_one_based() -> None:
    report = Report()
    doc = parse_yaml("top:\n  - id: x\n    quote: hello\n", "f.yaml", report)
    assert doc is not None
    assert doc.values[("top", 0, "quote")] == (3, 12)
    assert doc.keys[("top", 0, "quote")] == (3, 5)
    assert doc.pos(("top", 0, "missing")) == (2, 5)


def test_a_document_from_the_cache_has_every_position_of_the_parsed_one() -> None:
    from generator.load import YamlDoc

    text = 'top:\n  - id: x\n    quote: "a\\u00e9"\n    "0": [1, {k: v}]\n  - ~\nother: {a: b}\n'
    doc = parse_yaml(text, "f.yaml", Report())
    assert doc is not None
    cached = YamlDoc.cached("f.yaml", {"data": doc.data} | doc.positions())
    assert cached.packed is not None  # unpacked only when a position is asked for
    paths = [*doc.values, *doc.keys, ("top", 0, "missing"), ("top", 0, 0), ("top", 0, "0", 1, "k", "x")]
    for path in paths:
        assert cached.pos(path) == doc.pos(path) and cached.pos(path, key=True) == doc.pos(path, key=True), path
    assert cached.values == doc.values and cached.keys == doc.keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("value: 1\nvalue: 2\n", ["2:1 Y203 duplicate key 'value' (first defined at line 1, column 1)"]),
        ("1: a\ntrue: b\n1: c\n", ["3:1 Y203 duplicate key '1' (first defined at line 1, column 1)"]),
        (
            "a: &x [1]\nb: *x\n",
            ["1:4 Y201 YAML anchors (&x) are not allowed; 1 more anchor or alias in this file"],
        ),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            ["1:4 Y202 YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed"],
        ),
        ("a: !include x.yaml\n", ["1:4 Y202 YAML tags (!include) are not allowed"]),
        ("a: 1\n---\nb: 2\n", ["2:1 Y205 expected a single YAML document, found another '---'"]),
        ("# nothing\n", ["1:1 Y207 file is empty"]),
        ("", ["1:1 Y207 file is empty"]),
        (
            'quote: "unterminated\n',
            [
                "1:8 Y200 YAML syntax error: a quoted scalar starting here is never closed (found unexpected end of stream)"
            ],
        ),
        ("a: [1, 2\nb: 3\n", ["2:2 Y200 YAML syntax error: did not find expected ',' or ']'"]),
        ("facts:\n\t- id: a\n", ["2:1 Y200 YAML syntax error: a tab cannot be used here (YAML indents with spaces)"]),
        ("? [a, b]\n: c\n", ["1:3 Y204 mapping keys must be plain strings"]),
    ],
)
def test_refused_yaml(text: str, expected: list[str]) -> None:
    data, errs = load(text)
    assert data is None
    assert errs == expected


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    data, errs = load("a: " + "[" * 25000)
    assert data is None
    assert len(errs) == 1 and "Y206" in errs[0]


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\n'
    _, errs = load(bomb)
    assert errs == ["1:4 Y201 YAML anchors (&a) are not allowed; 8 more anchors or aliases in this file"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbfa: 1\n", "1:1 Y102 file starts with a UTF-8 byte order mark"),
        (b"a: 1\nb: caf\xe9\n", "2:7 Y101 not valid UTF-8 (byte 0xe9)"),
        (b"\xff\xfea\x00:\x00", "1:1 Y101 not valid UTF-8 (byte 0xff)"),
        ("a: 1\nid: x\u200by\n".encode(), "2:6 Y103 invisible or control character U+200B is not allowed"),
        ("a: b\u2028c\n".encode(), "1:5 Y103 invisible or control character U+2028 is not allowed"),
        ("a: \u202eevil\n".encode(), "1:4 Y103 invisible or control character U+202E is not allowed"),
        (b"a: x\x00y\n", "1:5 Y103 invisible or control character U+0000 is not allowed"),
    ],
)
def test_bytes_are_checked_before_parsing(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    report = Report()
    assert read_yaml(path, "f.yaml", report) is None
    assert [f"{d.line}:{d.column} {d.code} {d.message}" for d in report.sorted()] == [expected]


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (300 * 1024) + b"\n")
    report = Report()
    assert read_yaml(path, "big.yaml", report) is None
    assert report.sorted()[0].code == "Y105"


def test_symlink_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("a: 1\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    report = Report()
    assert read_yaml(tmp_path / "link.yaml", "link.yaml", report) is None
    assert report.sorted()[0].code == "Y106"
