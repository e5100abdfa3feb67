"""The published fact sheet as a reader meets it: pages, one-click citations and back,
attribution that reads differently, counts that match the data, JSON-LD, downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from casekit import lay_out
from conftest import FIXTURES, copy_project, run_cli

from generator.cite import normalize
from generator.views import text_fragment

PAGES = [
    "index.html",
    "meetings/index.html",
    "meetings/azerbaijan-armenia-negotiations.html",
    "meetings/bayramov-blinken-bilateral.html",
    "participants/index.html",
    "participants/jeyhun-bayramov.html",
    "participants/ararat-mirzoyan.html",
    "participants/antony-blinken.html",
    "participants/azerbaijan-foreign-ministry.html",
    "figures/index.html",
    "incidents/index.html",
    "statements/index.html",
    "sources/index.html",
    "sources/tdi-2023-05-02.html",
    "method.html",
]


class Page(HTMLParser):
    """Links, ids (with their text) and JSON-LD blocks of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str | None]] = []
        self.text: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.resources: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self._ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a":
            self.links.append(a | {"_in": ",".join(i for _, i in self._open if i)})
        if tag in ("script", "link", "img") and (a.get("src") or a.get("href")):
            self.resources.append(a.get("src") or a.get("href") or "")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._ld = True
            self.jsonld.append("")
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self._open.append((tag, a.get("id")))
        if a.get("id"):
            self.text.setdefault(a["id"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._ld = False
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._ld:
            self.jsonld[-1] += data
        for _, ident in self._open:
            if ident:
                self.text[ident] += data


def parse(site: Path, rel: str) -> Page:
    p = Page()
    p.feed((site / rel).read_text(encoding="utf-8"))
    return p


def resolve(rel: str, href: str) -> tuple[str, str]:
    """The page file and fragment a relative href from page `rel` points at."""
    import posixpath

    path, _, frag = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) if path else rel
    if not target.endswith(".html"):
        target = posixpath.join(target, "index.html")
    return target, frag


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("site") / "proj")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root / "site"


@pytest.fixture(scope="module")
def data(site: Path) -> dict:
    return json.loads((site / "data/facts.json").read_text(encoding="utf-8"))


def test_every_page_type_is_built(site: Path) -> None:
    missing = [p for p in PAGES if not (site / p).exists()]
    assert missing == []
    assert (site / "data/facts.json").exists() and (site / "data/facts.csv").exists()


def test_from_each_fact_one_click_reaches_its_sentence_and_a_backlink_returns(site: Path, data: dict) -> None:
    for fact in data["facts"]:
        page_rel, anchor = resolve("index.html", fact["href"])
        page = parse(site, page_rel)
        assert anchor in page.text, f"{fact['id']}: no permalink target on {page_rel}"
        # a marker [n] links to the sentence and is described by its entry in the page's References
        markers = [
            a
            for a in page.links
            if a.get("aria-describedby")
            and (a.get("href", "").count("/sources/") or a.get("href", "").startswith("sources/"))
        ]
        fact_markers = []
        for c in fact["citations"]:
            want = resolve("index.html", c["href"])
            hits = [a for a in markers if resolve(page_rel, a["href"] or "") == want]
            assert hits, f"{fact['id']}: no marker on {page_rel} links to {c['href']}"
            fact_markers += hits
            for m in hits:
                ref = page.text.get(m["aria-describedby"] or "")
                assert ref is not None, f"{fact['id']}: marker {m['href']} has no reference entry on {page_rel}"
                assert normalize(c["quote"]) in normalize(ref)
            src_rel, sid = want
            src = parse(site, src_rel)
            assert normalize(c["quote"]) in normalize(src.text[sid])
            back = [a for a in src.links if resolve(src_rel, a.get("href") or "") == (page_rel, anchor)]
            assert back, f"{fact['id']}: sentence {sid} has no link back to the fact"
        assert all(a.get("data-quote") and not a.get("title") for a in fact_markers), "preview (the quote) missing"


def test_three_kinds_of_claim_read_differently(site: Path) -> None:
    # each badge reads as its kind and leads to what that kind means on the Method page
    def badge(kind: str, text: str) -> str:
        return f'<a class="attr attr-{kind}" href="../method.html#{kind}">{text}</a>'

    html = (site / "meetings/azerbaijan-armenia-negotiations.html").read_text(encoding="utf-8")
    assert badge("said", "Said by Antony Blinken") in html
    assert badge("said", "Said by Jeyhun Bayramov and Ararat Mirzoyan") in html
    assert badge("narration", "Reported by The Diplomatic Insight (TDI)") in html
    landmines = (site / "figures/index.html").read_text(encoding="utf-8")
    assert badge("according-to", "According to the Azerbaijani Foreign Ministry") in landmines
    method = (site / "method.html").read_text(encoding="utf-8")
    for kind in ("said", "according-to", "alleges", "narration", "single-source", "verified"):
        assert f'<dt id="{kind}">' in method


def test_meeting_page_states_date_and_place_only_as_the_source_does(site: Path) -> None:
    html = (site / "meetings/bayramov-blinken-bilateral.html").read_text(encoding="utf-8")
    found = re.findall(r'<tr[^>]*><th scope="row">([^<]+)</th><td>(.*?)</td></tr>', html)
    rows = {k: re.sub(r"<[^>]+>", "", v) for k, v in found}
    assert '<span class="not-stated">Not stated in the source</span>' in html  # marked as such for the reader
    # the dateline says where the report was filed: it is never offered as the meeting's place
    assert rows["Date"] == rows["Place"] == "Not stated in the source"
    assert "Virginia" not in rows["Place"]


def test_method_counts_equal_the_data(site: Path, data: dict) -> None:
    html = (site / "method.html").read_text(encoding="utf-8")
    stats = data["statistics"]
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', html))
    assert rows["Facts"] == str(stats["facts"]) == str(len(data["facts"]))
    assert rows["Citations"] == str(stats["citations"]) == str(sum(len(f["citations"]) for f in data["facts"]))
    assert rows["Sources"] == str(stats["sources"]) == str(len(data["sources"]))
    assert rows["Sentences"] == str(stats["sentences"]) == "40"
    cited = {(c["source"], c["sentence"]) for f in data["facts"] for c in f["citations"]}
    assert rows["Sentences cited by a fact"] == str(len(cited))
    assert len(stats["uncited_sentences"]) == 40 - len(cited)
    for u in stats["uncited_sentences"]:  # every uncited sentence is listed with its reason
        assert f"Sentence {u['number']}</a> ({u['source']}): " in html
        assert u["reason"] != "not yet extracted as a fact", u


def test_jsonld_parses_as_jsonld_with_a_claim_per_fact(site: Path, data: dict) -> None:
    pyld = pytest.importorskip("pyld.jsonld")
    context = {"@context": {"@vocab": "https://schema.org/"}}

    def loader(url: str, options: dict | None = None) -> dict:  # offline: schema.org's context, minimal
        assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": context}

    types: dict[str, int] = {}
    claims = set()
    for rel in PAGES:
        for block in parse(site, rel).jsonld:
            doc = json.loads(block)
            base = "https://example.org/" + rel
            expanded = pyld.expand(doc, {"documentLoader": loader, "base": base})
            for node in pyld.flatten(expanded, None, {"documentLoader": loader, "base": base}):
                for t in node.get("@type", []):
                    types[t] = types.get(t, 0) + 1
                    if t == "https://schema.org/Claim":
                        claims.add(node["@id"].split("#")[-1])
    assert claims == {f"fact-{f['id']}" for f in data["facts"]}
    assert "https://schema.org/ClaimReview" not in types
    assert types.get("https://schema.org/Event", 0) >= 2
    assert types.get("https://schema.org/Person", 0) >= 3


def test_csv_has_one_row_per_fact_and_citation(site: Path, data: dict) -> None:
    rows = list(csv.DictReader(io.StringIO((site / "data/facts.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == sum(len(f["citations"]) for f in data["facts"])
    row = next(r for r in rows if r["fact_id"] == "landmine-casualties-since-2020")
    assert row["attribution_mode"] == "according_to" and row["attributed_to"] == "Azerbaijani Foreign Ministry"
    assert row["sentence_href"] == "sources/tdi-2023-05-02.html#s-d2c3d6af"


def test_no_requests_to_external_hosts(site: Path) -> None:
    for rel in PAGES:
        external = [r for r in parse(site, rel).resources if re.match(r"^(https?:)?//", r)]
        assert external == [], rel


def test_home_says_when_and_from_which_commit_it_was_built(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Built( on \d{4}-\d\d-\d\d \d\d:\d\d UTC)?( from commit <code>[0-9a-f]{12}</code>)?", html)
    assert "Key figures" in html and "299 documented landmine casualties" in html


def test_text_fragment_encodes_reserved_characters() -> None:
    url = text_fragment("https://x.example/a#old", "Nagorno-Karabakh, U.S. & co’s 299")
    assert url == "https://x.example/a#:~:text=Nagorno%2DKarabakh%2C%20U.S.%20%26%20co%E2%80%99s%20299"


def test_sources_that_disagree_show_both_values_each_with_its_source(tmp_path: Path) -> None:
    root = lay_out(FIXTURES / "disagreeing-sources", tmp_path / "proj")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    html = (root / "site/figures/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr class="disagree"><th scope="row">Value</th><td>(.*?)</td></tr>', html)
    assert row, "the Value row is marked: the sources disagree"
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", row.group(1))).replace("\u2060", "").split())
    assert text == "Sources disagree: 299[1]; 300[2]"
    refs = re.findall(r'<li id="ref-(\d)">.*? — <a [^>]*>([^<]+), sentence', html)
    assert refs == [("1", "The Diplomatic Insight (TDI)"), ("2", "Test Wire")]
    data = json.loads((root / "site/data/facts.json").read_text(encoding="utf-8"))
    value = data["facts"][-1]["values"]["value"]
    assert [(v["value"], v["sources"]) for v in value["values"]] == [
        ("299", ["tdi-2023-05-02"]),
        ("300", ["test-other-2023"]),
    ]
    assert value["sources_disagree"] is True


def test_citation_numbers_restart_on_each_page_and_match_its_references(site: Path) -> None:
    for rel in PAGES:
        html = (site / rel).read_text(encoding="utf-8")
        numbers = [int(n) for n in re.findall(r'aria-describedby="ref-(\d+)">\[\1\]</a>', html)]
        refs = [int(n) for n in re.findall(r'<li id="ref-(\d+)">', html)]
        if not numbers:
            assert '<ol class="references">' not in html, rel
            continue
        assert sorted(set(numbers)) == refs == list(range(1, len(refs) + 1)), rel
        assert html.count('<ol class="references">') == 1, rel


def test_no_link_is_nested_in_another_and_the_contents_name_every_heading(site: Path) -> None:
    # a heading that is a link (a meeting on the Meetings page) shows as plain text in the
    # page's contents (On this page), which links it itself
    for rel in PAGES:
        html = (site / rel).read_text(encoding="utf-8")
        assert not re.search(r"<a\b[^>]*>(?:(?!</a>).)*<a\b", html, re.DOTALL), rel
    html = (site / "meetings/index.html").read_text(encoding="utf-8")
    assert '<li><a href="#h-1">Azerbaijan–Armenia negotiations with the U.S. Secretary of State</a>' in html
