"""`factsheet new DIR`: a working fact sheet to start from.

It holds a configuration, one source (a short text written for the scaffold, and marked
as such) with its metadata and hash, one fact citing it, mkdocs.yml, a CI workflow and a
pre-commit configuration. It passes `factsheet check` and `factsheet build` as written,
and says nothing of any other fact sheet. The default templates come with the package;
a file of the same name under templates/pages/ overrides one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SOURCE_ID = "example-source"
SOURCE_TEXT = """\
Example source: written for the factsheet scaffold

This text was written for the factsheet scaffold; it is not a real report. Replace it with the source you want to cite, stored byte for byte.

The town council said on Monday that 40 volunteers cleared the river bank over the weekend.
"""

FILES: dict[str, str] = {
    "content/site.yaml": """\
# What this fact sheet is, who publishes it, and how readers reach them.
title: An example fact sheet
description: Every fact cited to the exact sentence of its source, verified at build time.
introduction:
  - >-
    This fact sheet was started with `factsheet new`. Replace this introduction, the
    example source and its fact with your own.
key_figures:
  - volunteers-cleared-river-bank
publisher:
  name: Your name or organisation
# contact:                       # where readers send corrections (an email or a url)
#   email: corrections@your-domain.example
licence:
  name: CC BY 4.0
  url: https://creativecommons.org/licenses/by/4.0/
# repository:                    # the public repository; each page's "Edit" link opens its YAML there
#   url: https://github.com/owner/repo
#   branch: main
""",
    f"content/sources/{SOURCE_ID}.yaml": """\
# The metadata of content/sources/{id}.txt, which is stored byte for byte.
title: "Example source: written for the factsheet scaffold"
publisher: The factsheet scaffold
url: https://example.org/factsheet-scaffold-example
published: 2024-01-15
language: en
sha256: {sha256}
non_claims:
  - quote: This text was written for the factsheet scaffold; it is not a real report.
    reason: A note about the example itself, not a claim.
  - quote: Replace it with the source you want to cite, stored byte for byte.
    reason: A note about the example itself, not a claim.
""",
    "content/facts/facts.yaml": """\
# Facts, each cited to the exact sentence of a source. Collections: participants,
# meetings, figures, incidents, statements (see factsheet schema for every key).
figures:
  - id: volunteers-cleared-river-bank
    value: "40"
    measure: volunteers
    period: over the weekend
    place: null
    statement: 40 volunteers cleared the river bank over the weekend.
    attribution: null
    citations:
      - source: {id}
        quote: 40 volunteers cleared the river bank over the weekend
""",
    "mkdocs.yml": """\
# The title, navigation and "Edit" links come from content/site.yaml and the content.
site_name: factsheet
docs_dir: docs
site_dir: site
strict: true
use_directory_urls: false
theme:  # the factsheet theme ships with the package
  name: factsheet
  locale: en
plugins:
  - factsheet
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
""",
    "docs/.gitkeep": "",
    ".gitignore": "site/\n.site.*\n",
    "requirements.txt": "factsheet>=0.1,<0.2\n",
    ".pre-commit-config.yaml": """\
# Run `factsheet check` before every commit that touches the fact sheet.
repos:
  - repo: local
    hooks:
      - id: factsheet-check
        name: factsheet check
        entry: factsheet check
        language: system
        pass_filenames: false
        files: ^(content|templates)/|^mkdocs\\.yml$
""",
    ".github/workflows/factsheet.yml": """\
# Check every citation and build the site on every push and pull request.
name: Fact sheet

on:
  push:
  pull_request:

permissions: {}

jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
        with:
          persist-credentials: false
          fetch-depth: 0 # the whole history: the What changed page lists every fact change
      - uses: actions/setup-python@a309ff8b426b58ec0e2a45f0f869d46889d02405 # v6.2.0
        with:
          python-version: "3.11"
      - name: Install factsheet
        run: python -m pip install -q -r requirements.txt
      - name: Check every citation
        run: factsheet check --format github
      - name: Build the site
        run: factsheet build --strict
""",
    "README.md": """\
# An example fact sheet

Started with `factsheet new`. Every fact in `content/facts/` cites the exact sentence of a
source stored in `content/sources/`; `factsheet check` verifies them all and
`factsheet build` builds the site into `site/`.

- `content/site.yaml`: the title, introduction, publisher, contact, licence.
- `content/sources/<id>.txt` and `<id>.yaml`: a source, byte for byte, and its metadata.
- `content/facts/*.yaml`: the facts. `factsheet cite <id> "a few words"` finds a sentence.
- `templates/pages/<name>.html.j2`: put a template of the same name here to override one.
""",
}


class ScaffoldError(Exception):
    pass


def new(directory: Path) -> list[Path]:
    """Write the scaffold into `directory` (new or empty); returns the files written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(f"{directory} exists and is not an empty directory")
    sha = hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest()
    written = []
    files = dict(FILES) | {f"content/sources/{SOURCE_ID}.txt": SOURCE_TEXT}
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.startswith("content/"):
            text = text.replace("{id}", SOURCE_ID).replace("{sha256}", sha)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
