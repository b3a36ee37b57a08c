"""The event-role schema (kgbuild/data/event_roles.json): consistent with the ontology and the event
classes, and used by extraction: a filler of the wrong kind is moved to the role it fits or dropped."""

from __future__ import annotations

import json

import pytest

from kgbuild.extract._events.schema import ROLES_FILE, edge_rules, entity_kinds, fits, place_for, ranges
from tests.conftest import needs_model
from tests.test_events import one, roles, run


def test_schema_names_only_known_classes_roles_and_predicates():
    from kgbuild.extract._events.lexicon import load_lexicon
    from kgbuild.rdf.ontology import ontology_graph
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    spec = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    lex = load_lexicon()
    g = ontology_graph()
    kgb = "https://w3id.org/kgbuild/ontology#"
    known_roles = {"agent", "target", "place", "time", "instrument", "other"}
    for event_cls, by_role in spec["ranges"].items():
        assert event_cls in lex.types, event_cls
        assert set(by_role) <= known_roles
        for classes in by_role.values():
            for c in classes:
                assert c.startswith("sem:") or (URIRef(kgb + c), RDF.type, OWL.Class) in g, c
    for event_cls, rules in spec["edges"].items():
        assert event_cls in lex.types, event_cls
        for r in rules:
            assert (URIRef(kgb + r["predicate"]), RDF.type, OWL.ObjectProperty) in g, r
            assert r["subject"] in known_roles and r["object"] in known_roles


def test_entity_kinds_come_from_the_ontology_hierarchy():
    assert {"Actor", "Place"} <= entity_kinds("State")
    assert "Actor" in entity_kinds("ArmedGroup") and "Actor" in entity_kinds("PeopleGroup")
    assert "Artifact" in entity_kinds("Weapon") and "Actor" not in entity_kinds("Weapon")
    assert entity_kinds("NoSuchClass") == frozenset()


def test_ranges_inherit_down_the_event_classes():
    # Airstrike < Attack < ConflictEvent: the conflict target range, the root's agent range
    assert ranges("DroneStrike")["target"] == ranges("ConflictEvent")["target"]
    assert ranges("DroneStrike")["agent"] == ("Actor",)  # ConflictEvent narrows the root's agent range
    assert fits("Massacre", "target", entity_kinds("PeopleGroup"))
    assert not fits("Massacre", "target", entity_kinds("Quantity"))


@pytest.mark.parametrize(
    ("event_cls", "role", "cls", "expected"),
    [
        ("Shooting", "target", "Weapon", "instrument"),  # "fired a rocket at ..."
        ("Shooting", "agent", "Weapon", "instrument"),  # "a rocket hit ..."
        ("Killing", "agent", "Date", None),  # "two days of fighting killed ..."
        ("Killing", "agent", "Quantity", None),
        ("Battle", "agent", "PopulatedPlace", None),  # a town never acts
        ("Attack", "agent", "State", "agent"),
        ("Criticism", "agent", "PopulatedPlace", "agent"),  # "Washington condemned": a capital speaks
        ("Attack", "agent", "PopulatedPlace", None),
        ("Attack", "target", "Facility", "target"),
        ("Attack", "target", "Vehicle", "target"),
        ("Attack", "target", "Date", None),
        ("Killing", "target", "Region", "place"),
        ("Attack", "place", "Date", None),
    ],
)
def test_wrong_kinds_are_moved_or_dropped(event_cls, role, cls, expected):
    assert place_for(event_cls, role, entity_kinds(cls)) == expected


def test_edge_rules_are_inherited():
    assert {r.predicate for r in edge_rules("CarBombing")} == {"struck", "opposes"}
    assert {r.predicate for r in edge_rules("Ceasefire")} == {"negotiatedWith"}
    assert edge_rules("Funeral") == ()


@needs_model
def test_tear_gas_is_the_instrument_and_the_crowd_the_target(nlp):
    ev = one(run(nlp, "Soldiers fired tear gas at students outside the university."), "fired")
    assert roles(ev, "instrument") == ["tear gas"]
    assert roles(ev, "target") == ["students"]


@needs_model
def test_a_missile_fired_at_a_tanker_is_the_instrument(nlp):
    ev = one(run(nlp, "The militia fired a cruise missile at an oil tanker on Friday."), "fired")
    assert "cruise missile" in roles(ev, "instrument")
    assert roles(ev, "target") == ["oil tanker"]


@needs_model
def test_a_duration_is_never_the_agent(nlp):
    text = "Three months of clashes in Mogadishu have killed at least 300 people."
    events = run(
        nlp, text, [("Three months", "d", "Date", "DATE"), ("Mogadishu", "mogadishu", "PopulatedPlace", "GPE")]
    )
    killed = one(events, "killed")
    assert not roles(killed, "agent")
    assert any("300 people" in t for t in roles(killed, "target"))


@needs_model
def test_a_state_fired_at_is_the_target(nlp):
    ev = one(run(nlp, "Militants fired rockets at Israel overnight.", [("Israel", "israel", "State", "GPE")]), "fired")
    assert roles(ev, "target") == ["Israel"]
    assert roles(ev, "instrument") == ["rockets"]


@needs_model
def test_protest_against_and_sanctions_on_name_a_target(nlp):
    ev = one(
        run(
            nlp,
            "Teachers protested against the education ministry.",
            [("education ministry", "moe", "GovernmentBody", "ORGANIZATION")],
        ),
        "protested",
    )
    assert roles(ev, "target") == ["education ministry"]
    ev = one(
        run(nlp, "Australia imposed sanctions on Myanmar's generals.", [("Myanmar", "myanmar", "State", "GPE")]),
        "sanctions",
    )
    assert roles(ev, "target")


def test_shapes_role_ranges_are_generated_from_the_schema():
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_ontology", root / "scripts" / "build_ontology.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_ontology"] = mod
    spec.loader.exec_module(mod)
    assert (root / "ontologies" / "shapes.ttl").read_text("utf-8") == mod.build_shapes(), (
        "ontologies/shapes.ttl is stale: run python scripts/build_ontology.py"
    )


def test_a_town_as_the_agent_of_an_attack_is_a_shacl_warning():
    from rdflib import URIRef

    from kgbuild.rdf.namespaces import KGB
    from kgbuild.store.validate import validate_graph
    from tests.golden.handmade import BASE
    from tests.store.test_shacl import STRIKE, article_a

    g = article_a()
    assert not any("agent of a" in w.message for w in validate_graph(g).warnings)
    g.add((STRIKE, KGB.agent, URIRef(f"{BASE}entity/mosul")))
    report = validate_graph(g)
    assert any("agent of a ConflictEvent event is not one of: Actor" in w.message for w in report.warnings)


@needs_model
def test_a_demonym_is_never_the_place(nlp):
    text = "Somali drones struck a militant camp."
    events = run(nlp, text, [("Somali", "somali-town", "PopulatedPlace", "GPE")])
    ev = [e for e in events if e.cls in ("DroneStrike", "Airstrike", "Attack")][0]
    assert "Somali" not in roles(ev, "place") and "Somali" not in roles(ev, "agent")


@needs_model
def test_accused_of_gives_the_accused_as_agent(nlp):
    text = "Kenya accused the militia of attacking a school."
    ev = one(run(nlp, text, [("militia", "militia", "ArmedGroup", "ORGANIZATION")]), "attacking")
    assert roles(ev, "agent") == ["militia"]
