"""Casualty figures on events: counts and qualifiers from the victims' phrases, in
annotations.jsonl and in RDF (kgb:casualties -> kgb:CasualtyFigure)."""

from __future__ import annotations

import pytest

from kgbuild.extract._events.casualties import figure
from tests.conftest import needs_model
from tests.test_events import run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 12 civilians", (12, "at least")),
        ("more than 700 people", (700, "more than")),
        ("30", (30, None)),
        ("some 1,500 migrants", (1500, "about")),
        ("nearly two dozen villagers", (24, "nearly")),
        ("an estimated 3,000 residents", (3000, "about")),
        ("twenty-one pilgrims", (21, None)),
        ("up to 40 workers", (40, "up to")),
        ("civilians", None),
        ("hundreds of people", None),
    ],
)
def test_figures_and_qualifiers(text, expected):
    assert figure(text) == expected


def _figures(events):
    return {(e.trigger.text, c.kind, c.count, c.qualifier) for e in events for c in e.casualties}


@needs_model
def test_killing_participle_gives_the_attack_its_dead(nlp):
    got = _figures(run(nlp, "Militants stormed a school in Borno, killing at least 17 students."))
    assert ("killing", "killed", 17, "at least") in got
    assert ("stormed", "killed", 17, "at least") in got or any(k == "killed" for _, k, _, _ in got)


@needs_model
def test_passive_and_bare_numbers(nlp):
    got = _figures(run(nlp, "More than 90 people were killed in the floods, officials said."))
    assert ("killed", "killed", 90, "more than") in got
    got = _figures(run(nlp, "The explosion wounded 30 and killed four."))
    assert ("wounded", "injured", 30, None) in got and ("killed", "killed", 4, None) in got


@needs_model
def test_abductions_and_arrests_are_counted(nlp):
    got = _figures(run(nlp, "Gunmen kidnapped 25 passengers on the highway."))
    assert any(k == "abducted" and n == 25 for _, k, n, _ in got)
    got = _figures(run(nlp, "Police detained 60 students after the rally."))
    assert any(k == "arrested" and n == 60 for _, k, n, _ in got)


@needs_model
def test_negated_and_conditional_killings_have_no_figure(nlp):
    assert not _figures(run(nlp, "The army did not kill 20 villagers."))
    assert not _figures(run(nlp, "If the dam breaks, it could kill 300 people."))


def test_casualties_in_annotations_and_rdf():
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, XSD

    from kgbuild.run.annotations import to_annotation
    from kgbuild.rdf.convert import extraction_to_graph
    from kgbuild.rdf.namespaces import KGB
    from kgbuild.records import Casualties
    from kgbuild.store.validate import validate_graph
    from tests.toy_graph import toy_extraction
    from dataclasses import replace

    ex = toy_extraction()
    i = next(n for n, e in enumerate(ex.events) if e.arguments)
    ev = ex.events[i]
    a = ev.arguments[0]
    fig = Casualties("killed", 12, "at least", a.start, a.end)
    ex = replace(ex, events=ex.events[:i] + (replace(ev, casualties=(fig,)),) + ex.events[i + 1 :])
    ann = to_annotation(ex)
    rows = [e for e in ann["events"] if e.get("casualties")]
    assert rows and rows[0]["casualties"] == [
        {"kind": "killed", "count": 12, "qualifier": "at least", "start": a.start, "end": a.end}
    ]
    g = extraction_to_graph(ex)
    figs = list(g.subjects(RDF.type, KGB.CasualtyFigure))
    assert len(figs) == 1 and isinstance(figs[0], URIRef)
    assert (figs[0], RDF.value, Literal(12, datatype=XSD.nonNegativeInteger)) in g
    assert (figs[0], KGB.countQualifier, Literal("at least")) in g
    assert (None, KGB.casualties, figs[0]) in g
    assert validate_graph(g).conforms
