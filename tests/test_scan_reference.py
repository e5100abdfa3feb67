"""The site check reads pages with Lexbor (selectolax) and a scan of every tag-like run of
the text; it replaced html5lib with its tokenizer tapped (issue 14: 4 to 10 times faster).
This holds the new reader to the old one (tests/reference_scan.py): on the fixture's
published pages it reads the same ids, links, scripts and policy; on every payload of the
site-check tests it finds every problem the old one found; and on 6,000 generated pages of
tag soup (tricky markup: comments, raw text, foreign content, dropped tags) it refuses
every page the old one refused and reads the same ids, links and scripts in those both let
through. Pages the old reader let through and the new one refuses are allowed: the scan of
the text is a superset of any parser's start tags, so it is stricter.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reference_scan import reference_scan
from test_parser_differential import PAYLOADS, _page

from generator.publish import _scan_html

GOLDEN = Path(__file__).parent / "golden"
SOUP = [
    "<", ">", '"', "'", "=", "/", " ", "\n", "<!--", "-->", "--!>", "<!", "<?", "<img", "<iframe", "<script>",
    "</script>", "<select>", "<svg>", "</svg>", "<math>", "<style>", "</style>", "<textarea>", "</textarea>",
    "<title>", "</title>", "<noscript>", "</noscript>", "<template>", "<table>", "<td>", "<p", "<b>", "<a", "</a>",
    " href=javascript:x", ' href="#a"', " src=x", " onerror=x", ' ONclick="y"', " id=a", " id=b", " name=c",
    "<xmp>", "<frameset>", "<body", "<html", "<head>", "<meta", " http-equiv=refresh",
    ' http-equiv="content-security-policy" content="x"', "<![CDATA[", "]]>", "&lt;", "<option>",
    "<foreignObject>", "<desc>", "<font color=red>", "<plaintext>", "<object>", "<embed>", "<base>", "<form>",
    "<input", "<button", " formaction=javascript:x", ' style="x:expression(1)"', "<script src=a.js>",
    "<meta charset=iso-2022-jp>", "x", "text ",
]  # fmt: skip
# Without the elements refused on sight, the pages whose reading decides the verdict.
TRAPS = ("iframe", "select", "math", "textarea", "noscript", "template", "xmp", "frameset", "plaintext", "object")
QUIET_SOUP = [a for a in SOUP if not any(t in a for t in (*TRAPS, "embed", "base"))]


def _reading(f: object) -> tuple[object, ...]:
    return (sorted(f.ids), sorted(set(f.links)), f.scripts, f.csp)  # type: ignore[attr-defined]


def test_the_fixtures_published_pages_read_the_same() -> None:
    pages = sorted(GOLDEN.rglob("*.html"))
    assert len(pages) >= 15
    for path in pages:
        old, new = reference_scan(path.read_bytes()), _scan_html(path.read_bytes())
        assert (new.problems, new.inline, new.duplicate_ids) == (old.problems, old.inline, old.duplicate_ids), path
        assert _reading(new) == _reading(old), path


@pytest.mark.parametrize("name", PAYLOADS)
def test_every_payload_problem_is_still_found(name: str) -> None:
    data = _page(PAYLOADS[name]).encode()
    assert set(reference_scan(data).problems) <= set(_scan_html(data).problems)


@pytest.mark.parametrize("soup", [SOUP, QUIET_SOUP], ids=["all markup", "no element refused on sight"])
def test_tag_soup_is_refused_whenever_the_old_reader_refused_it(soup: list[str]) -> None:
    refused = 0
    for seed in range(3000):
        rng = random.Random(seed)
        body = "".join(rng.choice(soup) for _ in range(rng.randint(2, 25)))
        data = _page(body).encode()
        old, new = reference_scan(data), _scan_html(data)
        refused += bool(old.problems)
        assert new.problems or not old.problems, (body, old.problems)
        if not old.problems and not new.problems:
            assert _reading(new) == _reading(old), body
    assert refused > 600  # the soup does reach the check
