"""The shipped ontology: complete, in step with the code and event_types.json, installable."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgbuild.rdf.namespaces import (
    KGB,
    KGB_URI,
    ROLE_PROPERTY,
    SCHEMA,
    SEM,
    WGS,
    core_terms,
    event_class_names,
    role_property_names,
)
from kgbuild.rdf.ontology import (
    class_ancestors,
    ontology_graph,
    property_ancestors,
    read_text,
    shapes_graph,
)

ROOT = Path(__file__).resolve().parents[2]
EVENT_TYPES = json.loads((ROOT / "kgbuild" / "data" / "event_types.json").read_text("utf-8"))
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared_kgb_terms(g: Graph) -> set[str]:
    return {
        str(s)[len(KGB_URI) :]
        for kind in DECLARATIONS
        for s in g.subjects(RDF.type, kind)
        if str(s).startswith(KGB_URI)
    }


def used_kgb_terms(g: Graph) -> set[str]:
    return {str(x)[len(KGB_URI) :] for t in g for x in t if isinstance(x, URIRef) and str(x).startswith(KGB_URI)}


def test_kgbuild_ttl_is_generated_from_core_and_event_types():
    """kgbuild.ttl must be regenerated (scripts/build_ontology.py) after editing core.ttl or the JSON."""
    build_ontology = _load_script("build_ontology")
    assert (ROOT / "ontologies" / "kgbuild.ttl").read_text("utf-8") == build_ontology.build(), (
        "ontologies/kgbuild.ttl is stale: run python scripts/build_ontology.py"
    )


def test_ontology_parses_and_has_no_blank_nodes():
    g = ontology_graph()
    assert len(g) > 500
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]
    assert (URIRef("https://w3id.org/kgbuild/ontology"), RDF.type, OWL.Ontology) in g


def test_python_namespace_and_ontology_declare_the_same_terms():
    g = ontology_graph()
    in_code = set(core_terms()) | set(event_class_names()) | set(role_property_names())
    assert declared_kgb_terms(g) == in_code
    assert used_kgb_terms(g) <= declared_kgb_terms(g), "the ontology uses kgb: terms it does not declare"
    for term in in_code:
        assert KGB[term] == URIRef(KGB_URI + term)


def test_every_term_has_an_english_label_and_comment():
    g = ontology_graph()
    for term in declared_kgb_terms(g):
        node = URIRef(KGB_URI + term)
        for prop in (RDFS.label, RDFS.comment):
            values = [v for v in g.objects(node, prop) if isinstance(v, Literal) and v.language == "en"]
            assert values and all(str(v).strip() for v in values), f"kgb:{term} lacks an English {prop}"


def test_event_classes_carry_the_codes_of_event_types_json():
    g = ontology_graph()
    for name, spec in EVENT_TYPES["classes"].items():
        node = KGB[name]
        assert (node, RDF.type, OWL.Class) in g
        if spec["parent"]:
            assert (node, RDFS.subClassOf, KGB[spec["parent"]]) in g
        for key, prop in (("cameo", "cameoCode"), ("plover", "ploverCategory"), ("coarse", "coarseType")):
            expected = {Literal(spec[key])} if spec.get(key) else set()
            assert set(g.objects(node, KGB[prop])) == expected, f"{name} {prop}"
        if spec.get("acled"):
            etype, _, sub = spec["acled"].partition(" / ")
            assert g.value(node, KGB.acledEventType) == Literal(etype.strip())
            assert g.value(node, KGB.acledSubEventType) == (Literal(sub.strip()) if sub.strip() else None)
    assert SEM.Event in class_ancestors(KGB.DroneStrike) and KGB.Attack in class_ancestors(KGB.DroneStrike)


def test_roles_follow_event_types_json_and_reach_sem():
    g = ontology_graph()
    for key, spec in EVENT_TYPES["roles"].items():
        prop = KGB[ROLE_PROPERTY.get(key, key)]
        assert (prop, RDF.type, OWL.ObjectProperty) in g
        if spec["parent"]:
            assert (prop, RDFS.subPropertyOf, KGB[ROLE_PROPERTY.get(spec["parent"], spec["parent"])]) in g
        ancestors = property_ancestors(prop)
        assert {SEM.hasActor, SEM.hasPlace, SEM.hasTime} & set(ancestors), f"role {key} reaches no SEM property"
    assert property_ancestors(KGB.speaker) == tuple(sorted((KGB.speaker, KGB.agent, SEM.hasActor)))


def test_upstream_axioms_needed_for_validation_are_copied():
    g = ontology_graph()
    assert (SEM.Object, RDFS.subClassOf, SEM.Actor) in g
    assert SEM.Actor in class_ancestors(KGB.Facility)  # a struck bridge is a (passive) SEM actor
    assert {KGB.Actor, KGB.Place, SCHEMA.Country, SCHEMA.Place} <= set(class_ancestors(KGB.State))
    assert (SEM.hasActor, RDFS.range, SEM.Actor) in g


def test_namespaces_are_the_published_ones():
    assert str(SCHEMA) == "http://schema.org/"  # not rdflib's https SDO
    assert str(WGS) == "http://www.w3.org/2003/01/geo/wgs84_pos#"  # not rdflib's https WGS
    from rdflib.namespace import TIME

    assert str(TIME) == "http://www.w3.org/2006/time#"  # NewsReader used the wrong /TR/owl-time#
    assert KGB_URI == "https://w3id.org/kgbuild/ontology#"


def test_shipped_files_load_through_importlib_resources():
    assert len(shapes_graph()) > 100
    from kgbuild.rdf.serialize import jsonld_context

    context = jsonld_context()["@context"]
    assert context["kgb"] == KGB_URI and context["schema"] == str(SCHEMA)
    from kgbuild.store.queries import list_queries

    assert {q.name for q in list_queries()} >= {
        "who-struck-what",
        "oppositions",
        "events-of-actor",
        "timeline",
        "quotes-of-person",
        "evidence",
    }


@pytest.mark.slow
def test_an_installed_wheel_ships_and_finds_the_ontology(tmp_path):
    """Build a wheel from a copy of the sources, unpack it, and load the ontology from there."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "kgbuild", src / "kgbuild", ignore=ignore)
    shutil.copytree(ROOT / "ontologies", src / "ontologies", ignore=ignore)
    wheels = tmp_path / "wheels"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(wheels),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 and "No module named" in proc.stderr:
        pytest.skip(f"cannot build a wheel here: {proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr
    wheel = next(wheels.glob("kgbuild-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    for shipped in (
        "kgbuild/ontologies/kgbuild.ttl",
        "kgbuild/ontologies/shapes.ttl",
        "kgbuild/ontologies/context.jsonld",
        "kgbuild/data/queries/timeline.rq",
        "kgbuild/data/event_types.json",
    ):
        assert shipped in names, f"{shipped} missing from {wheel.name}"
    check = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import kgbuild.rdf.ontology as o, kgbuild;"
        "assert kgbuild.__file__.startswith(sys.argv[1]), kgbuild.__file__;"
        "assert str(o.ontology_path()).startswith(sys.argv[1]);"
        "import kgbuild.store.queries as q;"
        "print(len(o.ontology_graph()), len(o.shapes_graph()), len(q.list_queries()))"
    )
    run = subprocess.run(
        [sys.executable, "-c", check, str(tmp_path / "site")], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    n_ontology, n_shapes, n_queries = map(int, run.stdout.split())
    # Fresh parses, not the cached graphs: pySHACL adds two rdfs:subClassOf axioms to the
    # shapes graph it is given, so the cached one grows once any test has validated.
    fresh = {name: len(Graph().parse(data=read_text(name), format="turtle")) for name in ("kgbuild.ttl", "shapes.ttl")}
    assert (n_ontology, n_shapes) == (fresh["kgbuild.ttl"], fresh["shapes.ttl"]) and n_queries >= 6
