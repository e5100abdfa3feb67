"""The `factsheet` command: the only place a Report becomes output and an exit status."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .diagnostics import FORMATTERS

ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project directory (holds content/, templates/, mkdocs.yml).",
)


@click.group()
@click.version_option(package_name="factsheet")
def main() -> None:
    """Verified fact sheets: every fact cited to the exact sentence of its source."""


@main.command()
@ROOT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for Actions annotations.",
)
def check(root: Path, fmt: str) -> None:
    """Verify every citation in content/ against the stored source texts."""
    from .outcome import recall, remember

    key, known = recall(root.resolve())  # unchanged inputs: the last check's outcome (outcome.py)
    if known is None:
        no_pydantic_plugins()
        from .pipeline import check as run_check
        from .pipeline import summary

        project = run_check(root)
        known = project.report, summary(project)
        remember(root.resolve(), key, *known)
    report, line = known
    click.echo(FORMATTERS[fmt](report, line))
    sys.exit(1 if report.has_errors else 0)


@main.command()
@ROOT
@click.option("--limit", default=3, show_default=True, help="How many close sentences to list when none matches.")
@click.argument("source")
@click.argument("words", nargs=-1, required=True)
def cite(root: Path, limit: int, source: str, words: tuple[str, ...]) -> None:
    """Find the sentence of SOURCE that holds WORDS; print a citation to paste.

    WORDS are matched as the check matches quotes (whitespace, typographic quotes and
    dashes may differ). When no sentence holds them, the closest sentences are listed
    with a similarity score and the differing words marked.
    """
    from .lookup import lookup

    found, text = lookup(root, source, " ".join(words), limit)
    click.echo(text)
    sys.exit(0 if found else 1)


@main.command()
@ROOT
@click.argument("base")
def diff(root: Path, base: str) -> None:
    """Facts added, removed and changed since the git revision BASE, as Markdown.

    Made for a pull-request comment or job summary: compares the facts at BASE with the
    working tree (both checked by the same pipeline), by fact id.
    """
    from .review import RevisionError
    from .review import diff as fact_diff

    try:
        click.echo(fact_diff(root, base), nl=False)
    except RevisionError as e:
        click.echo(f"factsheet diff: {e}", err=True)
        sys.exit(2)


@main.command()
@ROOT
@click.option("--site-dir", type=click.Path(file_okay=False), default=None, help="Where to publish (default: site/).")
@click.option(
    "--strict/--no-strict",
    default=None,
    help="Fail on any MkDocs warning (broken link or anchor), whatever mkdocs.yml says.",
)
def build(root: Path, site_dir: str | None, strict: bool | None) -> None:
    """Check, then build the site with MkDocs and publish it atomically to site/."""
    from .build import recover_site, run
    from .pipeline import summary

    recover_site(Path(site_dir).resolve() if site_dir else (root / "site").resolve())
    project, ok = run(root, site_dir=site_dir, strict=strict)
    if project.report.has_errors:
        click.echo(FORMATTERS["text"](project.report, summary(project)))
        click.echo("nothing built", err=True)
        sys.exit(1)
    if not ok:
        click.echo("build failed; the previous site (if any) is unchanged", err=True)
        sys.exit(1)
    click.echo(f"built {summary(project)} into {ok}")  # the real path, wherever mkdocs.yml put it


def no_pydantic_plugins() -> None:
    """The check uses no pydantic plugins; looking for them (the entry points of every
    installed package) is a tenth of a small check."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path) -> None:
    """Start a fact sheet in DIRECTORY: configuration, one source and a fact citing it,
    mkdocs.yml, a CI workflow and a pre-commit configuration, ready to check and build."""
    from .scaffold import ScaffoldError
    from .scaffold import new as scaffold

    try:
        files = scaffold(directory)
    except ScaffoldError as e:
        click.echo(f"factsheet new: {e}", err=True)
        sys.exit(2)
    for f in files:
        click.echo(f"wrote {f}")
    click.echo(f"next: cd {directory} && factsheet check && factsheet build")


@main.command()
@ROOT
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(root: Path, dev_addr: str) -> None:
    """Live preview: rebuild on any change in content/ or templates/.

    A broken edit prints its diagnostics, and the preview shows them in place of the
    pages until the next save fixes it. A content edit rebuilds only the pages it affects
    (incremental.py)."""
    from .build import show_mkdocs_log
    from .incremental import serve as preview

    show_mkdocs_log()
    preview(root, dev_addr)


@main.command()
@click.option("--markdown", is_flag=True, help="Print the whole catalogue as Markdown (DIAGNOSTICS.md).")
@click.argument("code", required=False)
def explain(code: str | None, markdown: bool) -> None:
    """What a diagnostic CODE means, an example that causes it and its fix.

    Without CODE, lists every code by stage."""
    from .codes import did_you_mean, listing, lookup
    from .codes import explain as explain_code
    from .codes import markdown as catalogue_markdown

    if markdown:
        click.echo(catalogue_markdown(), nl=False)
        return
    if code is None:
        click.echo(listing())
        return
    found = lookup(code)
    if found is None:
        close = did_you_mean(code)
        names = f"{', '.join(close[:-1])} or {close[-1]}" if len(close) > 1 else "".join(close)
        guess = f"; did you mean {names}?" if close else ""
        click.echo(f"factsheet explain: no diagnostic code {code!r}{guess} ('factsheet explain' lists them)", err=True)
        sys.exit(2)
    click.echo(explain_code(found))


@main.command()
@ROOT
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a schema file is out of date.")
def schema(root: Path, check_only: bool) -> None:
    """Write the JSON Schemas editors complete against (schema/*.schema.json)."""
    from .schema import stale_schemas, write_schemas

    directory = root / "schema"
    if check_only:
        stale = stale_schemas(directory)
        for name in stale:
            click.echo(f"schema/{name} is out of date with the model; run 'factsheet schema' and commit it")
        if not stale:
            click.echo("ok: schema/ matches the model")
        sys.exit(1 if stale else 0)
    written = write_schemas(directory)
    for name in written:
        click.echo(f"wrote schema/{name}")
    if not written:
        click.echo("ok: schema/ matches the model")
