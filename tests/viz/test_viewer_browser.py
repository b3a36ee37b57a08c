"""The HTML viewer in headless Chromium (Debian's /usr/bin/chromium via Playwright).

Checks what only a browser can: no request leaves the page, no console or
page error, the graph and legend are drawn, a real mouse click on an edge
shows its evidence sentence, hostile names stay text, filters and views work.
Screenshots go to out/screenshots/ (or $KGBUILD_SCREENSHOTS).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).parent))
from test_viz import HOSTILE, hostile_graph, page_data, sample_graph  # noqa: E402

from kgbuild.viz import render_graph  # noqa: E402

# An edge whose midpoint is on screen, not under a node, and that vis itself
# reports at that point: where a user would click it.
FIND_CLICKABLE_EDGE = """(wanted) => {
  const net = window.kgNetwork, box = document.getElementById('kg-graph').getBoundingClientRect();
  for (const id of window.kgVisibleEdges()) {
    if (wanted && !wanted.includes(id)) continue;
    const e = net.body.data.edges.get(id);
    const p = net.getPositions([e.from, e.to]);
    const dom = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
    if (dom.x < 5 || dom.y < 5 || dom.x > box.width - 5 || dom.y > box.height - 5) continue;
    if (net.getNodeAt(dom) !== undefined || net.getEdgeAt(dom) !== id) continue;
    return {id: id, x: box.left + dom.x, y: box.top + dom.y};
  }
  return null;
}"""

PAINTED_PIXELS = """() => {
  const c = document.querySelector('#kg-graph canvas');
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
  return n;
}"""


@dataclass
class Opened:
    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.requests == [self.url], f"requests left the page: {self.requests}"
        assert self.problems == [], self.problems


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, timeout_ms: int = 60_000) -> Opened:
    page = browser.new_page(viewport={"width": 1400, "height": 850})
    opened = Opened(page, path.as_uri())
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("console", lambda m: opened.problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.problems.append(f"page error: {e}"))
    page.goto(opened.url)
    wait_until(page, "() => window.kgReady === true", timeout_ms=timeout_ms)
    return opened


def wait_until(page, predicate: str, arg=None, timeout_ms: float = 30_000) -> None:
    """Poll a JS predicate from Python.

    Playwright's wait_for_function compiles its predicate with eval inside
    the page, which the viewer's Content-Security-Policy rightly refuses
    when the predicate has to be polled; page.evaluate is not subject to it.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        page.wait_for_timeout(50)


def show_all(page) -> None:
    """Switch from the default story view to the view of every node, and wait until it holds still."""
    page.check("input[name=kg-view][value=all]")
    wait_until(page, "() => window.kgSettled !== false")


def write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def screenshot(page, tmp_path: Path, name: str) -> Path:
    """Kept in tmp_path and in out/screenshots/ (gitignored) for people to look at."""
    page.screenshot(path=str(tmp_path / name))
    keep = Path(os.environ.get("KGBUILD_SCREENSHOTS", ROOT / "out" / "screenshots"))
    try:
        keep.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(keep / name))
    except OSError:
        pass
    return tmp_path / name


def click_edge_and_check_evidence(opened: Opened, data: dict, wanted: list[str] | None = None) -> str:
    """Click an edge with the mouse; the panel must show its sentence and highlights."""
    page = opened.page
    hit = page.evaluate(FIND_CLICKABLE_EDGE, wanted)
    assert hit, "no edge could be clicked"
    page.mouse.click(hit["x"], hit["y"])
    info = data["info"]["edges"][hit["id"]]
    item = info["ev"][0]
    sentence = data["sentences"][item["s"]]
    wait_until(page, "() => document.querySelector('#kg-panel .kg-sentence') !== null")
    assert info["rel"] in page.inner_text("#kg-panel h2")
    assert page.eval_on_selector("#kg-panel .kg-sentence", "e => e.textContent") == sentence
    marks = page.eval_on_selector_all("#kg-panel .kg-evidence:first-of-type mark", "ms => ms.map(m => m.textContent)")
    assert marks == [sentence[b:e] for b, e, _ in item["m"]] and marks
    doc = data["docs"][item["d"]]
    assert doc["title"] in page.inner_text("#kg-panel .kg-source")
    return hit["id"]


# --- the tests -------------------------------------------------------------------


def test_sample_page_is_offline_drawn_and_explains_an_edge(browser, tmp_path):
    html = render_graph(sample_graph(), title="Sample")
    data = page_data(html)
    opened = open_page(browser, write(tmp_path, "graph.html", html))
    page = opened.page
    # The graph and the legend are drawn.
    assert page.evaluate(PAINTED_PIXELS) > 2000
    assert page.eval_on_selector_all("#kg-legend li", "ls => ls.map(l => l.textContent)") == [
        f"{g['label']}{g['count']}" for g in data["legend"]
    ]
    assert page.locator("#kg-legend .kg-swatch").count() == len(data["legend"])
    # A role edge of the airstrike: the sentence with the trigger and the target marked.
    strike_targets = [eid for eid, e in data["info"]["edges"].items() if e["rel"] == "target"]
    click_edge_and_check_evidence(opened, data, strike_targets)
    assert "CAMEO" in page.inner_text("#kg-panel")
    screenshot(page, tmp_path, "viewer-sample.png")
    opened.assert_clean()


def test_hover_shows_a_node_and_leaving_restores_the_pinned_edge(browser, tmp_path):
    html = render_graph(sample_graph(), title="Sample")
    data = page_data(html)
    opened = open_page(browser, write(tmp_path, "graph.html", html))
    page = opened.page
    show_all(page)
    click_edge_and_check_evidence(
        opened, data, [eid for eid, e in data["info"]["edges"].items() if e["kind"] == "direct"]
    )
    pinned = page.inner_text("#kg-panel h2")
    node = next(nid for nid, i in data["info"]["nodes"].items() if i["label"] == "Hassan Nasrallah")
    point = page.evaluate(
        """(id) => { const net = window.kgNetwork, box = document.getElementById('kg-graph').getBoundingClientRect();
        const d = net.canvasToDOM(net.getPositions([id])[id]); return {x: box.left + d.x, y: box.top + d.y}; }""",
        node,
    )
    page.mouse.move(point["x"], point["y"], steps=4)  # vis tracks hover from pointer motion
    wait_until(page, "() => document.querySelector('#kg-panel h2').textContent === 'Hassan Nasrallah'")
    assert [m.inner_text() for m in page.locator("#kg-panel mark").all()] == ["Hassan Nasrallah"]
    corner = page.evaluate(
        "() => { const b = document.getElementById('kg-graph').getBoundingClientRect();"
        " return {x: b.left + 6, y: b.bottom - 6}; }"
    )
    page.mouse.move(corner["x"], corner["y"], steps=4)
    wait_until(page, "(t) => document.querySelector('#kg-panel h2').textContent === t", arg=pinned)
    opened.assert_clean()


def test_hostile_names_show_as_text_and_run_nothing(browser, tmp_path):
    title = '<script>window.__pwned=9</script>"</title>'
    html = render_graph(hostile_graph(), title=title)
    data = page_data(html)
    opened = open_page(browser, write(tmp_path, "hostile.html", html))
    page = opened.page
    assert page.title() == title
    for nid, info in data["info"]["nodes"].items():
        page.evaluate("(id) => window.kgSelectNode(id)", nid)
        assert page.inner_text("#kg-panel h2") == info["label"]
    for eid in data["info"]["edges"]:
        page.evaluate("(id) => window.kgSelectEdge(id)", eid)
        assert page.locator("#kg-panel .kg-sentence").count() >= 1
    hits = [eid for eid, e in data["info"]["edges"].items() if e["kind"] == "role"]
    click_edge_and_check_evidence(opened, data, hits)
    page.fill("#kg-search", "script")
    assert page.locator("#kg-results li").count() >= 2
    assert HOSTILE[0] in page.inner_text("#kg-results")
    panel_text = page.evaluate("() => document.body.textContent")
    assert all(h in panel_text for h in (HOSTILE[0], HOSTILE[2]))
    # Nothing ran and no element came out of the data.
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img, b, iframe, object').length") == 0
    assert page.evaluate("() => document.scripts.length") == 4  # data, vis-network, viewer, panels
    screenshot(page, tmp_path, "viewer-hostile.png")
    opened.assert_clean()


def test_views_filters_time_and_search(browser, tmp_path):
    html = render_graph(sample_graph(), title="Sample")
    data = page_data(html)
    opened = open_page(browser, write(tmp_path, "graph.html", html))
    page = opened.page
    kinds = data["info"]["edges"]

    def visible_edges() -> set[str]:
        return set(page.evaluate("() => window.kgVisibleEdges()"))

    def hidden(nid: str) -> bool:
        return page.evaluate("(id) => window.kgIsHidden(id)", nid)

    story = visible_edges()
    show_all(page)
    everything = visible_edges()
    assert story < everything == set(kinds)  # the default story view leaves some out
    page.check("input[name=kg-view][value=actors]")
    assert visible_edges() == {e for e, i in kinds.items() if i["kind"] == "direct"}
    page.check("input[name=kg-view][value=events]")
    assert visible_edges() == {e for e, i in kinds.items() if i["kind"] == "role"}
    page.check("input[name=kg-view][value=all]")
    # Class filter: facilities disappear, and so do their edges.
    facilities = [n for n, i in data["info"]["nodes"].items() if i["group"] == "cls:Facility"]
    page.uncheck("#kg-legend input[data-key='cls:Facility']")
    assert all(hidden(n) for n in facilities)
    assert not any(data["edges"][int(e[1:])]["to"] in facilities for e in visible_edges())
    page.check("#kg-legend input[data-key='cls:Facility']")
    # Relation filter.
    page.uncheck("#kg-relations input[data-key='direct:opposes']")
    assert not any(kinds[e]["rel"] == "opposes" for e in visible_edges())
    page.check("#kg-relations input[data-key='direct:opposes']")
    # Time: the list is sorted by date; narrowing the range hides later events.
    listed = page.eval_on_selector_all("#kg-events li .kg-date", "ds => ds.map(d => d.textContent)")
    assert listed == sorted(listed) and len(listed) == 3
    page.eval_on_selector("#kg-date-to", "e => { e.value = '0'; e.dispatchEvent(new Event('input')); }")
    late = [n for n, i in data["info"]["nodes"].items() if i["k"] == "event" and i.get("date", "") > listed[0]]
    assert late and all(hidden(n) for n in late)
    assert page.locator("#kg-events li .kg-date").count() == 3 - len(late)
    # Search: Enter selects the first match and shows its evidence.
    page.fill("#kg-search", "nasr")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-panel h2") == "Hassan Nasrallah"
    screenshot(page, tmp_path, "viewer-filters.png")
    opened.assert_clean()


def test_large_graph_opens_without_physics(browser, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_viewer import synthetic_extractions

    from kgbuild.rdf import Minter, extraction_to_graph
    from kgbuild.rdf.serialize import union

    minter = Minter()
    graph = union([extraction_to_graph(ex, minter) for ex in synthetic_extractions(1200)])
    html = render_graph(graph, title="Large", corpus=False)  # the full viewer (a corpus defaults to actors)
    data = page_data(html)
    assert data["big"]
    opened = open_page(browser, write(tmp_path, "large.html", html))
    page = opened.page
    assert page.evaluate("() => window.kgNetwork.physics.options.enabled") is False
    assert page.evaluate("() => window.kgReadyAt") < 20_000  # generous: CI machines are slow and shared
    assert page.evaluate(PAINTED_PIXELS) > 2000
    page.evaluate("(id) => window.kgSelectEdge(id)", data["edges"][0]["id"])
    assert page.locator("#kg-panel .kg-sentence").count() == 1
    # Big graphs hide through vis's parsed options (see pushChanges): same results as the public API.
    kinds = data["info"]["edges"]
    page.check("input[name=kg-view][value=actors]")
    shown = set(page.evaluate("() => window.kgVisibleEdges()"))
    assert shown == {e for e, i in kinds.items() if i["kind"] == "direct"}
    assert page.evaluate("() => window.kgNetwork.body.edgeIndices.length") == len(shown)
    page.check("input[name=kg-view][value=all]")
    page.uncheck("#kg-legend input[data-key='cls:Person']")
    people = {n for n, i in data["info"]["nodes"].items() if i["group"] == "cls:Person"}
    drawn = set(page.evaluate("() => window.kgNetwork.body.nodeIndices"))
    assert people and not (people & drawn)
    # What vis draws is what the viewer thinks is shown (events left without players go too).
    assert drawn == set(
        page.evaluate("() => Object.keys(window.kgNetwork.body.nodes).filter(id => !window.kgIsHidden(id))")
    )
    assert len(drawn) < len(data["nodes"]) - len(people)
    assert page.locator("#kg-events li .kg-date").count() == 300  # long lists are capped
    opened.assert_clean()


def test_the_sample_article_build(browser, tmp_path):
    """The real pipeline's graph.html for seeds/ (needs the spaCy model)."""
    from kgbuild.run.build import build

    try:
        build([ROOT / "seeds"], tmp_path / "out")
    except Exception as exc:  # noqa: BLE001 - the extractors are tested elsewhere
        pytest.skip(f"the sample build does not run here: {type(exc).__name__}: {exc}")
    path = tmp_path / "out" / "graph.html"
    html = path.read_text("utf-8")
    data = page_data(html)
    opened = open_page(browser, path)
    page = opened.page
    assert page.evaluate(PAINTED_PIXELS) > 2000
    assert page.locator("#kg-legend li").count() == len(data["legend"])
    with_evidence = [eid for eid, e in data["info"]["edges"].items() if e["ev"]]
    click_edge_and_check_evidence(opened, data, with_evidence)
    screenshot(page, tmp_path, "viewer-seed.png")
    opened.assert_clean()
