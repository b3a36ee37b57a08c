"""The viewer's story table, map and timeline in headless Chromium.

As in test_viewer_browser.py: no request leaves the page, no console or page
error, hostile names stay text.  No assertion depends on timing: the tests
wait for the page's own ready flag and for elements, never for a duration.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_viewer_browser import CHROMIUM, CHROMIUM_ARGS, open_page, playwright_api, screenshot, wait_until, write  # noqa: E402
from test_viz import HOSTILE, page_data  # noqa: E402

from kgbuild.rdf import Minter, extraction_to_graph  # noqa: E402
from kgbuild.rdf.serialize import union  # noqa: E402
from kgbuild.viz import render_graph  # noqa: E402
from toy_graph import toy_extraction  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def toy_page(hostile: bool = False) -> str:
    ex = toy_extraction()
    if hostile:  # the place on the map and the agent of the airstrike try to become markup
        renamed = {"albu-kamal": HOSTILE[1], "coalition": HOSTILE[0]}
        ex = dataclasses.replace(
            ex, entities=tuple(dataclasses.replace(e, label=renamed.get(e.key, e.label)) for e in ex.entities)
        )
    return render_graph(union([extraction_to_graph(ex, Minter())]), title="Toy")


def choose_view(page, view: str) -> None:
    page.check(f"input[name=kg-view][value={view}]")


def test_story_table_lists_events_in_text_order_and_explains_a_row(browser, tmp_path):
    html = toy_page()
    data = page_data(html)
    opened = open_page(browser, write(tmp_path, "toy.html", html))
    page = opened.page
    rows = [r for article in data["story"] for r in article["rows"]]
    assert page.locator("#kg-story tr[data-id]").count() == len(rows) >= 4
    actions = page.eval_on_selector_all("#kg-story td.kg-col-action", "tds => tds.map(t => t.textContent)")
    assert actions[0] == "airstrike (struck)"
    page.locator("#kg-story tr[data-id]").first.click()
    wait_until(page, "() => document.querySelector('#kg-story tr.kg-chosen') !== null")
    first = data["info"]["nodes"][rows[0]["id"]]
    assert page.inner_text("#kg-panel h2") == first["label"]
    assert (
        page.locator("#kg-panel .kg-sentence").first.text_content()
        == "The coalition struck Islamic State near Albu Kamal."
    )
    screenshot(page, tmp_path, "viewer-story.png")
    opened.assert_clean()


def test_map_view_draws_the_basemap_and_a_marker_per_place(browser, tmp_path):
    html = toy_page()
    data = page_data(html)
    assert data["map"]["points"] and len(data["map"]["outline"]) > 50_000
    opened = open_page(browser, write(tmp_path, "toy.html", html))
    page = opened.page
    choose_view(page, "map")
    wait_until(page, "() => !document.getElementById('kg-map').hidden && document.getElementById('kg-graph').hidden")
    assert page.locator("#kg-map path.kg-land").count() == 1
    assert page.locator("#kg-map .kg-marker").count() == len(data["map"]["points"])
    assert "Albu Kamal" in page.inner_text("#kg-map")
    page.locator("#kg-map .kg-marker").first.click()
    wait_until(page, "() => document.querySelector('#kg-panel .kg-sentence') !== null")
    assert "Albu Kamal" in page.inner_text("#kg-panel")
    screenshot(page, tmp_path, "viewer-map.png")
    choose_view(page, "all")
    wait_until(page, "() => !document.getElementById('kg-graph').hidden && document.getElementById('kg-map').hidden")
    opened.assert_clean()


def test_timeline_view_places_dated_events(browser, tmp_path):
    html = toy_page()
    data = page_data(html)
    dated = [i for i in data["info"]["nodes"].values() if i["k"] == "event" and i.get("date")]
    opened = open_page(browser, write(tmp_path, "toy.html", html))
    page = opened.page
    choose_view(page, "timeline")
    wait_until(page, "() => !document.getElementById('kg-timeline').hidden")
    assert page.locator("#kg-timeline .kg-tick-event").count() == len(dated) >= 4
    page.locator("#kg-timeline .kg-tick-event").first.click()
    wait_until(page, "() => document.querySelector('#kg-panel h2.kg-name') !== null")
    opened.assert_clean()


def test_hostile_names_stay_text_in_story_map_and_timeline(browser, tmp_path):
    html = toy_page(hostile=True)
    opened = open_page(browser, write(tmp_path, "hostile.html", html))
    page = opened.page
    assert HOSTILE[0] in page.inner_text("#kg-story")
    for view in ("map", "timeline", "all"):
        choose_view(page, view)
    assert HOSTILE[1] in page.eval_on_selector("#kg-map svg", "s => s.textContent")
    page.locator("#kg-story tr[data-id]").first.click()
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img, b, iframe, object').length") == 0
    assert page.evaluate("() => document.scripts.length") == 4
    opened.assert_clean()


def test_default_story_view_is_legible_fitted_and_says_who_did_what(browser, tmp_path):
    from test_viz import sample_graph

    html = render_graph(sample_graph(), title="Sample")
    data = page_data(html)
    opened = open_page(browser, write(tmp_path, "sample.html", html))
    page = opened.page
    wait_until(page, "() => window.kgSettled !== false")
    assert page.is_checked("input[name=kg-view][value=story]")
    assert page.evaluate("() => window.kgLabelPx()") >= 11
    labels = {n["label"] for n in data["nodes"]}
    assert any(label.startswith("US-led coalition → ") and label.endswith(": airstrike") for label in labels), labels
    # Fitted: every visible node is inside the graph's box.
    outside = page.evaluate("""() => {
      const net = window.kgNetwork, box = document.getElementById('kg-graph').getBoundingClientRect();
      return Object.entries(net.getPositions()).filter(([id]) => !window.kgIsHidden(id)).map(([id, p]) => net.canvasToDOM(p))
        .filter(d => d.x < -1 || d.y < -1 || d.x > box.width + 1 || d.y > box.height + 1).length; }""")
    assert outside == 0
    # A filter change fits again and keeps labels legible.
    page.locator("#kg-legend input").first.uncheck()
    assert page.evaluate("() => window.kgLabelPx()") >= 11
    opened.assert_clean()
