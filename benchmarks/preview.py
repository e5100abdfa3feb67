"""The live preview at scale: `factsheet serve` on a synthetic project (benchmarks/synth.py),
then seconds from saving one YAML edit (a participant's note) until the served page shows
it. One server, a few edits, one timing each (the machine is shared: no loops).

    python benchmarks/synth.py 1000 /tmp/p1000
    python benchmarks/preview.py /tmp/p1000 [edits]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    facts = sorted((root / "content" / "facts").glob("*.yaml"))
    target = facts[len(facts) // 2]
    text = target.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines(keepends=True) if x.startswith("    post: "))
    pid = next(x for x in text.splitlines() if x.startswith("  - id: ")).split(": ", 1)[1]
    port = 8700 + os.getpid() % 100
    url = f"http://127.0.0.1:{port}/participants/{pid}/"
    log = root.parent / f"{root.name}-serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "factsheet"), "serve", "-a", f"127.0.0.1:{port}"], cwd=root, stdout=out, stderr=subprocess.STDOUT
        )

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=120) as r:
                return str(r.read().decode())
        except OSError:
            return ""

    try:
        started = time.perf_counter()
        while pid not in page():
            if time.perf_counter() - started > 900:
                raise SystemExit("the preview did not start")
            time.sleep(0.5)
        print(f"first build served after {time.perf_counter() - started:.1f} s", flush=True)
        for i in range(edits):
            time.sleep(2)  # let the watcher settle
            marker = f"preview edit {'abcde'[i]}"
            target.write_text(text.replace(line, f"{line}    note: {marker}\n", 1), encoding="utf-8")
            start = time.perf_counter()
            while marker not in page():
                if time.perf_counter() - start > 300:
                    raise SystemExit("the preview did not show the edit")
                time.sleep(0.02)
            print(f"edit {i + 1}: served {time.perf_counter() - start:.2f} s after the save", flush=True)
    finally:
        server.terminate()
        server.wait(10)
        target.write_text(text, encoding="utf-8")
        for x in log.read_text(encoding="utf-8").splitlines():
            if "preview" in x or "Documentation built" in x:
                print("  server:", x)


if __name__ == "__main__":
    main()
