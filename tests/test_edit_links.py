""" "Edit on GitHub" on every generated page opens the YAML file that produced it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_project, run_cli

EDIT = re.compile(r'<a href="([^"]*)" class="nav-link">\s*<i class="fa-brands fa-github"></i> Edit on GitHub')
CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
BASE = CONFIG["repo_url"].rstrip("/") + "/" + CONFIG["edit_uri"]

EXPECTED = {
    "index.html": "templates/pages/index.md.j2",
    "method/index.html": "templates/pages/method.md.j2",
    "meetings/index.html": "content/facts/meetings.yaml",
    "meetings/azerbaijan-armenia-negotiations/index.html": "content/facts/meetings.yaml",
    "participants/index.html": "content/facts/participants.yaml",
    "participants/antony-blinken/index.html": "content/facts/participants.yaml",
    "participants/azerbaijan-foreign-ministry/index.html": "content/facts/participants.yaml",
    "landmines/index.html": "content/facts/landmines.yaml",
    "sources/tdi-2023-05-02/index.html": "content/sources/tdi-2023-05-02.yaml",
}


def edit_link(site: Path, page: str) -> str | None:
    found = EDIT.findall((site / page).read_text(encoding="utf-8"))
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("e") / "proj")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root / "site"


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_edit_link_opens_the_yaml_that_produced_the_page(site: Path, page: str) -> None:
    assert edit_link(site, page) == BASE + EXPECTED[page]


def test_every_page_has_an_edit_link_to_a_file_that_exists(site: Path) -> None:
    pages = [p for p in site.rglob("index.html")]
    assert len(pages) >= 12
    for page in pages:
        link = edit_link(site, page.relative_to(site).as_posix())
        assert link and link.startswith(BASE), page
        assert (REPO / link.removeprefix(BASE)).is_file(), link


def test_the_link_follows_a_fact_moved_to_another_file(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    meetings = root / "content/facts/meetings.yaml"
    text = meetings.read_text(encoding="utf-8")
    first, second = text.split("\n  - id: bayramov-blinken-bilateral\n")
    meetings.write_text(first, encoding="utf-8")
    (root / "content/facts/bilateral-meeting.yaml").write_text(
        "meetings:\n  - id: bayramov-blinken-bilateral\n" + second, encoding="utf-8"
    )
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    site = root / "site"
    assert edit_link(site, "meetings/bayramov-blinken-bilateral/index.html") == (
        BASE + "content/facts/bilateral-meeting.yaml"
    )
    assert edit_link(site, "meetings/azerbaijan-armenia-negotiations/index.html") == (
        BASE + "content/facts/meetings.yaml"
    )
