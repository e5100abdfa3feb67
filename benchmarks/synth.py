"""Synthetic fact-sheet projects for the benchmarks: N sources, all facts cited.

Each source is an article of 40 sentences in 20 paragraphs, stored with its metadata
(sha256 included) like the real one. Each source has one fact file of 20 facts: one
participant, one meeting, 18 statements at that meeting, each citing its own sentence,
so every citation verifies and `factsheet check` passes. The output is deterministic:
the same N gives byte-identical files.

    python benchmarks/synth.py 1000 /tmp/bench-1000
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SENTENCES = 40
FACTS = 20  # per source: 1 participant + 1 meeting + 18 statements

_SYL = ["ka", "lo", "mi", "ren", "to", "va", "sel", "dor", "an", "bri", "cu", "el", "fa", "gon", "hu", "ix"]
_NOUNS = ["delegation", "committee", "ministry", "council", "agency", "commission", "envoy", "office"]
_VERBS = ["welcomed", "discussed", "reviewed", "proposed", "rejected", "examined", "endorsed", "postponed"]
_OBJECTS = [
    "the draft agreement on border crossings",
    "a plan for demining farmland",
    "the schedule of further talks",
    "new rules for cargo transit",
    "a joint statement on water sharing",
    "the exchange of detained persons",
    "funding for rebuilding schools",
    "a ceasefire monitoring mission",
]
_WHEN = ["on Monday", "on Tuesday", "late on Wednesday", "early on Thursday", "on Friday", "during the weekend"]
_ASPECTS = ["statement", "topic", "outcome", "background"]


def name(i: int, salt: int = 0) -> str:
    """A unique, pronounceable name for number i."""
    n, out = i * 7 + salt, []
    for _ in range(3):
        out.append(_SYL[n % len(_SYL)])
        n //= len(_SYL)
    first = "".join(out).capitalize()
    return f"{first} {_SYL[(i + salt) % len(_SYL)].capitalize()}rov{i}"


def sentence(rng: random.Random, i: int, j: int) -> str:
    who = name(i)
    return (
        f"The {rng.choice(_NOUNS)} led by {who} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"{rng.choice(_WHEN)}, in session {j + 1} of round {i}."
    )


def article(i: int) -> list[str]:
    rng = random.Random(i)
    who = name(i)
    first = [
        f"{who} is the chief negotiator of the Northern Council in round {i}.",
        f"{who} met the mediators of round {i} in the capital to open the talks.",
    ]
    return first + [sentence(rng, i, j) for j in range(2, SENTENCES)]


def source_files(i: int) -> tuple[str, str, str]:
    sid = f"src-{i:05d}"
    sents = article(i)
    text = "".join(f"{sents[k]} {sents[k + 1]}\n\n" for k in range(0, SENTENCES, 2))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = (
        f"title: Report on round {i} of the talks\n"
        "publisher: The Synthetic Herald\n"
        f"url: https://example.org/reports/{sid}\n"
        "published: 2023-05-02\n"
        'dateline: "Capital, 2 May 2023"\n'
        "language: en\n"
        f"sha256: {digest}\n"
    )
    sents = [s.removesuffix(".") for s in sents]
    who, pid, mid = name(i), f"person-{i:05d}", f"meeting-{i:05d}"
    facts = [
        "participants:\n",
        f"  - id: {pid}\n    kind: person\n    name: {who}\n    post: chief negotiator\n",
        f"    statement: {sents[0]}.\n    attribution: null\n",
        f"    citations:\n      - source: {sid}\n        quote: {sents[0]}\n",
        "meetings:\n",
        f"  - id: {mid}\n    title: Round {i} of the talks\n    participants: [{pid}]\n",
        f"    statement: {sents[1]}.\n    attribution: null\n",
        f"    citations:\n      - source: {sid}\n        quote: {sents[1]}\n",
        "statements:\n",
    ]
    for k in range(2, FACTS):
        mode = "said" if k % 3 else "according_to"
        facts.append(
            f"  - id: {sid}-fact-{k}\n    meeting: {mid}\n    aspect: {_ASPECTS[k % 4]}\n"
            f"    statement: >-\n      {sents[k]}.\n"
            f"    attribution:\n      by: {pid}\n      mode: {mode}\n"
            f"    citations:\n      - source: {sid}\n        quote: >-\n          {sents[k]}\n"
        )
    return text, meta, "".join(facts)


MKDOCS_YML = """\
site_name: Synthetic fact sheet ({n} sources)
docs_dir: templates/assets
site_dir: site
strict: true
theme:
  name: mkdocs
  custom_dir: templates/theme
  highlightjs: false
  locale: en
extra_css:
  - css/factsheet.css
markdown_extensions:
  - toc:
      permalink: false
  - tables
plugins:
  - search
  - factsheet
nav:
  - Home: index.md
  - Meetings: meetings/index.md
  - Participants: participants/index.md
  - Method: method.md
not_in_nav: |
  /sources/*
  /meetings/*
  /participants/*
  /landmines.md
  /statements.md
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


def generate(n: int, dest: Path) -> Path:
    """Write a project with n sources into dest (replacing what was there)."""
    if dest.exists():
        shutil.rmtree(dest)
    sources, facts = dest / "content" / "sources", dest / "content" / "facts"
    sources.mkdir(parents=True)
    facts.mkdir(parents=True)
    shutil.copytree(REPO / "templates", dest / "templates")
    (dest / "mkdocs.yml").write_text(MKDOCS_YML.format(n=n), encoding="utf-8")
    for i in range(1, n + 1):
        text, meta, fact_yaml = source_files(i)
        sid = f"src-{i:05d}"
        (sources / f"{sid}.txt").write_text(text, encoding="utf-8")
        (sources / f"{sid}.yaml").write_text(meta, encoding="utf-8")
        (facts / f"{sid}.yaml").write_text(fact_yaml, encoding="utf-8")
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: synth.py N DEST")
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
