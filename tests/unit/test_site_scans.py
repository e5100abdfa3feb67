"""The site check in one pass (publish.SiteScans): pages scanned in memory as they are
produced find exactly what reading the written site finds."""

from __future__ import annotations

from pathlib import Path

from generator.publish import PageScan, SiteScans, verify_site

PAGES = {
    "index.html": '<h1 id="top">Home</h1><a href="other/index.html#s-1">ok</a><a href="other/index.html#nope">x</a>',
    "other/index.html": '<span id="s-1">x</span><a href="../index.html#top">ok</a><a href="../gone.html">x</a>',
    "bad.html": '<p onclick="x()">x</p><script>alert(1)</script><script type="application/ld+json">{</script>',
}


def _page(body: str) -> bytes:
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>".encode()


def _site(root: Path) -> Path:
    for rel, body in PAGES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(_page(body))
    (root / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    return root


def _scanned(site: Path, previous: dict[tuple[str, bytes], PageScan] | None = None) -> SiteScans:
    scans = SiteScans(previous)
    for rel in PAGES:
        scans.add(rel, (site / rel).read_bytes())
    return scans


def test_pages_scanned_in_memory_find_what_reading_the_site_finds(tmp_path: Path) -> None:
    site = _site(tmp_path)
    expected = verify_site(site)
    assert len(expected) >= 6  # a missing anchor, a broken link, a handler, two scripts, bad JSON-LD, the SVG
    assert _scanned(site).verify(site) == expected


def test_a_page_rewritten_after_its_scan_is_read_again(tmp_path: Path) -> None:
    site = _site(tmp_path)
    scans = _scanned(site)
    (site / "index.html").write_bytes(_page('<a href="javascript:alert(1)">x</a>'))
    assert scans.verify(site) == verify_site(site)


def test_a_rebuild_reuses_the_scan_of_an_unchanged_page_only(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = _scanned(site, {})
    (site / "other/index.html").write_bytes(_page('<span id="s-2">x</span>'))
    second = _scanned(site, first.by_digest)
    assert second.scans["index.html"] is first.scans["index.html"]
    assert second.scans["other/index.html"] is not first.scans["other/index.html"]
    assert second.verify(site) == verify_site(site)
