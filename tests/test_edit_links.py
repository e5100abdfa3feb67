""" "Edit" on every generated page opens the file that produced it, in the fact sheet's
repository (content/site.yaml `repository`); without a repository there is no such link,
and no placeholder either."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, run_cli

EDIT = re.compile(r'<a class="edit" href="([^"]*)">suggest a correction</a>')
REPOSITORY = "https://github.com/example/seed-sheet"
BASE = REPOSITORY + "/edit/trunk/"

EXPECTED = {
    "index.html": "content/site.yaml",
    "meetings/index.html": "content/facts/meetings.yaml",
    "meetings/azerbaijan-armenia-negotiations.html": "content/facts/meetings.yaml",
    "participants/index.html": "content/facts/participants.yaml",
    "participants/antony-blinken.html": "content/facts/participants.yaml",
    "participants/azerbaijan-foreign-ministry.html": "content/facts/participants.yaml",
    "figures/index.html": "content/facts/landmines.yaml",
    "incidents/index.html": "content/facts/landmines.yaml",
    "statements/index.html": "content/facts/bilateral.yaml",
    "sources/index.html": "content/sources/tdi-2023-05-02.yaml",
    "sources/tdi-2023-05-02.html": "content/sources/tdi-2023-05-02.yaml",
}
GENERATED = [*EXPECTED, "method.html"]


def with_repository(root: Path) -> Path:
    with (root / "content/site.yaml").open("a", encoding="utf-8") as f:
        f.write(f"repository:\n  url: {REPOSITORY}\n  branch: trunk\n")
    return root


def build(root: Path) -> Path:
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root / "site"


def edit_link(site: Path, page: str) -> str | None:
    found = EDIT.findall((site / page).read_text(encoding="utf-8"))
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_repository(copy_project(tmp_path_factory.mktemp("e") / "proj"))


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return build(project)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_edit_link_opens_the_file_that_produced_the_page(site: Path, page: str) -> None:
    assert edit_link(site, page) == BASE + EXPECTED[page]


def test_every_edit_link_opens_a_file_the_fact_sheet_has(site: Path, project: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 15
    linked = 0
    for page in pages:
        link = edit_link(site, page.relative_to(site).as_posix())
        if link is None:
            continue
        assert link.startswith(BASE), page
        assert (project / link.removeprefix(BASE)).is_file(), link
        linked += 1
    assert linked >= len(EXPECTED)


def test_the_method_page_edits_the_fact_sheets_own_template_only_if_it_has_one(site: Path, tmp_path: Path) -> None:
    assert edit_link(site, "method.html") is None  # its template ships with the package
    root = with_repository(copy_project(tmp_path / "proj"))
    own = root / "templates/pages/method.html.j2"
    own.parent.mkdir(parents=True)
    own.write_text('<h1 id="h-title">Method</h1>\n<p>How this fact sheet works.</p>\n', encoding="utf-8")
    assert edit_link(build(root), "method.html") == BASE + "templates/pages/method.html.j2"


def test_without_a_repository_no_page_has_an_edit_or_repository_link(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    assert "repository" not in yaml.safe_load((root / "content/site.yaml").read_text(encoding="utf-8"))
    site = build(root)
    for page in GENERATED:
        html = (site / page).read_text(encoding="utf-8")
        assert edit_link(site, page) is None, page
        assert "/edit/" not in html and "fa-github" not in html and "OWNER/REPO" not in html, page


def test_the_link_follows_a_fact_moved_to_another_file(tmp_path: Path) -> None:
    root = with_repository(copy_project(tmp_path / "proj"))
    meetings = root / "content/facts/meetings.yaml"
    text = meetings.read_text(encoding="utf-8")
    first, second = text.split("\n  - id: bayramov-blinken-bilateral\n")
    meetings.write_text(first, encoding="utf-8")
    (root / "content/facts/bilateral-meeting.yaml").write_text(
        "meetings:\n  - id: bayramov-blinken-bilateral\n" + second, encoding="utf-8"
    )
    site = build(root)
    assert edit_link(site, "meetings/bayramov-blinken-bilateral.html") == (
        BASE + "content/facts/bilateral-meeting.yaml"
    )
    assert edit_link(site, "meetings/azerbaijan-armenia-negotiations.html") == (BASE + "content/facts/meetings.yaml")
