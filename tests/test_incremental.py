"""The live preview's incremental rebuild (generator/incremental.py): after a YAML edit it
rewrites only the pages the edit affects, and the site is then byte for byte the one a
fresh full build of the edited project writes; a template edit rebuilds every page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, copy_project, edit

from generator.buildinfo import BuildInfo
from generator.incremental import DEFERRED, Preview, affected_pages
from generator.locations import Urls
from generator.pipeline import check
from generator.registry import CHANGES_PAGE
from generator.render import Renderer, default_templates

SERVE_URL = "http://127.0.0.1:8199/"  # never listened on: the builds run without a server
PARTICIPANTS = Path("content/facts/participants.yaml")
LANDMINES = Path("content/facts/landmines.yaml")
SOURCE = Path("content/sources/tdi-2023-05-02.yaml")

# Valid edits of the fixture (the check passes after each), of the kinds an editor makes.
EDITS = {
    "note": (
        PARTICIPANTS,
        "    post: Foreign Minister of Azerbaijan\n",
        "    post: Foreign Minister of Azerbaijan\n    note: an edit in the preview\n",
    ),
    "statement": (
        LANDMINES,
        "      299 documented landmine casualties have occurred in Azerbaijan",
        "      299 documented landmine casualties occurred in Azerbaijan",
    ),
    "attribution": (LANDMINES, "      mode: according_to\n", "      mode: said\n"),
    "meeting": (
        Path("content/facts/meetings.yaml"),
        "      for bilateral negotiations between their countries.",
        "      for negotiations between their respective countries.",
    ),
    "meeting participants": (
        Path("content/facts/meetings.yaml"),
        "participants: [jeyhun-bayramov, antony-blinken]",
        "participants: [antony-blinken, jeyhun-bayramov]",
    ),
    "statement of a meeting": (
        Path("content/facts/bilateral.yaml"),
        "    aspect: topic\n    statement: Both countries’ representatives discussed",
        "    aspect: outcome\n    statement: The representatives of both countries discussed",
    ),
    "publisher": (SOURCE, "publisher: The Diplomatic Insight (TDI)\n", "publisher: The Diplomatic Insight\n"),
    "non-claim": (
        SOURCE,
        "    reason: The publisher's commentary on the meeting",
        "    reason: Commentary on the meeting",
    ),
}


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def serving() -> Iterator[list[Preview]]:
    """The previews a test starts; after it, the plugin object MkDocs keeps for the process
    is told the serve is over (on_shutdown), so later builds in this process are not served."""
    started: list[Preview] = []
    yield started
    for p in started:
        p.wait()
        p.config().plugins.on_shutdown()


def preview(root: Path, site: Path, started: list[Preview]) -> Preview:
    p = Preview(root / "mkdocs.yml", str(site), SERVE_URL)
    p.config().plugins.on_startup(command="serve", dirty=False)
    started.append(p)
    return p


def full_build_elsewhere(root: Path, site: Path) -> None:
    """A fresh full build of the project as the preview builds it (serve mode), in a new
    process: no state of the other builds (the plugin object MkDocs keeps) is shared."""
    code = (
        "import sys; from pathlib import Path; from generator.incremental import Preview;"
        f"p = Preview(Path(sys.argv[1]) / 'mkdocs.yml', sys.argv[2], {SERVE_URL!r});"
        "p.config().plugins.on_startup(command='serve', dirty=False); p.full()"
    )
    subprocess.run([sys.executable, "-c", code, str(root), str(site)], check=True, cwd=REPO, capture_output=True)


def test_incremental_rebuild_equals_full_build(tmp_path: Path, serving: list[Preview]) -> None:
    root = copy_project(tmp_path / "p")
    site = tmp_path / "serve"
    p = preview(root, site, serving)
    assert p.build() == "full"
    before = files_of(site)
    assert p.build() == "unchanged"
    for name in ("note", "statement"):  # the second before the first one's follow-up is done
        path, old, new = EDITS[name]
        edit(root / path, old, new)
        assert p.build() == "incremental", name
    p.wait()
    after = files_of(site)
    assert after != before
    assert any(b"an edit in the preview" in data for data in after.values())
    fresh = tmp_path / "fresh"
    full_build_elsewhere(root, fresh)
    expected = files_of(fresh)
    assert sorted(after) == sorted(expected)
    differ = [rel for rel in expected if after[rel] != expected[rel]]
    assert differ == [], f"the incremental site differs from a full build in {differ}"


def test_broken_edit_shows_the_error_page_then_recovers(tmp_path: Path, serving: list[Preview]) -> None:
    """Content with an error, or a site.yaml edit, is a full build (the error page at
    every address); the fix is a full build again, and the next edit incremental."""
    root = copy_project(tmp_path / "p")
    site = tmp_path / "serve"
    p = preview(root, site, serving)
    assert p.build() == "full"
    path, old, new = EDITS["statement"]
    edit(root / LANDMINES, "quote: >-\n          According to", "quote: >-\n          Reportedly, according to")
    assert p.build() == "full"
    assert b"The fact sheet has errors" in (site / "index.html").read_bytes()
    edit(root / LANDMINES, "Reportedly, according to", "According to")
    assert p.build() == "full"
    assert b"The fact sheet has errors" not in (site / "index.html").read_bytes()
    edit(root / path, old, new)
    assert p.build() == "incremental"
    p.wait()
    edit(root / "content" / "site.yaml", "\ntitle: ", "\ntitle: Edited ")
    assert p.build() == "full"


def test_template_edit_rebuilds_every_page(tmp_path: Path, serving: list[Preview]) -> None:
    root = copy_project(tmp_path / "p")
    site = tmp_path / "serve"
    p = preview(root, site, serving)
    assert p.build() == "full"
    theme = root / "templates" / "theme"
    theme.mkdir(parents=True)
    base = (default_templates() / "theme" / "base.html").read_text(encoding="utf-8")
    assert "</footer>" in base
    (theme / "base.html").write_text(base.replace("</footer>", "</footer><!-- template edit -->", 1), encoding="utf-8")
    assert p.build() == "full"
    pages = {rel: data for rel, data in files_of(site).items() if rel.endswith(".html") and rel != "404.html"}
    assert len(pages) > 5
    assert all(b"<!-- template edit -->" in data for data in pages.values()), [
        rel for rel, data in pages.items() if b"<!-- template edit -->" not in data
    ]


def rendered(root: Path) -> dict[str, str]:
    project = check(root)
    assert not project.report.has_errors, project.report.sorted()
    r = Renderer(project, [root / "templates", default_templates()], BuildInfo.of(root), Urls(False, SERVE_URL))
    return {page.path: r.render(page) for page in r.pages()}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_affected_pages_cover_every_page_that_changes(tmp_path: Path, name: str) -> None:
    """The pages an edit affects, as incremental.affected_pages works them out, hold every
    page whose HTML differs after the edit (rendered in full, before and after)."""
    root = copy_project(tmp_path / "p")
    old_project = check(root)
    old = rendered(root)
    path, a, b = EDITS[name]
    edit(root / path, a, b)
    new_project = check(root)
    new = rendered(root)
    pages = affected_pages(old_project, new_project)
    assert pages is not None
    differ = {p for p in new if new[p] != old.get(p)}
    assert differ, "the edit changes no page"
    assert differ <= pages, f"not rebuilt, yet changed: {sorted(differ - pages)}"
    if name == "note":  # a participant's note: on its page, nowhere else but the source's back-links
        assert pages == {"participants/jeyhun-bayramov.md", "sources/tdi-2023-05-02.md", *DEFERRED, CHANGES_PAGE}
    # told which file changed, it compares only that file's facts (or source): the same pages
    assert affected_pages(old_project, new_project, {path.as_posix()}) == pages


def test_the_follow_up_waits_for_a_pause_in_the_saves(tmp_path: Path, serving: list[Preview]) -> None:
    """The data files, the search index and the site check wait until no save has come for
    `quiet` seconds, then run by themselves; a change that is nothing (a file an editor
    made and removed) does not cancel them."""
    root = copy_project(tmp_path / "p")
    site = tmp_path / "serve"
    p = preview(root, site, serving)
    p.quiet = 60.0
    assert p.build() == "full"
    exports = {rel: data for rel, data in files_of(site).items() if rel.startswith("data/")}
    assert exports
    path, old, new = EDITS["note"]
    edit(root / path, old, new)
    assert p.build() == "incremental"
    scratch = root / "content" / "facts" / ".participants.yaml.swp"
    scratch.write_text("x", encoding="utf-8")
    scratch.unlink()
    assert p.build() == "unchanged"
    assert all(t.is_alive() for t in p.pending)  # waiting for the pause, not cancelled
    assert {rel: files_of(site)[rel] for rel in exports} == exports  # not yet written
    p.quiet = 0.2  # the pause comes: the follow-up runs without being hurried
    for t in p.pending:
        t.join(timeout=120)
    after = files_of(site)
    assert any(after[rel] != exports[rel] for rel in exports)
    fresh = tmp_path / "fresh"
    full_build_elsewhere(root, fresh)
    assert after == files_of(fresh)
