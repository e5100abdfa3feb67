""" "Cite this fact sheet" and "cite this fact": plain text a re-user pastes into a
bibliography, built from content/site.yaml and the build (the same commit gives the same
text). The model is Our World in Data's "cite this work": who, when, what, which version,
where, under which licence."""

from __future__ import annotations

import datetime as dt

from .buildinfo import BuildInfo
from .model import Fact, SiteConfig
from .project import Project


def long_date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _when(build: BuildInfo | None) -> tuple[str, str]:
    """(year, version) of the build: '2023', 'version 0123456789ab of 14 November 2023'."""
    if build is None or build.date is None:
        return "n.d.", ""
    day = dt.date.fromisoformat(build.date[:10])
    version = f"version {build.commit} of {long_date(day)}" if build.commit else f"version of {long_date(day)}"
    return str(day.year), version


def _tail(config: SiteConfig, version: str, url: str | None) -> str:
    parts = [p for p in (version, url) if p]
    licence = f" Licence: {config.licence.name}" + (f" ({config.licence.url})" if config.licence.url else "") + "."
    return (" " + ". ".join(parts) + "." if parts else "") + licence


def sheet_citation(config: SiteConfig, build: BuildInfo | None, url: str | None) -> str:
    """The Factsheet project (2023). Fact sheet — … [fact sheet and data set]. version … https://… Licence: …"""
    year, version = _when(build)
    return f"{config.publisher.name} ({year}). {config.title} [fact sheet and data set].{_tail(config, version, url)}"


def fact_citation(
    config: SiteConfig, build: BuildInfo | None, statement: str, fact_id: str, reported: str, url: str | None
) -> str:
    """The Factsheet project (2023). “Statement.” In: Title, fact <id>; reported by …. version … URL. Licence: …"""
    year, version = _when(build)
    said = statement.rstrip()
    said = said if said.endswith((".", "?", "!")) else said + "."
    source = f"; from {reported}" if reported else ""
    return (
        f"{config.publisher.name} ({year}). “{said}” In: {config.title}, fact {fact_id}{source}."
        f"{_tail(config, version, url)}"
    )


def reporting(project: Project, fact: Fact) -> str:
    """Who reported it and when: "The Diplomatic Insight (TDI), 2 May 2023", and for a
    source that reports a party's own words, "News.am, 3 May 2023, quoting Antony Blinken"."""
    parts: dict[str, None] = {}
    for c in fact.citations:
        m = project.sources[c.source].meta
        who = project.participant(c.quoting) if c.quoting else None
        quoting = f", quoting {who.name if who else c.quoting}" if c.quoting else ""
        parts[f"{m.publisher}, {long_date(m.published)}{quoting}"] = None
    return "; ".join(parts)
