"""`factsheet diff BASE`: the facts a pull request adds, removes and changes, as Markdown.

The content at the git revision BASE is unpacked into a temporary directory and checked by
the same pipeline as the working tree; facts are compared by id. Every string that comes
from content is printed inside a code span or fenced block whose fence is longer than any
run of backticks in it, so a fact cannot add links, mentions, HTML or headings to the
pull-request comment.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import plural
from .pipeline import check
from .project import FactEntry, Project

MAX_CHARS = 60_000  # GitHub refuses comments over 65,536 characters
_FIELDS_FIRST = ("statement", "value", "attribution", "citations")


class RevisionError(Exception):
    """BASE is not a revision git can read."""


def code(text: str) -> str:
    """Inline code that shows `text` literally, whatever backticks it holds."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def block(lines: list[str], lang: str = "text") -> str:
    """A fenced block that no line of `lines` can close early."""
    longest = max((len(r) for line in lines for r in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + lang, *lines, fence])


def _content_at(root: Path, rev: str, dest: Path) -> bool:
    """Unpack content/ as it was at `rev` into dest; False when content/ did not exist there."""
    if rev.startswith("-"):
        raise RevisionError(f"not a revision: {rev}")
    ok = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if ok.returncode != 0:
        inside = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-dir"], capture_output=True, timeout=30)
        if inside.returncode != 0:
            raise RevisionError(f"{root} is not in a git repository")
        raise RevisionError(f"git cannot find the revision '{rev}' (fetch it first, e.g. git fetch origin {rev})")
    out = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", ok.stdout.strip(), "--", "content"],
        capture_output=True,
        timeout=120,
    )
    if out.returncode != 0:
        if b"did not match any files" in out.stderr:
            return False
        raise RevisionError(out.stderr.decode("utf-8", "replace").strip() or f"git archive {rev} failed")
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return True


def _attribution(e: FactEntry) -> str:
    a = e.fact.attribution
    if a is None:
        return "the publisher's narration"
    return f"{a.mode.replace('_', ' ')} {', '.join(a.by)}"


def _stated(v: dict[str, Any]) -> str:
    cited = [c["source"] for c in v.get("citations") or []]
    return str(v["value"]) + (f" ({', '.join(cited)})" if cited else "") + (" (derived)" if v.get("derived") else "")


def _fields(e: FactEntry) -> dict[str, str]:
    """What a reviewer compares: one line of text per field, citations one per quote."""
    data: dict[str, Any] = e.fact.model_dump(by_alias=True, exclude_none=True)
    out: dict[str, str] = {}
    for key in dict.fromkeys((*_FIELDS_FIRST, *data)):
        if key == "id" or (key not in data and key != "attribution"):
            continue
        if key == "attribution":
            out[key] = _attribution(e)
        elif key == "citations":
            for i, c in enumerate(e.fact.citations, 1):
                where = c.source + (f", {c.sentence}" if c.sentence else "")
                out[f"quote {i}"] = f"{c.quote} ({where})" + (f" [{c.stance}]" if c.stance != "supports" else "")
        elif isinstance(data[key], dict):
            out[key] = "; ".join(f"{k}: {v}" for k, v in data[key].items())
        elif isinstance(data[key], list) and all(isinstance(v, dict) and "value" in v for v in data[key]):
            out[key] = "; ".join(_stated(v) for v in data[key])  # a field's values, as the sources state them
        elif isinstance(data[key], list):
            out[key] = ", ".join(map(str, data[key]))
        else:
            out[key] = str(data[key])
    return {k: " ".join(v.split()) for k, v in out.items()}


@dataclass
class FactDiff:
    added: list[FactEntry]
    removed: list[FactEntry]
    changed: list[tuple[FactEntry, FactEntry]]
    unchecked: list[str]  # ids whose current version has validation errors
    base: Project
    head: Project
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    sources_changed: list[tuple[str, list[str]]] = field(default_factory=list)  # (id, what changed)


def _source_changes(base: Project, head: Project, sid: str) -> list[str]:
    """What differs in a source kept under the same id: its text, or metadata fields."""
    a, b = base.sources[sid], head.sources[sid]
    what = (
        ["text (sha256 " + a.text.sha256[:12] + " → " + b.text.sha256[:12] + ")"]
        if a.text.sha256 != b.text.sha256
        else []
    )
    old, new = a.meta.model_dump(mode="json"), b.meta.model_dump(mode="json")
    what += [
        f"{k}: {old.get(k)} → {new.get(k)}"
        for k in dict.fromkeys([*old, *new])
        if k != "sha256" and old.get(k) != new.get(k)
    ]
    return what


def compare(base: Project, head: Project) -> FactDiff:
    old, new = base.by_id(), head.by_id()
    added = [e for i, e in new.items() if i not in old]
    removed = [e for i, e in old.items() if i not in new and i not in head.invalid_ids]
    changed = [(old[i], e) for i, e in new.items() if i in old and _fields(old[i]) != _fields(e)]
    unchecked = sorted(i for i in head.invalid_ids if i not in new)
    s_added = [i for i in head.sources if i not in base.sources]
    s_removed = [i for i in base.sources if i not in head.sources and i not in head.failed_sources]
    s_changed = [(i, w) for i in head.sources if i in base.sources and (w := _source_changes(base, head, i))]
    return FactDiff(added, removed, changed, unchecked, base, head, s_added, s_removed, s_changed)


def _heading(e: FactEntry) -> str:
    return f"#### {code(e.fact.id)} · {e.collection.replace('_', ' ')} · {code(e.file)}"


def to_markdown(d: FactDiff, base_rev: str) -> str:
    n_errors = len(d.head.report.errors)
    head = [
        f"## Fact changes against {code(base_rev)}",
        "",
        f"**{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed** "
        f"({len(d.base.facts)} facts before, {len(d.head.facts)} after); sources: {len(d.sources_added)} added, "
        f"{len(d.sources_removed)} removed, {len(d.sources_changed)} changed.",
    ]
    if n_errors:
        head += ["", f"⚠️ The changed content has {plural(n_errors, 'error')}; the check job lists them. "
                 "Facts with errors in their own fields are not compared."]  # fmt: skip
    if not (d.added or d.removed or d.changed or d.unchecked):
        head += ["", "No fact was added, removed or changed."]
    sections: list[str] = []
    if d.sources_added or d.sources_removed or d.sources_changed:
        sections.append("### Sources")
        lines = [
            f"+ {i}: {d.head.sources[i].meta.display_title} ({d.head.sources[i].meta.publisher})"
            for i in d.sources_added
        ]
        lines += [
            f"- {i}: {d.base.sources[i].meta.display_title} ({d.base.sources[i].meta.publisher})"
            for i in d.sources_removed
        ]
        lines += [f"~ {i}: {'; '.join(w)}" for i, w in d.sources_changed]
        sections.append(block(lines, "diff"))
    if d.added:
        sections.append("### Added")
        sections += [_heading(e) + "\n\n" + block([f"{k}: {v}" for k, v in _fields(e).items()]) for e in d.added]
    if d.removed:
        sections.append("### Removed")
        sections += [_heading(e) + "\n\n" + block([f"{k}: {v}" for k, v in _fields(e).items()]) for e in d.removed]
    if d.changed:
        sections.append("### Changed")
        for old, new in d.changed:
            a, b = _fields(old), _fields(new)
            lines = []
            for k in dict.fromkeys([*a, *b]):
                if a.get(k) != b.get(k):
                    lines += [f"- {k}: {a[k]}"] if k in a else []
                    lines += [f"+ {k}: {b[k]}"] if k in b else []
            moved = f" (moved from {code(old.file)})" if old.file != new.file else ""
            sections.append(_heading(new) + moved + "\n\n" + block(lines, "diff"))
    if d.unchecked:
        sections.append("### Not compared (errors)")
        sections.append("\n".join(f"- {code(i)}" for i in d.unchecked))
    out = "\n".join(head)
    for i, s in enumerate(sections):
        if len(out) + len(s) > MAX_CHARS:
            out += f"\n\n… {len(sections) - i} more sections not shown (the comment would be too long)."
            break
        out += "\n\n" + s
    return out + "\n"


def diff(root: Path, base_rev: str) -> str:
    """Markdown comparing the facts at `base_rev` with the working tree under root."""
    head = check(root)
    with tempfile.TemporaryDirectory(prefix="factsheet-base-") as tmp:
        had_content = _content_at(root, base_rev, Path(tmp))
        base = check(tmp) if had_content else Project()
    return to_markdown(compare(base, head), base_rev)
