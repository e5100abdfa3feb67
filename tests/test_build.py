"""The built site: every citation lands on its sentence, facts.json has its promised shape."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, copy_project, edit, run_cli

from generator.cite import normalize


class Elements(HTMLParser):
    """Text of every element that has an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        ident = dict(attrs).get("id")
        self.open.append((tag, ident))
        if ident:
            self.text.setdefault(ident, "")

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            t, _ = self.open.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, ident in self.open:
            if ident:
                self.text[ident] += data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("b") / "proj")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root / "site"


def element_text(site: Path, href: str) -> str:
    page, _, anchor = href.partition("#")
    parser = Elements()
    parser.feed((site / page).read_text(encoding="utf-8"))
    assert anchor in parser.text, f"{href}: no element with id {anchor}"
    return parser.text[anchor]


def test_facts_json_has_the_promised_shape(built: Path) -> None:
    data = json.loads((built / "data" / "facts.json").read_text(encoding="utf-8"))
    src = data["sources"][0]
    assert {"id", "title", "publisher", "url", "published", "sha256", "sentences"} <= set(src)
    assert src["sha256"] == "9fb4aab15d811d67cb10432cff7dc42f300798c1a1dc26617f9560d1e5b3e172"
    assert len(src["sentences"]) == 40
    assert all({"id", "text", "href"} <= set(s) for s in src["sentences"])
    assert len(data["facts"]) == 38
    for fact in data["facts"]:
        assert {"id", "statement", "attributed_to", "citations"} <= set(fact)
        assert fact["citations"]
        assert all({"source", "sentence", "quote", "href"} <= set(c) for c in fact["citations"])
    by_id = {f["id"]: f for f in data["facts"]}
    figure = by_id["landmine-casualties-since-2020"]["attributed_to"]
    assert figure["mode"] == "according_to"
    assert [b["id"] for b in figure["by"]] == ["azerbaijan-foreign-ministry"]
    assert by_id["jeyhun-bayramov"]["attributed_to"] is None


def test_every_citation_href_resolves_to_an_element_containing_the_quote(built: Path) -> None:
    data = json.loads((built / "data" / "facts.json").read_text(encoding="utf-8"))
    checked = 0
    for fact in data["facts"]:
        for c in fact["citations"]:
            assert normalize(c["quote"]) in normalize(element_text(built, c["href"]))
            checked += 1
        element_text(built, fact["href"])  # the fact's permalink target exists
    assert checked == 38


def test_every_fact_has_a_permalink_and_a_marker_to_its_sentence(built: Path) -> None:
    html = (built / "figures" / "index.html").read_text(encoding="utf-8")
    assert 'id="fact-landmine-casualties-since-2020"' in html
    assert 'href="../sources/tdi-2023-05-02.html#s-d2c3d6af"' in html
    assert re.search(
        r'<a class="attr attr-according-to" href="[^"]*#according-to">According to the Azerbaijani Foreign Ministry</a>',
        html,
    )


def test_source_page_shows_the_article_with_one_element_per_sentence(built: Path) -> None:
    parser = Elements()
    parser.feed((built / "sources" / "tdi-2023-05-02.html").read_text(encoding="utf-8"))
    sentence_ids = [i for i in parser.text if i.startswith("s-")]
    assert len(sentence_ids) == 40


def test_plain_mkdocs_build_uses_the_plugin_and_leaves_no_markdown_behind(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "sources" / "tdi-2023-05-02.html").exists()
    assert (tmp_path / "out" / "data" / "facts.json").exists()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_plain_mkdocs_build_fails_on_bad_content(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    edit(root / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "content/facts/landmines.yaml:6:12: error[C204] number 298 in value" in out.stderr


def tree_hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file()
    }


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    assert run_cli("build", "--root", str(root))[0] == 0
    before = tree_hashes(root / "site")
    edit(root / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    assert run_cli("build", "--root", str(root))[0] == 1
    assert tree_hashes(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def add_page(root: Path, text: str) -> None:
    """A hand-written page in the docs dir, outside the navigation (as a fact sheet may add)."""
    (root / "docs/extra.md").write_text(text, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("not_in_nav: |\n  /extra.md\n")


@pytest.mark.parametrize("flags", [[], ["-q"], ["-v"]], ids=["plain", "quiet", "verbose"])
def test_strict_mkdocs_build_fails_on_a_broken_anchor_even_quiet_or_verbose(tmp_path: Path, flags: list[str]) -> None:
    # MkDocs 1.6.1 alone passes this with -q (mkdocs#4126) and with -v (mkdocs#3991);
    # validation.anchors in mkdocs.yml plus the plugin's site check fail it every time.
    root = copy_project(tmp_path / "proj")
    add_page(root, "# Extra\n\n[broken](index.md#no-such-anchor)\n")
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *flags, "-d", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1, out.stderr
    assert "no-such-anchor" in out.stderr


def test_a_hand_written_page_builds_beside_the_generated_ones(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    add_page(root, "# Extra\n\nSee [the figures](figures/index.md#fact-landmine-casualties-since-2020).\n")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    html = (root / "site/extra.html").read_text(encoding="utf-8")
    assert '<a href="figures/index.html#fact-landmine-casualties-since-2020">the figures</a>' in html


def test_factsheet_build_fails_on_a_broken_anchor_in_raw_html(tmp_path: Path) -> None:
    # MkDocs never checks links inside raw HTML; the site check does
    root = copy_project(tmp_path / "proj")
    add_page(root, '# Extra\n\n<p><a href="sources/tdi-2023-05-02.html#s-00000000">x</a></p>\n')
    code, out = run_cli("build", "--root", str(root))
    assert code == 1
    assert "extra.html: link sources/tdi-2023-05-02.html#s-00000000 has no target #s-00000000" in out
    assert not (root / "site").exists()


def test_a_fact_anchor_cannot_collide_with_a_heading_id(tmp_path: Path) -> None:
    # participant 'sheet' gets the anchor 'fact-sheet' on its page, whose heading is "Fact
    # sheet": heading ids start with h-, so the two never meet and the build passes
    root = copy_project(tmp_path / "proj")
    edit(root / "content/facts/participants.yaml", "- id: azerbaijan-foreign-ministry", "- id: sheet")
    edit(root / "content/facts/participants.yaml", "name: Azerbaijani Foreign Ministry", "name: Fact sheet")
    edit(root / "content/facts/landmines.yaml", "by: azerbaijan-foreign-ministry", "by: sheet")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    html = (root / "site/participants/sheet.html").read_text(encoding="utf-8")
    assert html.count('id="fact-sheet"') == 1
    assert '<h1 id="h-title">Fact sheet</h1>' in html


def test_a_duplicate_id_fails_the_build(tmp_path: Path) -> None:
    # a hand-written page that reuses a generated-looking id: the site check refuses it
    root = copy_project(tmp_path / "proj")
    add_page(root, '# Extra\n\n<p id="fact-x">a</p>\n<p id="fact-x">b</p>\n')
    code, out = run_cli("build", "--root", str(root))
    assert code == 1
    assert "extra.html: duplicate id 'fact-x'" in out
    assert not (root / "site").exists()


def test_build_strict_fails_on_a_mkdocs_warning_even_when_mkdocs_yml_allows_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    edit(root / "mkdocs.yml", "strict: true", "strict: false")
    (root / "docs/extra.md").write_text("# Extra\n")  # a page left out of the nav: a warning
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    code, out = run_cli("build", "--root", str(root), "--strict")
    assert code == 1
    assert "build failed; the previous site (if any) is unchanged" in out


def test_templates_compiled_once_are_compiled_again_when_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build keeps the templates' compiled code in the cache directory; the next build
    uses it (same site, byte for byte), and an edited template is compiled afresh."""
    from casekit import tree_hashes

    monkeypatch.setenv("FACTSHEET_CACHE", str(tmp_path / "cache"))
    root = copy_project(tmp_path / "sheet")
    shutil.copytree(REPO / "templates" / "pages", root / "templates" / "pages")
    assert run_cli("build", "--root", str(root))[0] == 0
    compiled = sorted((tmp_path / "cache").glob("jinja-*/__jinja2_*.cache"))
    assert {p.parent.name.split("-")[1] for p in compiled} == {"pages", "theme"}
    first = tree_hashes(root / "site")
    assert run_cli("build", "--root", str(root))[0] == 0
    assert tree_hashes(root / "site") == first
    edit(root / "templates" / "pages" / "source.html.j2", '<h1 id="h-title">', '<h1 id="h-title" class="edited">')
    assert run_cli("build", "--root", str(root))[0] == 0
    assert any(
        '<h1 id="h-title" class="edited">' in p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html")
    )
