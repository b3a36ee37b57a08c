"""SHACL validation: what the build writes conforms, and each injected fault is caught and readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from conftest import needs_model
from golden.handmade import BASE, graphs
from kgbuild.errors import InputError, ValidationError
from kgbuild.rdf.namespaces import KGB, NIF, SEM, bind_prefixes
from kgbuild.rdf.serialize import extension, serialize
from kgbuild.store.validate import validate_graph, validate_graphs, validate_path

STRIKE = URIRef(f"{BASE}event/a1/15-21")
SAID = URIRef(f"{BASE}event/a1/132-136")
COALITION = URIRef(f"{BASE}entity/global-coalition")


def article_a() -> Graph:
    g = Graph(identifier=graphs()[0].identifier)
    bind_prefixes(g)
    for t in graphs()[0]:
        g.add(t)
    return g


def violations(g: Graph) -> list[str]:
    return [f.text() for f in validate_graph(g).violations]


def test_handmade_graphs_conform():
    report = validate_graphs(graphs())
    assert report.conforms, report.text()
    assert report.graphs == 2 and report.triples == sum(len(g) for g in graphs())


def test_shifted_offset_breaks_grounding():
    g = article_a()
    span = URIRef(f"{BASE}doc/a1#char=15,21")
    g.set((span, NIF.beginIndex, Literal(16, datatype=XSD.nonNegativeInteger)))
    found = violations(g)
    assert any("anchorOf" in v and "[16,21)" in v for v in found), found
    assert any("is not named" in v for v in found), found


def test_missing_super_property_is_reported():
    g = article_a()
    g.remove((SAID, SEM.hasActor, None))
    found = violations(g)
    assert any("kgb:agent" in v and "sem:hasActor" in v for v in found), found


def test_missing_super_class_is_reported():
    g = article_a()
    g.remove((STRIKE, RDF.type, KGB.Attack))
    found = violations(g)
    assert any("kgb:Attack" in v for v in found), found


def test_event_type_must_be_the_most_specific_class():
    g = article_a()
    g.set((STRIKE, SEM.eventType, KGB.Attack))
    assert any("most specific" in v for v in violations(g))


def test_blank_nodes_are_violations():
    g = article_a()
    node = BNode()
    g.add((node, RDF.type, KGB.Airstrike))
    g.add((COALITION, KGB.memberOf, node))
    found = violations(g)
    assert any("Blank node" in v for v in found), found


def test_confidence_outside_unit_interval_and_wrong_datatypes():
    g = article_a()
    g.set((STRIKE, KGB.confidence, Literal("1.5", datatype=XSD.decimal)))
    g.set((SAID, KGB.date, Literal("3 March 2021")))
    g.set((SAID, KGB.modality, Literal("maybe")))
    found = "\n".join(violations(g))
    assert "kgb:confidence" in found and "kgb:date" in found and "kgb:modality" in found, found


def test_reified_edge_must_also_be_asserted():
    g = article_a()
    g.remove((URIRef(f"{BASE}entity/northern-front"), KGB.opposes, COALITION))
    assert any("not also asserted as a direct triple" in v for v in violations(g))


def test_role_values_must_be_described_entities():
    g = article_a()
    stranger = URIRef(f"{BASE}entity/nobody")
    for p in (KGB.target, SEM.hasActor):
        g.add((STRIKE, p, stranger))
    assert any("entity node" in v for v in violations(g))


def test_warnings_do_not_break_conformance():
    g = article_a()
    g.remove((STRIKE, KGB.agent, None))
    g.remove((STRIKE, SEM.hasActor, COALITION))
    report = validate_graph(g)
    assert report.conforms
    assert any("Attack without an agent" in w.message for w in report.warnings)


def test_report_is_readable_and_raises_exit_code_9():
    g = article_a()
    g.set((STRIKE, KGB.confidence, Literal("2", datatype=XSD.decimal)))
    report = validate_graph(g)
    line = report.violations[0].text()
    assert line.startswith("Violation: [") and str(STRIKE) in line and "kgb:confidence" in line
    assert "does NOT conform" in report.text()
    with pytest.raises(ValidationError) as info:
        report.raise_if_invalid()
    assert info.value.exit_code == 9
    validate_graphs(graphs()).raise_if_invalid()  # conforming: no exception


@pytest.mark.parametrize("fmt", ["nq", "trig", "jsonld", "ttl", "nt"])
def test_validate_path_reads_every_output_format(tmp_path: Path, fmt: str):
    path = tmp_path / f"graph.{extension(fmt)}"
    path.write_bytes(serialize(graphs(), fmt))
    report = validate_path(path)
    assert report.conforms, report.text()
    assert report.graphs == (2 if fmt in ("nq", "trig", "jsonld") else 1)


def test_validate_path_on_build_dir_and_store(tmp_path: Path):
    from kgbuild.store.persist import add_graphs

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.nq").write_bytes(serialize(graphs(), "nq"))
    assert validate_path(tmp_path / "out").graphs == 2
    add_graphs(tmp_path / "store", graphs())
    report = validate_path(tmp_path / "store")
    assert report.graphs == 2 and report.conforms  # the ontology graph is not validated as data


def test_validate_path_errors_are_input_errors(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError):
        validate_path(bad)
    with pytest.raises(InputError):
        validate_path(tmp_path / "missing.nq")


@needs_model
def test_sample_build_conforms(sample_build: Path):
    report = validate_path(sample_build / "graph.nq")
    assert report.conforms, report.text(warnings=False, limit=20)
    assert validate_path(sample_build / "graph.ttl").conforms
