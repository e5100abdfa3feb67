"""Escaping: every YAML string reaches the page as literal text, never as markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from generator.render import default_templates, make_env

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


def render(template: str, value: str) -> Tags:
    """A template of the package's environment (autoescape, as pages are rendered), parsed."""
    t = Tags()
    t.feed(make_env([default_templates()]).from_string(template).render(value=value))
    return t


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_context_shows_the_literal_text(payload: str) -> None:
    out = render("<li>{{ value }}</li>", payload)
    assert [tag for tag, _ in out.tags] == ["li"]
    assert out.text == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_attribute_context_keeps_one_link_with_the_literal_title(payload: str) -> None:
    out = render('<a href="#s-1" title="{{ value }}">[1]</a>', payload)
    assert [tag for tag, _ in out.tags] == ["a"]
    assert dict(out.tags[0][1]) == {"href": "#s-1", "title": payload}
