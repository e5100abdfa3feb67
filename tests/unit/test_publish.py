"""The site check: what it refuses to publish, and what it lets through."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.publish import _shipped, scheme, verify_site

THEME = (
    '<script src="{up}js/factsheet.js"></script>'
    '<script>var base_url = "{base}", shortcuts = {{"help": 191, "next": 78}};</script>'
    '<script src="{up}search/main.js"></script>'
)


def page(body: str, up: str = "", base: str = ".") -> str:
    return (
        f"<!doctype html><html><head><title>t</title></head><body>{body}{THEME.format(up=up, base=base)}</body></html>"
    )


def make_site(root: Path, index_body: str = "", other_body: str = "") -> Path:
    for f in ("js/factsheet.js", "search/main.js", "css/x.css"):
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        shipped = next((p for p in _shipped(f) if p.is_file()), None)  # a script must be the theme's own
        (root / f).write_bytes(shipped.read_bytes() if shipped and f.endswith(".js") else b"/* */")
    (root / "index.html").write_text(
        page(f'<h1 id="top">Home</h1><a href="other/#s-1">ok</a><a href="#top">ok</a>{index_body}')
    )
    (root / "other").mkdir()
    (root / "other" / "index.html").write_text(
        page(f'<span id="s-1">x</span><a href="../#top">ok</a><a href="../">ok</a>{other_body}', "../", "..")
    )
    (root / "404.html").write_text(page('<a href="/other/#s-1">ok</a><link href="/css/x.css">', "/", "/"))
    return root


def test_a_clean_site_passes(tmp_path: Path) -> None:
    assert verify_site(make_site(tmp_path)) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<a href="missing/">x</a>', "index.html: broken link href=missing/"),
        ('<a href="other/#nope">x</a>', "index.html: link other/#nope has no target #nope"),
        ('<a href="#nope">x</a>', "index.html: link #nope has no target #nope"),
        ('<img src="../../etc/passwd">', "index.html: broken link src=../../etc/passwd"),
        ('<p id="top">again</p>', "index.html: duplicate id 'top'"),
        ("<script>alert(1)</script>", "index.html: inline <script> 'alert(1)'"),
        (
            '<script src="https://evil.example/x.js"></script>',
            "index.html: unexpected script https://evil.example/x.js",
        ),
        ('<script src="css/x.css"></script>', "index.html: unexpected script css/x.css"),
        ("<svg><script>alert(2)</script></svg>", "index.html: inline <script> 'alert(2)'"),
        ("<img src=css/x.css onerror=alert(1)>", "index.html: event handler attribute <img onerror=...>"),
        (
            '<a href="javascript:alert(1)">x</a>',
            "index.html: href='javascript:alert(1)' uses the forbidden scheme 'javascript:'",
        ),
        (
            '<a href=" JaVaScRiPt:alert(1)">x</a>',
            "index.html: href=' JaVaScRiPt:alert(1)' uses the forbidden scheme 'javascript:'",
        ),
        (
            '<a href="java&#x09;script:alert(1)">x</a>',
            "index.html: href='java\\tscript:alert(1)' uses the forbidden scheme 'javascript:'",
        ),
        (
            '<a href="&#x01;javascript:alert(1)">x</a>',
            "index.html: href='javascript:alert(1)' uses the forbidden scheme 'javascript:'",
        ),
        ('<a href="data:text/html,x">x</a>', "index.html: href='data:text/html,x' uses the forbidden scheme 'data:'"),
        (
            '<a href="file:///etc/passwd">x</a>',
            "index.html: href='file:///etc/passwd' uses the forbidden scheme 'file:'",
        ),
        (
            '<img srcset="other/ 1x, file:///etc/x 2x">',
            "index.html: srcset='file:///etc/x' uses the forbidden scheme 'file:'",
        ),
        ('<form action="vbscript:x"></form>', "index.html: action='vbscript:x' uses the forbidden scheme 'vbscript:'"),
        ('<iframe src="https://evil.example"></iframe>', "index.html: forbidden element <iframe>"),
        (
            '<meta http-equiv="Refresh" content="0;url=https://evil.example">',
            "index.html: forbidden <meta http-equiv=refresh>",
        ),
        (
            '<p style="background:url(javascript:x)">x</p>',
            "index.html: script in a style attribute <p style='background:url(javascript:x)'>",
        ),
    ],
)
def test_each_kind_of_problem_is_found(tmp_path: Path, body: str, expected: str) -> None:
    assert verify_site(make_site(tmp_path, index_body=body)) == [expected]


def test_a_link_to_an_index_page_checks_its_fragment(tmp_path: Path) -> None:
    # '../#x' resolves to index.html; an earlier checker compared './index.html' and skipped it
    assert verify_site(make_site(tmp_path, other_body='<a href="../#nope">x</a>')) == [
        "other/index.html: link ../#nope has no target #nope"
    ]


def test_svg_files_are_scanned_too(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert verify_site(site) == ["logo.svg: inline <script> 'alert(1)'"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/", "https"),
        ("java\nscript:alert(1)", "javascript"),
        ("\x00 javascript:x", "javascript"),
        ("../a/#b", None),
        ("a:b", "a"),
    ],
)
def test_scheme_is_read_as_a_browser_reads_it(url: str, expected: str | None) -> None:
    assert scheme(url) == expected


def test_a_script_at_an_allowed_path_must_be_the_themes_own(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "js" / "factsheet.js").write_text("alert(1)")
    assert verify_site(site) == [
        "js/factsheet.js: a script at the path of one of the theme's that is not the theme's own file"
    ]
