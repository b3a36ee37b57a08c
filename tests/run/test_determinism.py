"""Determinism (issue 10, item 6): same inputs, byte-identical outputs.

Across runs, across PYTHONHASHSEED values (each run is its own process), and
whatever the order in which the input files are given or the folders they
sit in.  Documents are processed in the order given, but every output
(graph files, annotations.jsonl, graph.html) is written in doc id order.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import SEEDS, model_installed
from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.serialize import formats, serialize, union
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Span

OUTPUTS = ("graph.ttl", "graph.nt", "graph.nq", "graph.trig", "graph.jsonld", "annotations.jsonl", "graph.html")

# Small articles that share actors with each other and with the sample, so
# cross-article merging (one IRI for one actor) is exercised.
ARTICLES = {
    "b-strikes.txt": (
        "Coalition strikes hit Raqqa\n\n"
        "US-led coalition jets struck a bridge near Raqqa on Monday, killing 12 Islamic State fighters, "
        "the Pentagon said. Hizballah denied any role.\n"
    ),
    "a-deal.txt": (
        "Hizballah and Islamic State agree evacuation\n\n"
        "Hizballah struck a deal with Islamic State on Sunday to evacuate 308 fighters from the Syria-Lebanon border "
        "to Deir az-Zour. The Lebanese army said the convoy left Arsal.\n"
    ),
    "page.html": (
        '<html><head><title>Offensive near Albu Kamal</title><link rel="canonical" href="https://news.example/albu-kamal">'
        "</head><body><p>Syrian government forces launched an offensive near Albu Kamal on Tuesday, "
        "state media said. The US-led coalition struck a convoy nearby.</p></body></html>"
    ),
}
JSONL = [
    {
        "doc_id": "wire-2",
        "title": "Talks",
        "text": "Russian and Turkish officials negotiated with rebels in Idlib on Friday.",
    },
    {
        "doc_id": "wire-1",
        "title": "Raid",
        "text": "Iraqi forces raided an Islamic State hideout in Mosul, the army said.",
    },
]


def write_inputs(root: Path, nested: bool = False) -> list[Path]:
    """The same articles; `nested` puts them in other folders under other parents."""
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (name, text) in enumerate(sorted(ARTICLES.items())):
        folder = root / (f"z{9 - i}" if nested else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    feed = root / ("0feed" if nested else "") / "wire.jsonl"
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_text("".join(json.dumps(r) + "\n" for r in JSONL), encoding="utf-8")
    paths.append(feed)
    sample = root / ("seed-copy" if nested else "") / next(SEEDS.glob("*.txt")).name
    sample.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(next(SEEDS.glob("*.txt")), sample)
    paths.append(sample)
    return paths


def build_in_subprocess(inputs: list[Path], out: Path, hashseed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    cmd = [
        sys.executable,
        "-m",
        "kgbuild",
        "build",
        *map(str, inputs),
        "--out",
        str(out),
        "--quiet",
        "--format",
        "ttl,nt,nq,trig,jsonld",
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """Three builds of the same articles: name -> output directory."""
    if not model_installed():
        pytest.skip("spaCy pipeline not installed")
    base = tmp_path_factory.mktemp("determinism")
    given = write_inputs(base / "in")
    moved = write_inputs(base / "elsewhere", nested=True)
    plans = {  # three separate processes: three runs
        "seed 0, the folder": ([base / "in"], "0"),
        "seed 1, the files in reverse order": (list(reversed(given)), "1"),
        "seed 12345, shuffled files in other folders": ([moved[2], moved[4], moved[0], moved[3], moved[1]], "12345"),
    }

    def one(item):
        index, (name, (inputs, seed)) = item
        out = base / f"out{index}"
        r = build_in_subprocess(inputs, out, seed)
        assert r.returncode == 0, f"{name}: {r.stderr}"
        return name, out

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(one, enumerate(plans.items())))


def first_difference(a: bytes, b: bytes) -> str:
    la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    diff = list(difflib.unified_diff(la, lb, lineterm="", n=0))
    return "\n".join(line[:200] for line in diff[:12])


def test_determinism_all_outputs_written(runs):
    for out in runs.values():
        assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)


def _without_source(name: str, data: bytes) -> bytes:
    """annotations.jsonl names each article's input file ("source"): the one field that
    must follow the files when they move; everything else stays byte-identical."""
    if name != "annotations.jsonl":
        return data
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    for row in rows:
        assert Path(row.pop("source").split(":")[0]).is_file()
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode("utf-8")


@pytest.mark.parametrize("name", OUTPUTS)
def test_determinism_byte_identical_across_runs_seeds_and_input_order(runs, name):
    (reference_run, reference), *others = runs.items()
    expected = _without_source(name, (reference / name).read_bytes())
    assert expected
    for run_name, out in others:
        got = _without_source(name, (out / name).read_bytes())
        assert got == expected, f"{name} differs between '{reference_run}' and '{run_name}':\n" + first_difference(
            expected, got
        )


def test_determinism_annotations_in_doc_id_order(runs):
    out = next(iter(runs.values()))
    ids = [json.loads(line)["doc_id"] for line in (out / "annotations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == sorted(ids) and len(ids) == len(ARTICLES) + len(JSONL) + 1


# --------------------------------------------------------------------------
# The writers alone (no model): graph order must not matter
# --------------------------------------------------------------------------


def small_extraction(doc_id: str, actor: str, place: str) -> Extraction:
    text = f"{actor} struck {place} on Monday."
    a_end = len(actor)
    p_start = text.index(place)
    t_start = text.index("struck")
    actor_e = Entity(
        key=actor.lower().replace(" ", "-"),
        label=actor,
        cls="ArmedGroup",
        coarse="ORGANIZATION",
        mentions=(Mention(0, a_end, actor, "ORGANIZATION", actor.lower().replace(" ", "-"), 0),),
    )
    place_e = Entity(
        key=place.lower(),
        label=place,
        cls="PopulatedPlace",
        coarse="GPE",
        mentions=(Mention(p_start, p_start + len(place), place, "GPE", place.lower(), 0),),
    )
    event = Event(
        trigger=Span(t_start, t_start + 6, "struck"),
        cls="Airstrike",
        coarse="Attack",
        sentence=0,
        arguments=(
            Argument("agent", 0, a_end, actor, actor_e.key),
            Argument("target", p_start, p_start + len(place), place, place_e.key),
        ),
    )
    return Extraction(
        article=Article(doc_id=doc_id, text=text, title=f"{actor} in {place}"),
        sentences=(Span(0, len(text), text),),
        entities=(actor_e, place_e),
        events=(event,),
    )


@pytest.fixture(scope="module")
def graphs():
    exs = [
        small_extraction("d1", "Islamic State", "Raqqa"),
        small_extraction("d2", "Islamic State", "Mosul"),
        small_extraction("d3", "Hizballah", "Arsal"),
        small_extraction("d0", "US Air Force", "Raqqa"),
    ]
    return [extraction_to_graph(ex, Minter()) for ex in exs]


@pytest.mark.parametrize("fmt", sorted(formats()))
def test_determinism_serialisation_does_not_depend_on_graph_order(graphs, fmt):
    expected = serialize(graphs, fmt)
    assert serialize(list(reversed(graphs)), fmt) == expected
    assert serialize(graphs[2:] + graphs[:2], fmt) == expected


def test_determinism_viewer_does_not_depend_on_graph_order(graphs):
    from kgbuild.viz import render_graph

    expected = render_graph(union(graphs), title="t")
    assert render_graph(union(list(reversed(graphs))), title="t") == expected
