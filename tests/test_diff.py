"""`factsheet diff BASE`: facts added, removed and changed, as Markdown a pull request can show."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import copy_project, edit, run_cli
from markdown_it import MarkdownIt

from generator.review import block, code


def git(root: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The project in a fresh git repository, one commit on branch main."""
    root = copy_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


NEW_FACT = """
  - id: blinken-exchanged-views
    statement: Blinken and the ministers exchanged views on the conflicts in the region.
    attribution: null
    citations:
      - source: tdi-2023-05-02
        quote: They exchanged views on the ongoing conflicts in the region
"""


def diff(root: Path, base: str = "main") -> str:
    code_, out = run_cli("diff", "--root", str(root), base)
    assert code_ == 0, out
    return out


def test_no_changes(repo: Path) -> None:
    assert diff(repo) == (
        "## Fact changes against `main`\n\n"
        "**0 added, 0 removed, 0 changed** (38 facts before, 38 after); sources: 0 added, 0 removed, 0 changed.\n\n"
        "No fact was added, removed or changed.\n"
    )


def test_added_removed_and_changed_value_quote_and_attribution(repo: Path) -> None:
    facts = repo / "content/facts"
    (facts / "negotiations.yaml").write_text(
        (facts / "negotiations.yaml").read_text(encoding="utf-8") + NEW_FACT, encoding="utf-8"
    )
    text = (facts / "bilateral.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: bayramov-energy-partner")
    end = text.index("\n  - id: ", start + 1)
    (facts / "bilateral.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    land = facts / "landmines.yaml"
    edit(land, 'value: "299"', 'value: "298"')
    edit(land, "conflict, 299 documented landmine casualties", "conflict, 298 documented landmine casualties")
    edit(
        land,
        "      by: azerbaijan-foreign-ministry\n      mode: according_to",
        "      by: jeyhun-bayramov\n      mode: said",
    )
    out = diff(repo)
    assert out.startswith(
        "## Fact changes against `main`\n\n**1 added, 1 removed, 1 changed** (38 facts before, 38 after); "
        "sources: 0 added, 0 removed, 0 changed.\n\n"
        "⚠️ The changed content has "
    )
    assert "#### `blinken-exchanged-views` · statements · `content/facts/negotiations.yaml`\n\n```text\n" in out
    assert "quote 1: They exchanged views on the ongoing conflicts in the region (tdi-2023-05-02)\n" in out
    assert "### Removed\n\n#### `bayramov-energy-partner` · statements · `content/facts/bilateral.yaml`" in out
    changed = out[out.index("### Changed") :]
    assert changed.startswith(
        "### Changed\n\n#### `landmine-casualties-since-2020` · figures · `content/facts/landmines.yaml`\n"
    )
    assert "\n- value: 299\n+ value: 298\n" in changed
    assert "\n- attribution: according to azerbaijan-foreign-ministry\n+ attribution: said jeyhun-bayramov\n" in changed
    assert "\n- quote 1: According to the Azerbaijani Foreign Ministry, since the end of the 2020 conflict, 299 " in (
        changed
    )
    assert "\n+ quote 1: According to the Azerbaijani Foreign Ministry, since the end of the 2020 conflict, 298 " in (
        changed
    )


def test_sources_added_removed_and_changed_are_listed(repo: Path) -> None:
    sources = repo / "content" / "sources"
    for suffix in (".txt", ".yaml"):
        (sources / f"second-report{suffix}").write_bytes((sources / f"tdi-2023-05-02{suffix}").read_bytes())
    edit(sources / "tdi-2023-05-02.yaml", "language: en", "language: en\nretrieved: 2023-05-04")
    out = diff(repo)
    assert "sources: 1 added, 0 removed, 1 changed" in out
    assert "+ second-report: United States Hosts Azerbaijan-Armenia Talks" in out
    assert "~ tdi-2023-05-02: retrieved: None → 2023-05-04" in out
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "second source")
    for suffix in (".txt", ".yaml"):
        (sources / f"second-report{suffix}").unlink()
    assert "- second-report: United States Hosts" in diff(repo, "HEAD")


def test_base_can_be_any_revision_and_a_moved_fact_is_a_change_of_file(repo: Path) -> None:
    edit(repo / "content/facts/landmines.yaml", 'value: "299"', "value: 299")  # same value, other spelling
    git(repo, "commit", "-qam", "unquote")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")
    meetings = repo / "content/facts/meetings.yaml"
    text = meetings.read_text(encoding="utf-8")
    before, after = text.split("\n  - id: bayramov-blinken-bilateral\n")
    meetings.write_text(before, encoding="utf-8")
    (repo / "content/facts/bilateral-meeting.yaml").write_text(
        "meetings:\n  - id: bayramov-blinken-bilateral\n" + after, encoding="utf-8"
    )
    out = diff(repo, first)
    assert "**0 added, 0 removed, 0 changed**" in out  # moving alone changes no field
    assert diff(repo, "HEAD~1") == out.replace(f"`{first}`", "`HEAD~1`")


def test_an_unknown_revision_is_an_error(repo: Path) -> None:
    code_, out = run_cli("diff", "--root", str(repo), "no-such-branch")
    assert code_ == 2
    assert "git cannot find the revision 'no-such-branch'" in out


def test_outside_a_git_repository_diff_says_so(project: Path) -> None:
    code_, out = run_cli("diff", "--root", str(project), "main")
    assert (code_, out) == (2, f"factsheet diff: {project} is not in a git repository\n")


def test_content_that_did_not_exist_at_base_is_all_added(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README").write_text("x\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "empty")
    copy_project(tmp_path / "proj")
    for name in ("content", "docs", "mkdocs.yml"):
        (tmp_path / "proj" / name).rename(root / name)
    assert "**38 added, 0 removed, 0 changed** (0 facts before, 38 after); sources: 1 added" in diff(root)


def test_a_fact_cannot_inject_into_the_pull_request_comment(repo: Path) -> None:
    payload = (
        "@octocat see [x](https://phish.example) <img src=x onerror=alert(1)> ``` ```` <!-- --> # Heading | a | b |"
    )
    edit(
        repo / "content/facts/meetings.yaml",
        "    title: Azerbaijan–Armenia negotiations with the U.S. Secretary of State",
        f"    title: '{payload}'",
    )
    out = diff(repo)
    assert "**0 added, 0 removed, 1 changed**" in out
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    flat = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    kinds = {t.type for t in flat}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "table_open"}
    assert [t.tag for t in flat if t.type == "heading_open"] == ["h2", "h3", "h4"]
    fences = [t for t in flat if t.type == "fence"]
    assert len(fences) == 1 and fences[0].info == "diff"
    assert f"+ title: {payload}" in fences[0].content.splitlines()
    plain = " ".join(t.content for t in flat if t.type == "text")
    assert "@" not in plain and "<" not in plain


@pytest.mark.parametrize("text", ["plain", "a`b", "``x``", "`", "", "end`"])
def test_code_span_and_block_hold_any_backticks(text: str) -> None:
    md = MarkdownIt("commonmark")
    inline = [t for t in md.parseInline(code(text))[0].children or [] if t.type == "code_inline"]
    assert [t.content for t in inline] == [text] if text else True
    fence = [t for t in md.parse(block([text, "```"])) if t.type == "fence"]
    assert [t.content for t in fence] == [f"{text}\n```\n"]
