"""Escaping: every YAML string reaches the page as literal text, never as markup."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from generator.render import html_escape, md_escape

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "x](https://phish.example) [y",
    "a\n\n# Fake heading",
    '{: onclick="alert(1)" }',
    "| a | b |\n|---|---|\n| c | d |",
    "*bold* _em_ `code` **strong**",
    "<https://autolink.example>",
    "1. not a list",
    "- not a list",
    "&lt;already escaped&gt; &amp; &#x27;",
    "{{ config }} {% include '/etc/passwd' %}",
    "![img](https://x.example/i.png)",
    "line\\\nbreak",
    '" onmouseover="alert(1)',
]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def render(md: str) -> Tags:
    t = Tags()
    t.feed(markdown.markdown(md, extensions=["toc", "tables"]))
    return t


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_context_shows_the_literal_text(payload: str) -> None:
    out = render(f"- {md_escape(payload)}")
    assert [tag for tag, _ in out.tags] == ["ul", "li"]
    assert out.text.strip() == " ".join(payload.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_link_title_context_keeps_one_link_with_the_literal_title(payload: str) -> None:
    out = render(f'[\\[1\\]](page.md#s-1 "{md_escape(payload)}")')
    assert [tag for tag, _ in out.tags] == ["p", "a"]
    attrs = dict(out.tags[1][1])
    assert attrs == {"href": "page.md#s-1", "title": " ".join(payload.split())}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_raw_html_block_context_shows_the_literal_text(payload: str) -> None:
    out = render(f'<div class="article">\n<p><span id="s-1">{html_escape(payload)}</span></p>\n</div>')
    assert [tag for tag, _ in out.tags] == ["div", "p", "span"]
    assert out.text.strip() == payload.replace("\n", " ")


def test_trusted_markup_passes_unchanged() -> None:
    from markupsafe import Markup

    assert md_escape(Markup("../sources/x.md#s-1")) == "../sources/x.md#s-1"
