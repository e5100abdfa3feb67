"""What a reader's first search downloads: the built site served over http, Chromium
(Debian's /usr/bin/chromium, driven by Playwright) types a query into the search box,
and every response from the moment the box is focused until the results show is counted
(bytes on the wire as served by Python's http.server: no compression, so an upper bound).

    python benchmarks/search_bytes.py SITE_DIR [QUERY]
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def first_query(site: Path, query: str, page: str = "index.html") -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: list[tuple[str, int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            ctx = browser.new_context()
            tab = ctx.new_page()
            errors: list[str] = []
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.goto(base + page)
            tab.wait_for_load_state("networkidle")
            counting = True

            def on_response(r: object) -> None:
                if counting:
                    body = r.body()  # type: ignore[attr-defined]
                    fetched.append((r.url.removeprefix(base), len(body)))  # type: ignore[attr-defined]

            tab.on("response", on_response)
            tab.click("#fs-search-input")
            tab.keyboard.type(query, delay=40)
            tab.wait_for_selector(".fs-result", timeout=60_000)
            tab.wait_for_load_state("networkidle")
            counting = False
            first = tab.locator(".fs-result").first
            result = {
                "page": first.locator(".fs-result-page").inner_text(),
                "sections": first.locator(".fs-result-section").all_inner_texts(),
                "href": first.locator(".fs-result-section, .fs-result-page").last.get_attribute("href"),
                "results": tab.locator(".fs-result").count(),
            }
            browser.close()
    finally:
        server.shutdown()
    return {
        "query": query,
        "bytes": sum(n for _, n in fetched),
        "requests": len(fetched),
        "files": sorted(fetched, key=lambda x: -x[1])[:12],
        "first_result": result,
        "console_errors": errors,
    }


if __name__ == "__main__":
    out = first_query(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "delegation")
    print(json.dumps(out, indent=1, ensure_ascii=False))
