"""The Data page: the downloads, what every key of facts.json and every column of
facts.csv holds, the licence, and how to cite the fact sheet and one fact. Everything it
says comes from export.py's own lists (JSON_DOC, CSV_DOC), so the page and the files
cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from .buildinfo import BuildInfo
from .citing import sheet_citation
from .export import CSV_DOC, CSV_ENCODING, JSON_DOC
from .registry import FACTS_CSV, FACTS_JSON, HOME, Page
from .views import Link, PageView, Views


@dataclass(frozen=True)
class KeyDoc:
    name: str
    description: str


@dataclass(frozen=True)
class Download:
    link: Link
    format: str
    size: str
    sha256: str
    about: str


@dataclass
class DataView(PageView):
    downloads: list[Download]
    licence: Link | None  # None: the licence has no address
    licence_name: str
    publisher: str
    cite_sheet: str
    cite_fact_example: str | None
    csv_encoding: str
    site_url: str | None
    csv_columns: list[KeyDoc]
    json_keys: list[KeyDoc]


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1024:,.0f} KiB"


def data_view(
    views: Views, page: Page, build: BuildInfo | None, files: dict[str, tuple[int, str]], first_cite: str | None
) -> DataView:
    cfg = views.p.config
    urls = views.urls
    about = {
        FACTS_JSON: ("JSON", "every fact, source and sentence, one per line; UTF-8"),
        FACTS_CSV: ("CSV", "one row per fact and citation; " + CSV_ENCODING),
    }
    downloads = []
    for path, (fmt, text) in about.items():
        size, sha256 = files[path]  # bytes and sha256 of the file as published
        downloads.append(
            Download(
                Link(path.rsplit("/", 1)[-1], urls.link(page.path, path)),
                fmt,
                _size(size),
                sha256,
                text,
            )
        )
    return DataView(
        page.path,
        page.title,
        [],
        downloads,
        Link(cfg.licence.name, cfg.licence.url) if cfg.licence.url else None,
        cfg.licence.name,
        cfg.publisher.name,
        sheet_citation(cfg, build, urls.site_url and urls.public(HOME)),
        first_cite,
        CSV_ENCODING,
        urls.site_url,
        [KeyDoc(k, v) for k, v in CSV_DOC.items()],
        [KeyDoc(k, v) for k, v in JSON_DOC.items()],
    )
