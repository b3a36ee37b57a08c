"""Screenshots of each viewer view at 1,400 x 900, for the README (docs/viewer-*.png).

    .venv/bin/python scripts/viewer_screenshots.py [GRAPH] [--out docs]

GRAPH is any build output (graph file, build directory, store); without it
the sample article in seeds/ is built first (needs the spaCy model).  Uses
Debian's /usr/bin/chromium through Playwright, like the browser tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
VIEWS = ("story", "all", "actors", "map", "timeline")


def page_for(graph: Path | None, folder: Path) -> Path:
    from kgbuild.viz import render_path

    if graph is None:
        from kgbuild.run.build import build

        graph = folder / "sample"
        build([ROOT / "seeds"], graph, formats=("nq",), html=False)
    html = folder / "graph.html"
    html.write_text(render_path(graph, title="US-led coalition strikes prevent IS evacuation convoy"), encoding="utf-8")
    return html


def wait_ready(page, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not page.evaluate("() => window.kgReady === true"):
        if time.monotonic() > deadline:
            raise SystemExit("the page never became ready")
        page.wait_for_timeout(100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "graph", nargs="?", type=Path, help="graph file, build directory or store (default: build seeds/)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where the PNGs go")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        html = page_for(args.graph, Path(tmp))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(html.as_uri())
        wait_ready(page)
        page.wait_for_timeout(1500)  # let the small-graph layout settle (screenshots only: no test asserts on it)
        for view in VIEWS:
            page.check(f"input[name=kg-view][value={view}]")
            page.wait_for_timeout(1500)
            first = page.locator("#kg-story tr[data-id]").first
            if view in ("map", "timeline") and first.count():
                first.click()  # a chosen event: its evidence in the panel (the graph views stay fitted)
                page.wait_for_timeout(300)
            path = args.out / f"viewer-{view}.png"
            page.screenshot(path=str(path))
            print(f"wrote {path}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
