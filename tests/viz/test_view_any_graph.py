"""`kgbuild view` draws any valid RDF graph: edited offsets, missing labels, graphs from other tools.

It draws what is there and says what it skipped; it never stops with an internal error.
"""

from __future__ import annotations

import random
import re

import pytest

from kgbuild.viz import render_path
from toy_graph import run_cli, write_toy_graph

INDEX = re.compile(r'(<http://persistence\.uni-leipzig\.org/nlp2rdf/ontologies/nif-core#(begin|end)Index> )"(\d+)"')


def edited(tmp_path, edit) -> str:
    """The toy graph with `edit` applied to its N-Quads text, as a new file."""
    text = write_toy_graph(tmp_path / "toy").read_text(encoding="utf-8")
    path = tmp_path / "edited.nq"
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


def shift_ends(text: str) -> str:
    return INDEX.sub(lambda m: f'{m.group(1)}"{int(m.group(3)) + 5000 if m.group(2) == "end" else m.group(3)}"', text)


def test_offsets_past_the_text_are_skipped_and_said(tmp_path, monkeypatch, capsys):
    path = edited(tmp_path, shift_ends)
    notes: list[str] = []
    html = render_path(path, title="t", notes=notes)
    assert "US-led coalition" in html  # the nodes are still drawn
    assert any("run past their article's text" in n for n in notes)
    code, out, err = run_cli(monkeypatch, capsys, "view", path, "--out", str(tmp_path / "g.html"))
    assert code == 0 and "internal error" not in err
    assert "run past their article's text: skipped" in out


def test_missing_labels_fall_back_to_the_iri(tmp_path):
    label = re.compile(r"^.*<http://www\.w3\.org/(2000/01/rdf-schema#label|2004/02/skos/core#prefLabel)>.*\n", re.M)
    notes: list[str] = []
    html = render_path(edited(tmp_path, lambda t: label.sub("", t)), title="t", notes=notes)
    assert "albu-kamal" in html
    assert any("without a label" in n for n in notes)


def test_a_graph_from_another_tool(tmp_path):
    path = tmp_path / "foaf.ttl"
    path.write_text(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        '<http://example.org/a> a foaf:Person ; foaf:name "<b>A</b>" ; foaf:knows <http://example.org/b> .\n',
        encoding="utf-8",
    )
    notes: list[str] = []
    html = render_path(path, title="t", notes=notes)
    assert html.startswith("<!DOCTYPE html>") or "<html" in html
    assert notes == ["1 typed resources outside the kgbuild ontology (no entity or event to draw): skipped"]


def test_an_empty_graph(tmp_path):
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    notes: list[str] = []
    assert "<html" in render_path(path, title="t", notes=notes)
    assert notes == []


@pytest.mark.parametrize("seed", range(12))
def test_randomly_edited_offsets_never_crash(tmp_path, seed):
    """Seeded, so a failure replays: offsets swapped, shrunk, grown, zeroed."""
    rng = random.Random(seed)

    def scramble(text: str) -> str:
        def one(m):
            value = int(m.group(3))
            new = rng.choice([0, value, value + rng.randint(1, 400), max(0, value - rng.randint(1, 60)), 10**6])
            return f'{m.group(1)}"{new}"'

        return INDEX.sub(one, text)

    notes: list[str] = []
    assert "<html" in render_path(edited(tmp_path, scramble), title="t", notes=notes)
