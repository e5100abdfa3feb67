"""Data for re-users: facts.json and facts.csv complete and documented on the Data page,
the licence and how to cite, absolute links under site_url, a CSV that spreadsheets
open right, and JSON-LD valid for its schema.org types. Also the What changed page,
from a real git history (test_history.py has the walk's own cases)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import copy_project, edit, run_cli

from generator.export import CSV_COLUMNS, CSV_DOC, JSON_DOC, VALUE_FIELDS, json_paths

SITE_URL = "https://facts.example.org/sheet/"


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    return out.stdout.strip()


def commit(root: Path, message: str, date: str) -> None:
    import os

    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed fixture with a site_url, in a git repository of two commits: the first
    version and a correction."""
    root = copy_project(tmp_path_factory.mktemp("data") / "repo")
    mk = root / "mkdocs.yml"
    mk.write_text(
        mk.read_text(encoding="utf-8").replace(
            "site_name: factsheet\n", f"site_name: factsheet\nsite_url: {SITE_URL}\n"
        )
    )
    git(root, "init", "-q", "-b", "main")
    commit(root, "First version", "2023-05-03T12:00:00Z")
    facts = root / "content/facts/landmines.yaml"
    edit(facts, "claimed the life of a civilian.", "killed a civilian.")
    commit(root, "Correction: the incident's wording", "2023-05-04T09:00:00Z")
    given = os.environ.pop("SOURCE_DATE_EPOCH", None)  # the build date is the last commit's (CI sets one)
    try:
        code, out = run_cli("build", "--root", str(root))
    finally:
        if given is not None:
            os.environ["SOURCE_DATE_EPOCH"] = given
    assert code == 0, out
    return root / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def data(site: Path) -> dict:
    return json.loads(read(site, "data/facts.json"))


# --- exports ---------------------------------------------------------------------------------
def test_every_key_and_column_is_documented_on_the_data_page(site: Path) -> None:
    assert json_paths(data(site)) - set(JSON_DOC) == set()
    assert {name for f in data(site)["facts"] for name in f["values"]} <= set(VALUE_FIELDS)
    html = read(site, "data/index.html")
    for name in CSV_COLUMNS:
        assert f'<tr id="csv-{name}"><th scope="row"><code>{name}</code></th>' in html
    for key in JSON_DOC:
        assert f"<code>{key}</code>" in html
    assert CSV_COLUMNS == list(CSV_DOC)


def test_csv_opens_right_in_spreadsheets_and_carries_every_field(site: Path) -> None:
    raw = (site / "data/facts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == CSV_COLUMNS
    fig = next(r for r in rows if r["fact_id"] == "landmine-casualties-since-2020")
    assert fig["value"] == "299" and fig["place"] and fig["measure"]
    assert fig["independent_sources"] == "1" and any(r["note"] for r in rows) and any(r["derived_method"] for r in rows)
    assert fig["fact_href"].startswith(SITE_URL) and fig["sentence_href"].startswith(SITE_URL)
    assert fig["original_href"].startswith("https://thediplomaticinsight.com/") and "#:~:text=" in fig["original_href"]
    statement = next(r for r in rows if r["type"] == "statements" and r["meeting"])
    assert statement["aspect"]
    meeting = next(r for r in rows if r["type"] == "meetings")
    assert "; " in meeting["participants"] or meeting["participants"]
    for r in rows:  # formula-safe: no cell starts a formula
        assert all(not v.startswith(("=", "+", "-", "@")) for v in r.values()), r["fact_id"]


def test_links_are_absolute_under_site_url_and_cite_texts_name_them(site: Path) -> None:
    d = data(site)
    assert d["dataset"]["site_url"] == SITE_URL
    assert d["dataset"]["licence"] == "CC BY 4.0"
    assert SITE_URL in d["dataset"]["cite"] and "CC BY 4.0" in d["dataset"]["cite"]
    for f in d["facts"]:
        assert f["href"].startswith(SITE_URL + "") and f"#fact-{f['id']}" in f["href"]
        assert f["cite"].startswith("The factsheet project (2023). “") and f["href"] in f["cite"]
        assert all(c["href"].startswith(SITE_URL) for c in f["citations"])
    for s in d["sources"]:
        assert s["href"].startswith(SITE_URL) and s["stored_text"].startswith(SITE_URL)


def test_cite_this_fact_is_on_its_permalink_and_the_data_page_cites_the_sheet(site: Path) -> None:
    d = data(site)
    f = next(f for f in d["facts"] if f["id"] == "landmine-casualties-since-2020")
    page, _, anchor = f["href"].removeprefix(SITE_URL).partition("#")
    html = read(site, page)
    at = html.index(f'id="{anchor}"')
    li = html[at : html.index("</li>\n", html.index("Cite this fact", at))]
    assert "Cite this fact" in li
    from html import escape

    assert escape(f["cite"], quote=False) in li
    datapage = read(site, "data/index.html")
    assert escape(d["dataset"]["cite"], quote=False) in datapage
    assert 'rel="license"' in datapage and "UTF-8 with a byte order mark" in datapage


# --- JSON-LD ---------------------------------------------------------------------------------
# The properties each type has on schema.org (its own and those it inherits), restricted
# to the ones this generator writes: a property not listed for the node's type fails.
THING = {"@id", "@type", "name", "description", "url", "disambiguatingDescription", "sameAs"}
CREATIVE_WORK = THING | {
    "text", "author", "creator", "publisher", "datePublished", "dateModified", "inLanguage", "isPartOf",
    "isBasedOn", "license", "version", "archivedAt", "isAccessibleForFree", "headline", "citation",
}  # fmt: skip
SCHEMA = {
    "Claim": CREATIVE_WORK | {"appearance", "firstAppearance", "claimInterpreter"},
    "Quotation": CREATIVE_WORK | {"spokenByCharacter"},
    "NewsArticle": CREATIVE_WORK | {"dateline"},
    "Article": CREATIVE_WORK,
    "SocialMediaPosting": CREATIVE_WORK,
    "CreativeWork": CREATIVE_WORK,
    "Dataset": CREATIVE_WORK | {"distribution", "includedInDataCatalog", "variableMeasured"},
    "DataDownload": CREATIVE_WORK | {"contentUrl", "encodingFormat", "contentSize"},
    "Event": THING | {"attendee", "location", "startDate", "endDate", "organizer", "about"},
    "Person": THING | {"jobTitle", "performerIn", "affiliation", "nationality"},
    "Organization": THING,
}
# Where a reference must point: property -> the types its target may have.
RANGE = {
    "appearance": {"Quotation"},
    "isPartOf": {"NewsArticle", "Article", "SocialMediaPosting", "CreativeWork"},
    "author": {"Person", "Organization"},
    "attendee": {"Person", "Organization"},
    "publisher": {"Organization"},
    "performerIn": {"Event"},
    "distribution": {"DataDownload"},
}


def blocks(html: str) -> list[dict]:
    return [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def empty(value: object) -> bool:
    if value in (None, "", [], {}):
        return True
    if isinstance(value, dict):
        return any(empty(v) for v in value.values())
    if isinstance(value, list):
        return any(empty(v) for v in value)
    return False


def test_jsonld_is_valid_for_its_types_with_one_node_per_id(site: Path) -> None:
    d = data(site)
    seen_types: set[str] = set()
    claims = set()
    for page in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        graphs = blocks(read(site, page))
        if page in ("index.html", "data/index.html"):
            assert graphs, page  # the home and data pages describe the Dataset
        for doc in graphs:
            assert doc["@context"] == "https://schema.org"
            nodes = doc["@graph"]
            assert nodes, page
            ids = [n["@id"] for n in nodes]
            assert len(ids) == len(set(ids)), page  # one node per @id
            by_id = {n["@id"]: n for n in nodes}
            for n in nodes:
                t = n["@type"]
                seen_types.add(t)
                assert n["@id"].startswith(SITE_URL), (page, n["@id"])  # absolute under site_url
                assert set(n) <= SCHEMA[t], (page, t, set(n) - SCHEMA[t])
                assert not empty(n), (page, n)
                for prop, allowed in RANGE.items():
                    refs = n.get(prop, [])
                    for ref in refs if isinstance(refs, list) else [refs]:
                        assert set(ref) == {"@id"} and by_id[ref["@id"]]["@type"] in allowed, (page, prop, ref)
                if t == "Claim":
                    claims.add(n["@id"])
                    quotes = [by_id[r["@id"]] for r in n["appearance"]]
                    assert quotes and all(q["text"] and q["isPartOf"] for q in quotes)
    assert claims == {f["href"] for f in d["facts"]}
    assert {
        "Claim",
        "Quotation",
        "NewsArticle",
        "Event",
        "Person",
        "Organization",
        "Dataset",
        "DataDownload",
    } <= seen_types
    # the quote is the Quotation's text, never NewsArticle.citation
    quote = d["facts"][0]["citations"][0]["quote"]
    page = d["facts"][0]["href"].removeprefix(SITE_URL).partition("#")[0]
    nodes = [n for b in blocks(read(site, page)) for n in b["@graph"]]
    assert any(n["@type"] == "Quotation" and n["text"] == quote for n in nodes)
    assert not any("citation" in n for n in nodes)


# --- what changed ----------------------------------------------------------------------------
def test_what_changed_lists_the_correction_by_date_linked_to_the_fact(site: Path) -> None:
    html = read(site, "changes.html")
    assert '<h2 id="d-2023-05-04">4 May 2023</h2>' in html
    assert '<h2 id="d-2023-05-03">3 May 2023</h2>' in html
    assert html.index("d-2023-05-04") < html.index("d-2023-05-03")  # newest first
    assert (
        "1 changed: Correction: the incident’s wording" in html
        or "1 changed: Correction: the incident&#39;s wording" in html
    )
    assert "killed a civilian." in html and "Before: A landmine blast" in html
    assert re.search(r'<a href="incidents/index.html#fact-[a-z0-9-]+">A landmine blast', html)
    assert "First version, with 38 facts" in html
    nav = read(site, "index.html")
    assert 'href="changes.html"' in nav and 'href="data/index.html"' in nav
