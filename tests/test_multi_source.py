"""Several sources on one fact sheet (tests/fixtures/multi-source, sources written for the
test): values per source, disagreement on a place, a date and a figure, an excerpt
without a title, a post quoted by an outlet, a syndicated copy, an allegation disputed by
another source. Checked on the built pages, facts.json, facts.csv and JSON-LD."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, edit, run_cli

SHEET = FIXTURES / "multi-source"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("multi") / "sheet", source=SHEET)
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def rows(html: str) -> dict[str, str]:
    """Each table row's label and its cell's visible text."""
    found = re.findall(r'<tr[^>]*><th scope="row">([^<]+)</th><td>(.*?)</td></tr>', html, re.S)
    text = {k: unescape(re.sub(r"<[^>]+>", "", v)).replace("\u2060", "") for k, v in found}  # no word joiners
    return {k: " ".join(v.split()) for k, v in text.items()}


def facts(site: Path) -> dict[str, dict]:
    return {f["id"]: f for f in json.loads(page(site, "data/facts.json"))["facts"]}


def test_the_place_row_shows_each_value_with_its_sources_and_says_they_disagree(site: Path) -> None:
    html = page(site, "meetings/ministers-talks.html")
    place = rows(html)["Place"]
    assert place.startswith("Sources disagree:")
    assert re.search(r"Arlington\[\d\]\[\d\]; Washington D\.C\.\[\d\]; not stated by Test Outlet C", place), place
    assert '<tr class="disagree"><th scope="row">Place</th>' in html
    date = rows(html)["Date"]
    assert re.search(r"Sources disagree: Monday\[\d\]; Tuesday\[\d\]", date), date


def test_a_figure_the_sources_disagree_on_shows_both_values(site: Path) -> None:
    value = rows(page(site, "figures/index.html"))["Value"]
    assert re.search(r"Sources disagree: 299\[\d\]; 300\[\d\]", value), value


def test_facts_json_and_jsonld_carry_every_value_with_its_sources(site: Path) -> None:
    meeting = facts(site)["ministers-talks"]
    place = meeting["values"]["place"]
    assert place["sources_disagree"] is True
    assert [(v["value"], v["sources"]) for v in place["values"]] == [
        ("Arlington", ["wire-a-2023-05-02", "wire-a-copy-2023-05-02"]),
        ("Washington D.C.", ["herald-b-2023-05-03"]),
    ]
    assert place["not_stated_by"] == ["outlet-c-post-excerpt"]
    assert meeting["as_of"] == "2023-05-03"
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page(site, "meetings/ministers-talks.html")
    )
    graph = [n for b in blocks for n in json.loads(b)["@graph"]]
    event = next(n for n in graph if n["@type"] == "Event")
    assert event["location"] == ["Arlington", "Washington D.C."]
    figure = facts(site)["landmine-casualties"]["values"]["value"]
    assert [v["value"] for v in figure["values"]] == ["299", "300"] and figure["sources_disagree"]


def test_the_attribution_line_shows_the_reporting_chain(site: Path) -> None:
    html = page(site, "meetings/ministers-talks.html")
    assert "Said by Antony Blinken" in html
    assert "as reported by Test Outlet C, 2 May 2023, quoting Antony Blinken" in html
    cites = facts(site)["blinken-glad-to-host"]["citations"]
    assert cites[0]["quoting"] == "antony-blinken"


def test_an_allegation_reads_as_one_everywhere(site: Path) -> None:
    html = page(site, "meetings/ministers-talks.html")
    assert "Alleged by Jeyhun Bayramov against Armenian forces" in html
    assert "An allegation by Jeyhun Bayramov against Armenian forces" in html
    assert "(Test Herald B) disputes it" in html
    f = facts(site)["bayramov-accuses-armenian-forces"]
    assert f["attributed_to"]["mode"] == "alleges" and f["attributed_to"]["against"] == "Armenian forces"
    assert [c["stance"] for c in f["citations"]] == ["supports", "disputes"]
    table = list(csv.DictReader(io.StringIO(page(site, "data/facts.csv").removeprefix("\ufeff"))))
    mine = [r for r in table if r["fact_id"] == "bayramov-accuses-armenian-forces"]
    assert {r["attribution_mode"] for r in mine} == {"alleges"} and {r["allegation_against"] for r in mine} == {
        "Armenian forces"
    }
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    claim = next(
        n for b in blocks for n in json.loads(b)["@graph"] if n.get("@id") == "#fact-bayramov-accuses-armenian-forces"
    )
    assert "allegation" in claim["disambiguatingDescription"].lower()


def test_posts_are_as_of_the_date_of_their_source(site: Path) -> None:
    post = rows(page(site, "participants/antony-blinken.html"))["Post"]
    assert post == "Secretary of State[1] (as of 3 May 2023)"
    assert rows(page(site, "participants/antony-blinken.html"))["Country"] == "Not stated in the source"


def test_corroboration_counts_a_syndicated_copy_once_and_flags_single_sources(site: Path) -> None:
    html = page(site, "meetings/ministers-talks.html")
    assert "3 sources</span>" in html  # wire A, herald B, outlet C (the copy of wire A does not count again)
    allegation = html[html.index('id="fact-bayramov-accuses-armenian-forces"') :]
    assert re.search(r'class="single"[^>]*>single source<', allegation[: allegation.index("</li>")])  # one supports


def test_an_excerpt_without_a_title_is_shown_as_it_is(site: Path) -> None:
    html = page(site, "sources/outlet-c-post-excerpt.html")
    assert "<h1" in html and "Untitled excerpt by Test Outlet C, 2 May 2023" in html
    assert "This is an excerpt:" in html and "The stored copy has no title" in html
    stored = page(site, "sources/outlet-c-post-excerpt.txt")
    assert stored.encode() == (SHEET / "content/sources/outlet-c-post-excerpt.txt").read_bytes()
    copy = page(site, "sources/wire-a-copy-2023-05-02.html")
    assert "A syndicated copy of" in copy


def test_the_dateline_is_never_offered_as_a_place(site: Path) -> None:
    html = page(site, "meetings/ministers-talks.html")
    assert "ARLINGTON, 2 May 2023" not in rows(html)["Place"]
    assert "where and when it was filed" in page(site, "sources/wire-a-2023-05-02.html")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      - value: Washington D.C.\n",
            "      - value: Paris\n",
            "error[C209] place 'Paris' is in no quote of this fact",
        ),
        (
            "    post: Secretary of State\n",
            "    post: U.S. Secretary of State\n",
            "error[C209] post 'U.S. Secretary of State' is in no quote",
        ),
        ('      - value: "300"\n', '      - value: "301"\n', "error[C204] number 301 in quote is not in the quote"),
        (
            "      against: Armenian forces\n",
            "      against: Azerbaijan\n",
            "error[C209] against 'Azerbaijan' is in no quote",
        ),
    ],
)
def test_a_value_no_quote_states_fails_the_check_at_its_position(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = copy_project(tmp_path / "sheet", source=SHEET)
    edit(root / "content/facts/talks.yaml", old, new)
    code, out = run_cli("check", "--root", str(root))
    assert code == 1
    assert re.search(r"^content/facts/talks\.yaml:\d+:\d+: " + re.escape(expected), out, re.M), out


def test_screenshots_of_the_multi_source_pages(site: Path) -> None:
    """Kept for a person to look at (test-artifacts/browser/multi-source-*.png)."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    out = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for width in (1280, 390):
            tab = browser.new_page(viewport={"width": width, "height": 900})
            for name in ("meetings/ministers-talks.html", "figures/index.html", "sources/outlet-c-post-excerpt.html"):
                tab.goto((site / name).as_uri())
                shot = out / f"multi-source-{width}-{name.replace('/', '-').removesuffix('.html')}.png"
                tab.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
        browser.close()
    shutil.rmtree(out / "unused", ignore_errors=True)
