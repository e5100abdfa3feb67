"""What a reader's first search downloads: the built site served over http, Chromium
(Debian's /usr/bin/chromium, driven by Playwright) types a query into the search box,
and every response from the moment the box is focused until the results show is counted
(bytes as served by Python's http.server: no compression, so an upper bound).

    python benchmarks/search_bytes.py SITE_DIR [QUERY...]        # print the measurement
    python benchmarks/search_bytes.py --synth 5000 [QUERY...]    # synth.py project of N sources:
        build it, measure, and write the "Search" section of benchmarks/RESULTS.md
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


HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- search: written by benchmarks/search_bytes.py -->", "<!-- /search -->"
QUERIES = ["delegation", "ceasefire monitoring", "Kalomirov17"]  # in every source; in many; in one


def synth_and_measure(n: int, queries: list[str]) -> str:
    import re
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryDirectory(prefix=f"search-{n}-") as tmp:
        root = Path(tmp) / "sheet"
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(n), str(root)], check=True, capture_output=True)
        started = time.perf_counter()
        run = subprocess.run(
            [str(Path(sys.executable).with_name("factsheet")), "build", "--root", str(root)],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if run.returncode != 0:
            raise SystemExit(run.stdout + run.stderr)
        m = re.search(r"search index: (\d+) pages, (\d+) files, (\d+) KiB, ([0-9.]+) s", run.stdout + run.stderr)
        site = root / "site"
        rows = [first_query(site, q) for q in queries]
    index = f"{m.group(1)} pages, {m.group(2)} files, {m.group(3)} KiB, indexed in {m.group(4)} s" if m else "?"
    lines = [
        BEGIN,
        f"## Search: the first query at N = {n:,} sources",
        "",
        f"`python benchmarks/search_bytes.py --synth {n}`: the synth.py project built by `factsheet build` "
        f"({seconds:.0f} s in all); the index: {index}. Chromium opens the home page over http, the reader "
        "types the query; counted: every byte fetched from the focus of the search box until the results show "
        "(uncompressed; a server that gzips the scripts sends less). Goal: at most 300 KB.",
        "",
        "| query | bytes fetched | requests | largest files | first result |",
        "|---|---:|---:|---|---|",
    ]
    for r in rows:
        files = ", ".join(f"{name.rsplit('/', 1)[-1]} {size / 1000:.0f} KB" for name, size in r["files"][:4])  # type: ignore[index]
        first = r["first_result"]
        lines.append(
            f"| {r['query']} | {r['bytes']:,} ({'met' if r['bytes'] <= 300_000 else '**not met**'}) | {r['requests']} "  # type: ignore[operator]
            f"| {files} | {first['page']} › {(first['sections'] or [''])[0][:50]} |"  # type: ignore[index]
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--synth"]:
        section = synth_and_measure(int(sys.argv[2]), sys.argv[3:] or QUERIES)
        results = HERE / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        if BEGIN in text:
            text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) + 1 :]
        else:
            text = text.rstrip("\n") + "\n\n" + section
        results.write_text(text, encoding="utf-8")
        print(section)
    else:
        for q in sys.argv[2:] or QUERIES:
            print(json.dumps(first_query(Path(sys.argv[1]), q), indent=1, ensure_ascii=False))
