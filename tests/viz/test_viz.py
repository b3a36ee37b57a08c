"""The HTML viewer without a browser: self-contained, safe, deterministic.

Graphs are built from hand-made extraction records through the real RDF
writer (kgbuild.rdf.convert), so no spaCy model is needed.
tests/viz/test_viewer_browser.py imports the builders below.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.serialize import serialize, union
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Relation, Span
from kgbuild.viz import render_graph, render_path
from kgbuild.viz.page import embed_json
from kgbuild.viz.positions import layout
from kgbuild.viz.style import PHYSICS_MAX_NODES

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    'Say "hi" </div><b>bold</b>',
    "</script><script>window.__pwned=2</script>",
    "A & B \u2028 ' C",
)

SAMPLE_TEXT = (
    "US-led coalition strikes hit IS convoy\n\n"
    "US-led coalition aircraft launched airstrikes on a road and a bridge in eastern Syria on Wednesday. "
    "Hizballah struck a deal with IS to evacuate fighters from Lebanon. "
    "Hizballah opposes the Islamic State group, said Hassan Nasrallah, leader of Hizballah. "
    "The convoy left Lebanon for Deir az-Zour."
)


# --- builders (also used by the browser tests) ----------------------------------


class _Text:
    """Offsets of phrases in an article text, so records stay consistent."""

    def __init__(self, text: str) -> None:
        self.text = text

    def span(self, phrase: str, after: int = 0) -> tuple[int, int]:
        start = self.text.index(phrase, after)
        return start, start + len(phrase)

    def sentences(self) -> tuple[Span, ...]:
        out, start = [], 0
        for m in re.finditer(r"(?<=[.!?])\s+|\n\n", self.text):
            out.append(Span(start, m.start(), self.text[start : m.start()]))
            start = m.end()
        if start < len(self.text):
            out.append(Span(start, len(self.text), self.text[start:]))
        return tuple(out)

    def sentence_of(self, start: int) -> int:
        return next(i for i, s in enumerate(self.sentences()) if s.start <= start < s.end)


def _entity(t: _Text, key: str, label: str, cls: str, coarse: str, *phrases: str) -> Entity:
    """An entity mentioned by every occurrence of each phrase."""
    mentions = []
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase), t.text):
            mentions.append(Mention(m.start(), m.end(), phrase, coarse, key, t.sentence_of(m.start())))
    return Entity(key, label, cls, coarse, mentions=tuple(sorted(mentions, key=lambda x: x.start)))


def _arg(t: _Text, role: str, phrase: str, key: str, after: int = 0, fine: str | None = None) -> Argument:
    b, e = t.span(phrase, after)
    return Argument(role, b, e, phrase, key, fine)


def sample_extraction() -> Extraction:
    """A small article shaped like the seed: airstrikes, an evacuation deal, who opposes whom."""
    t = _Text(SAMPLE_TEXT)
    body = SAMPLE_TEXT.index("\n\n")
    ents = (
        _entity(t, "us-led-coalition", "US-led coalition", "Coalition", "ORGANIZATION", "US-led coalition aircraft"),
        _entity(t, "road", "road", "Facility", "LOCATION", "road"),
        _entity(t, "bridge", "bridge", "Facility", "LOCATION", "bridge"),
        _entity(t, "syria", "Syria", "State", "GPE", "Syria"),
        _entity(t, "hizballah", "Hizballah", "ArmedGroup", "ORGANIZATION", "Hizballah"),
        _entity(t, "islamic-state", "Islamic State", "ArmedGroup", "ORGANIZATION", "Islamic State group", "IS "),
        _entity(t, "lebanon", "Lebanon", "State", "GPE", "Lebanon"),
        _entity(t, "nasrallah", "Hassan Nasrallah", "Person", "PERSON", "Hassan Nasrallah"),
        _entity(t, "deir-az-zour", "Deir az-Zour", "PopulatedPlace", "GPE", "Deir az-Zour"),
        _entity(t, "fighters", "IS fighters", "PeopleGroup", "OTHER", "fighters"),
    )
    strike = t.span("airstrikes")
    deal = t.span("deal")
    left = t.span("left")
    events = (
        Event(
            Span(*strike, "airstrikes"),
            "Airstrike",
            "Attack",
            t.sentence_of(strike[0]),
            arguments=(
                _arg(t, "agent", "US-led coalition aircraft", "us-led-coalition", body),
                _arg(t, "target", "road", "road"),
                _arg(t, "target", "bridge", "bridge"),
                _arg(t, "place", "Syria", "syria"),
            ),
            cameo="195",
            acled="Explosions/Remote violence / Air/drone strike",
            plover="FIGHT",
            date="2017-08-30",
            date_precision="day",
            confidence=0.9,
        ),
        Event(
            Span(*deal, "deal"),
            "Agreement",
            "Agreement/Deal",
            t.sentence_of(deal[0]),
            arguments=(
                _arg(t, "agent", "Hizballah", "hizballah"),
                _arg(t, "participant", "IS", "islamic-state", deal[0]),
                _arg(t, "other", "fighters", "fighters"),
            ),
            cameo="057",
            modality="reported",
            quote="to evacuate fighters",
            confidence=0.8,
        ),
        Event(
            Span(*left, "left"),
            "Evacuation",
            "Evacuation/Transport",
            t.sentence_of(left[0]),
            arguments=(
                _arg(t, "place", "Lebanon", "lebanon", left[0], fine="origin"),
                _arg(t, "place", "Deir az-Zour", "deir-az-zour", fine="destination"),
            ),
            date="2017-08-31",
            confidence=0.7,
        ),
    )
    opp = t.span("opposes")
    lead = t.span("leader of")
    relations = (
        Relation("hizballah", "opposes", "islamic-state", *opp, t.sentence_of(opp[0]), confidence=0.85),
        Relation("nasrallah", "leaderOf", "hizballah", *lead, t.sentence_of(lead[0]), confidence=0.75),
        Relation(
            "deir-az-zour", "locatedIn", "syria", *t.span("Deir az-Zour"), t.sentence_of(t.span("Deir az-Zour")[0])
        ),
    )
    article = Article(
        doc_id="sample-1", text=SAMPLE_TEXT, title="US-led coalition strikes hit IS convoy", date="2017-08-30"
    )
    return Extraction(article, t.sentences(), ents, events, relations)


def sample_graph():
    return union([extraction_to_graph(sample_extraction(), Minter())])


def hostile_extraction() -> Extraction:
    """Names, title, quote and sentence text that try to become markup or script.

    Sentence i is "<name i> attacked <name i+1>." with offsets known by construction.
    """
    names, n = list(HOSTILE), len(HOSTILE)
    sentences, events, rels = [], [], []
    mentions: dict[int, list[Mention]] = {i: [] for i in range(n)}
    pos = 0
    for i, name in enumerate(names):
        j = (i + 1) % n
        sentence = f"{name} attacked {names[j]}."
        trig = pos + len(name) + 1
        tb = trig + len("attacked ")
        sentences.append(Span(pos, pos + len(sentence), sentence))
        mentions[i].append(Mention(pos, pos + len(name), name, "OTHER", f"hostile-{i}", i))
        mentions[j].append(Mention(tb, tb + len(names[j]), names[j], "OTHER", f"hostile-{j}", i))
        events.append(
            Event(
                Span(trig, trig + 8, "attacked"),
                "Attack",
                "Attack",
                i,
                arguments=(
                    Argument("agent", pos, pos + len(name), name, f"hostile-{i}"),
                    Argument("target", tb, tb + len(names[j]), names[j], f"hostile-{j}"),
                ),
                quote=HOSTILE[i],
                date=f"2020-01-0{i + 1}",
            )
        )
        rels.append(Relation(f"hostile-{i}", "opposes", f"hostile-{j}", trig, trig + 8, i))
        pos += len(sentence) + 1
    text = " ".join(s.text for s in sentences)
    classes = ["Person", "ArmedGroup", "State", "Facility", "PeopleGroup"]
    ents = tuple(
        Entity(f"hostile-{i}", name, classes[i], "OTHER", mentions=tuple(sorted(mentions[i], key=lambda m: m.start)))
        for i, name in enumerate(names)
    )
    title = '<script>window.__pwned=3</script>"title"</title>'
    return Extraction(
        Article("hostile", text, title=title, date="2020-01-01"), tuple(sentences), ents, tuple(events), tuple(rels)
    )


def hostile_graph():
    return union([extraction_to_graph(hostile_extraction(), Minter())])


def names(data: dict) -> dict[str, str]:
    """Node id -> entity label, or event class (event labels are the RDF writer's choice)."""
    return {nid: i["cls"] if i["k"] == "event" else i["label"] for nid, i in data["info"]["nodes"].items()}


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m, "embedded data missing"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def page() -> str:
    return render_graph(sample_graph(), title="Sample")


# --- self-contained and offline ------------------------------------------------------


def test_no_external_urls_in_src_or_href(page):
    assert not re.search(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)


def test_vis_network_is_inlined(page):
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2"
    assert (lib / "vis-network.min.js").read_text("utf-8") in page
    assert (lib / "vis-network.css").read_text("utf-8") in page


def test_strict_content_security_policy(page):
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert m, "CSP meta tag missing"
    csp = m.group(1).replace("&#x27;", "'")
    assert page.index(m.group(0)) < page.index("<script"), "CSP must come before any script"
    assert "default-src 'none'" in csp and "img-src data:" in csp and "style-src 'unsafe-inline'" in csp
    assert "connect-src" not in csp  # default-src 'none' covers fetch/XHR/WebSocket
    # Every executable inline script is allowed by its hash (so injected ones are not).
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 3  # vis-network, viewer.js, panels.js
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_nothing_written_beside_the_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    render_graph(sample_graph(), title="t")
    assert list(tmp_path.iterdir()) == []  # pyvis's write_html would have made lib/ here


def test_viewer_script_never_writes_html():
    js = (ROOT / "kgbuild" / "viz" / "assets" / "viewer.js").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "title:"):
        assert sink not in code, sink


# --- content ---------------------------------------------------------------------------


def test_legend_lists_classes_and_event_types(page):
    data = page_data(page)
    keys = {g["key"] for g in data["legend"]}
    assert {
        "cls:Coalition",
        "cls:Facility",
        "cls:State",
        "cls:ArmedGroup",
        "cls:Person",
        "cls:PeopleGroup",
        "cls:PopulatedPlace",
        "event:Attack",
        "event:Agreement/Deal",
        "event:Evacuation/Transport",
    } <= keys
    shapes = {g["key"]: g["shape"] for g in data["legend"]}
    assert shapes["cls:Person"] != shapes["cls:State"] != shapes["event:Attack"]
    nodes = {n["id"]: n for n in data["nodes"]}
    for nid, info in data["info"]["nodes"].items():
        legend = next(g for g in data["legend"] if g["key"] == info["group"])
        assert (nodes[nid]["shape"], nodes[nid]["color"]) == (legend["shape"], legend["color"])


def test_roles_and_direct_edges_are_labelled(page):
    data = page_data(page)
    rels = {(r["kind"], r["key"]) for r in data["relations"]}
    assert {
        ("role", "agent"),
        ("role", "target"),
        ("role", "place"),
        ("role", "origin"),
        ("role", "destination"),
        ("direct", "opposes"),
        ("direct", "leaderOf"),
        ("direct", "locatedIn"),
    } <= rels
    assert ("role", "place") in rels
    assert all(e["label"] for e in data["edges"])
    labels = names(data)
    triples = {(labels[e["from"]], e["label"], labels[e["to"]]) for e in data["edges"]}
    assert ("Airstrike", "agent", "US-led coalition") in triples
    assert ("Airstrike", "target", "bridge") in triples
    assert ("Evacuation", "origin", "Lebanon") in triples and ("Evacuation", "place", "Lebanon") not in triples
    assert ("Hizballah", "opposes", "Islamic State") in triples


def _edge(data: dict, source: str, rel: str, target: str) -> tuple[dict, dict]:
    labels = names(data)
    for e in data["edges"]:
        if (labels[e["from"]], e["label"], labels[e["to"]]) == (source, rel, target):
            return e, data["info"]["edges"][e["id"]]
    raise AssertionError(f"no edge {source} {rel} {target}")


def _marked(data: dict, item: dict) -> list[tuple[str, str]]:
    sentence = data["sentences"][item["s"]]
    return [(sentence[b:e], kind) for b, e, kind in item["m"]]


def test_role_edge_evidence_highlights_trigger_and_player(page):
    data = page_data(page)
    _, info = _edge(data, "Airstrike", "target", "bridge")
    [item] = info["ev"]
    assert data["sentences"][item["s"]].startswith("US-led coalition aircraft launched airstrikes")
    assert _marked(data, item) == [("airstrikes", "trigger"), ("bridge", "arg")]
    assert data["docs"][item["d"]] == {
        "id": "sample-1",
        "title": "US-led coalition strikes hit IS convoy",
        "date": "2017-08-30",
    }
    assert item["c"] == 0.9


def test_direct_edge_evidence_has_cue_players_and_confidence(page):
    data = page_data(page)
    _, info = _edge(data, "Hizballah", "opposes", "Islamic State")
    assert info["conf"] == 0.85
    [item] = info["ev"]
    assert _marked(data, item) == [
        ("Hizballah", "arg"),
        ("opposes", "cue"),
        ("Islamic State group", "arg"),
        ("Hizballah", "arg"),
    ]


def test_cue_words_fill_the_gaps_between_players():
    from kgbuild.viz.model import _relative_marks

    text = "So A criticised B today."
    a, b = text.index("A "), text.index("B ")
    marks = [(10 + a, 10 + a + 1, "arg"), (10 + b, 10 + b + 1, "arg"), (10 + a, 10 + b + 1, "cue")]
    got = _relative_marks(marks, 10, 10 + len(text), text)
    assert [(text[x:y], k) for x, y, k in got] == [("A", "arg"), ("criticised", "cue"), ("B", "arg")]
    # Clipped to the sentence; overlapping players: the earlier, longer one wins.
    got = _relative_marks([(5, 13, "arg"), (12, 14, "mention"), (14, 15, "trigger"), (19, 30, "arg")], 10, 20, "x" * 10)
    assert got == [[0, 3, "arg"], [4, 5, "trigger"], [9, 10, "arg"]]


def test_event_details_carry_codes_time_modality_quote(page):
    data = page_data(page)
    events = {i["cls"]: i for i in data["info"]["nodes"].values() if i["k"] == "event"}
    strike = events["Airstrike"]
    assert strike["cameo"] == "195" and strike["plover"] == "FIGHT" and strike["acled"]
    assert (strike["date"], strike["dateOf"], strike["modality"]) == ("2017-08-30", "event", "asserted")
    deal = events["Agreement"]
    assert deal["quote"] == "to evacuate fighters" and deal["modality"] == "reported"
    assert (deal["date"], deal["dateOf"]) == ("2017-08-30", "article")  # falls back to the publication date
    assert _marked(data, strike["ev"][0])[0] == ("US-led coalition aircraft", "arg")


def test_entity_evidence_is_its_mention_sentence(page):
    data = page_data(page)
    info = next(i for i in data["info"]["nodes"].values() if i["label"] == "Hizballah")
    assert info["cls"] == "ArmedGroup" and info["n"] == 3
    assert [_marked(data, item) for item in info["ev"]] == [
        [("Hizballah", "mention")],
        [("Hizballah", "mention"), ("Hizballah", "mention")],
    ]  # grouped by sentence


def test_fine_roles_replace_their_super_roles():
    ex = sample_extraction()
    ev = ex.events[0]
    speaker = Argument(
        "agent", ev.arguments[0].start, ev.arguments[0].end, "US-led coalition aircraft", "us-led-coalition", "speaker"
    )
    ex = Extraction(
        ex.article, ex.sentences, ex.entities, (Event(ev.trigger, ev.cls, ev.coarse, ev.sentence, (speaker,)),)
    )
    data = page_data(render_graph(extraction_to_graph(ex), title="t"))
    assert [e["label"] for e in data["edges"]] == ["speaker"]  # not speaker and agent


def test_highlights_use_utf16_offsets_for_the_browser():
    text = "Crowds 🎉🎉 cheered Hizballah. "
    b = text.index("Hizballah")
    ent = Entity(
        "hizballah",
        "Hizballah",
        "ArmedGroup",
        "ORGANIZATION",
        mentions=(Mention(b, b + 9, "Hizballah", "ORGANIZATION", "hizballah", 0),),
    )
    ex = Extraction(Article("emoji", text), (Span(0, len(text) - 1, text[:-1]),), (ent,))
    data = page_data(render_graph(extraction_to_graph(ex), title="t"))
    [info] = data["info"]["nodes"].values()
    [[start, end, _]] = info["ev"][0]["m"]
    sentence = data["sentences"][info["ev"][0]["s"]]
    utf16 = sentence.encode("utf-16-le")
    assert utf16[2 * start : 2 * end].decode("utf-16-le") == "Hizballah"


# --- injection ----------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_embedded_json():
    page = render_graph(hostile_graph(), title='<script>window.__pwned=4</script>"')
    head, _, rest = page.partition('<script type="application/json" id="kg-data">')
    blob, _, tail = rest.partition("</script>")
    for bad in ("<script>window.__pwned", "<img", "</div>", "</title>", "\u2028"):
        assert bad not in blob
    assert "__pwned" not in head.replace("&lt;script&gt;window.__pwned=4", "")
    assert "<" not in blob and ">" not in blob and "&" not in blob
    assert "\\u003cscript\\u003e" in blob
    assert "<title>&lt;script&gt;window.__pwned=4&lt;/script&gt;&quot;</title>" in head
    # Round trip: the page gets back exactly the original strings.
    data = json.loads(blob)
    labels = {i["label"] for i in data["info"]["nodes"].values()}
    assert set(HOSTILE) <= labels
    assert any(s.startswith(HOSTILE[0]) for s in data["sentences"])
    # Only our own four script elements exist (data, vis-network, viewer, panels); vis-network's
    # code holds the string "<script>" (a core-js shim), hence counting elements at line starts.
    assert re.findall(r"\n<script\b[^>]*>", page) == [
        '\n<script type="application/json" id="kg-data">',
        "\n<script>",
        "\n<script>",
        "\n<script>",
    ]
    assert page.count("</script>") == 4


def test_embed_json_escapes_every_breakout_character():
    out = embed_json({"k": "</script><!-- & \u2028\u2029 -->"})
    assert out == '{"k":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 --\\u003e"}'
    assert json.loads(out) == {"k": "</script><!-- & \u2028\u2029 -->"}


# --- determinism, sizes, inputs ---------------------------------------------------------


def test_same_graph_gives_byte_identical_html(page):
    assert render_graph(sample_graph(), title="Sample") == page


def test_identical_across_hash_seeds(tmp_path):
    code = (
        "import hashlib, sys; sys.path.insert(0, {tests!r}); from test_viz import sample_graph;"
        "from kgbuild.viz import render_graph;"
        "print(hashlib.sha256(render_graph(sample_graph(), title='t').encode()).hexdigest())"
    ).format(tests=str(Path(__file__).parent))
    digests = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_render_path_reads_turtle_nquads_and_output_dirs(tmp_path, page):
    graphs = [extraction_to_graph(sample_extraction(), Minter())]
    (tmp_path / "g.ttl").write_bytes(serialize(graphs, "ttl"))
    (tmp_path / "g.nq").write_bytes(serialize(graphs, "nq"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_bytes(serialize(graphs, "nq"))
    pages = [render_path(p, title="Sample") for p in (tmp_path / "g.ttl", tmp_path / "g.nq", out)]
    assert pages[0] == pages[1] == pages[2] == page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq", "g.ttl", "out"]


def test_datasets_and_oxigraph_stores_give_the_same_page(tmp_path, page):
    import warnings

    import pyoxigraph as ox
    from rdflib import Dataset

    graph = extraction_to_graph(sample_extraction(), Minter())
    ds = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        named = ds.graph(graph.identifier)
        for t in graph:
            named.add(t)
        assert render_graph(ds, title="Sample") == page
    (tmp_path / "g.nq").write_bytes(serialize([graph], "nq"))
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(tmp_path / "g.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    assert render_path(tmp_path / "store", title="Sample") == page


def test_cli_view_writes_one_file(tmp_path):
    (tmp_path / "g.ttl").write_bytes(serialize([extraction_to_graph(sample_extraction())], "ttl"))
    out = tmp_path / "view.html"
    r = subprocess.run(
        [sys.executable, "-m", "kgbuild", "view", str(tmp_path / "g.ttl"), "--out", str(out), "--title", "CLI <view>"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "view.html"]
    html = out.read_text("utf-8")
    assert "<title>CLI &lt;view&gt;</title>" in html and page_data(html)["nodes"]


def test_small_graphs_settle_with_physics_big_ones_are_laid_out_in_python(page):
    small = page_data(page)
    assert small["options"]["physics"]["enabled"] is True and not small["big"]
    assert small["options"]["layout"]["improvedLayout"] is False  # vis must not re-layout our positions
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_viewer import synthetic_extractions

    minter = Minter()
    big = page_data(
        render_graph(
            union([extraction_to_graph(ex, minter) for ex in synthetic_extractions(600)]), title="big", corpus=False
        )
    )
    assert len(big["nodes"]) > PHYSICS_MAX_NODES
    assert big["big"] and big["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], (int, float)) and isinstance(n["y"], (int, float)) for n in big["nodes"])
    assert len({(n["x"], n["y"]) for n in big["nodes"]}) > 0.95 * len(big["nodes"])  # spread out


def test_layout_is_deterministic_and_finite():
    nodes = [f"n{i}" for i in range(700)]
    edges = [(f"n{i}", f"n{(i * 7 + 3) % 700}") for i in range(700)] + [("n1", "n2")]
    a, b = layout(nodes, edges), layout(list(nodes), list(edges))
    assert a == b and set(a) == set(nodes)
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in a.values())


def test_graph_without_kgbuild_terms_gives_an_empty_viewer():
    from rdflib import Graph, URIRef

    g = Graph()
    g.add((URIRef("http://e.org/a"), URIRef("http://e.org/p"), URIRef("http://e.org/b")))
    data = page_data(render_graph(g, title="empty"))
    assert data["nodes"] == [] and data["edges"] == []
