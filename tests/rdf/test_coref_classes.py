"""The coreference layer stays out of per-class counts, and marks aggregates (kgbuild.rdf.coref).

Hand-made records: one article tells of a single airstrike on 4 March and, in
the background, of "dozens of strikes since 2019" by the same army on the same
group; a second article reports the same single strike.  No spaCy model.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import RDF

from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.coref import coref_graph
from kgbuild.rdf.namespaces import FARO, KGB
from kgbuild.rdf.ontology import ontology_path
from kgbuild.rdf.serialize import serialize
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Span
from kgbuild.store.validate import validate_graphs

MINTER = Minter("https://example.org/kgbuild/")
PREFIXES = """
PREFIX kgb: <https://w3id.org/kgbuild/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX faro: <http://purl.org/faro/>
"""

TEXT_A = (
    "Northern Army jets struck River Front positions on Thursday. "
    "Northern Army has carried out dozens of strikes on River Front since 2019."
)
TEXT_B = "Warplanes of the Northern Army bombed River Front fighters on Thursday."
KEYS = {"Northern Army": "northern-army", "River Front": "river-front"}


def _entities(text: str) -> tuple[Entity, ...]:
    out = []
    for label, key in KEYS.items():
        mentions, start = [], text.find(label)
        while start >= 0:
            mentions.append(Mention(start, start + len(label), label, "ORGANIZATION", key, 0))
            start = text.find(label, start + 1)
        out.append(Entity(key, label, "ArmedGroup", "ORGANIZATION", tuple(mentions)))
    return tuple(out)


def _event(text: str, trigger: str, *, date: str | None = None, specificity: str = "specific") -> Event:
    b = text.index(trigger)
    args = tuple(
        Argument(role, text.index(s), text.index(s) + len(s), s, KEYS[s])
        for role, s in (("agent", "Northern Army"), ("target", "River Front"))
    )
    return Event(
        Span(b, b + len(trigger), trigger),
        "Airstrike",
        "Attack",
        0,
        args,
        date=date,
        date_precision="day" if date else None,
        extractor="handmade",
        confidence=0.9,
        specificity=specificity,
    )


def extractions() -> list[Extraction]:
    a = Extraction(
        Article("a", TEXT_A, date="2021-03-05"),
        entities=_entities(TEXT_A),
        events=(_event(TEXT_A, "struck", date="2021-03-04"), _event(TEXT_A, "strikes", specificity="aggregate")),
    )
    b = Extraction(
        Article("b", TEXT_B, date="2021-03-05"),
        entities=_entities(TEXT_B),
        events=(_event(TEXT_B, "bombed", date="2021-03-04"),),
    )
    return [a, b]


def _store() -> ox.Store:
    """The article graphs, the layer and the ontology (for rdfs:subClassOf), as a store would hold them."""
    graphs = [extraction_to_graph(ex, MINTER) for ex in extractions()] + [coref_graph(extractions(), MINTER)]
    store = ox.Store()
    store.load(serialize(graphs, "nq"), format=ox.RdfFormat.N_QUADS)
    store.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    return store


def _count(store: ox.Store, where: str) -> int:
    rows = list(
        store.query(
            PREFIXES + f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}", use_default_graph_as_union=True
        )
    )
    return int(rows[0]["n"].value)


def test_a_naive_count_by_class_counts_article_events_only():
    store = _store()
    # three document airstrikes (two reports of one strike, one aggregate): no canonical event among them
    assert _count(store, "?e a kgb:Airstrike") == 3
    assert _count(store, "?e a kgb:Event") == 3
    assert _count(store, "?e a ?cls . ?cls rdfs:subClassOf* kgb:Attack") == 3
    assert _count(store, "?e a kgb:CanonicalEvent , kgb:Event") == 0
    # distinct real-world airstrikes: the canonical events, through kgb:eventClass
    assert _count(store, "?e a kgb:CanonicalEvent ; kgb:eventClass/rdfs:subClassOf* kgb:Attack") == 2


def test_the_aggregate_is_its_own_canonical_event_and_marked():
    g = coref_graph(extractions(), MINTER)
    canon = {str(ev).rsplit("/", 1)[-1]: c for ev, c in g.subject_objects(FARO.coreference_of)}
    a_struck, a_strikes = (f"{TEXT_A.index(t)}-{TEXT_A.index(t) + len(t)}" for t in ("struck", "strikes"))
    b_bombed = f"{TEXT_B.index('bombed')}-{TEXT_B.index('bombed') + 6}"
    assert canon[a_struck] == canon[b_bombed] != canon[a_strikes]
    assert g.value(canon[a_strikes], KGB.specificity) == Literal("aggregate")
    assert g.value(canon[a_struck], KGB.specificity) is None  # absent: one occurrence
    assert g.value(canon[a_strikes], KGB.date) is None  # "since 2019" dates nothing
    for c in set(canon.values()):
        assert set(g.objects(c, RDF.type)) == {KGB.CanonicalEvent}


def test_document_events_carry_their_specificity():
    g = extraction_to_graph(extractions()[0], MINTER)
    b = TEXT_A.index("strikes")
    assert g.value(MINTER.event("a", b, b + 7), KGB.specificity) == Literal("aggregate")
    b = TEXT_A.index("struck")
    assert g.value(MINTER.event("a", b, b + 6), KGB.specificity) is None


def test_the_layer_and_the_article_graphs_conform():
    graphs = [extraction_to_graph(ex, MINTER) for ex in extractions()] + [coref_graph(extractions(), MINTER)]
    report = validate_graphs(graphs)
    assert report.conforms, report.text()


def test_shapes_reject_a_canonical_event_typed_with_an_event_class():
    g = coref_graph(extractions(), MINTER)
    node = next(iter(g.subjects(RDF.type, KGB.CanonicalEvent)))
    g.add((node, RDF.type, KGB.Airstrike))
    found = [f.text() for f in validate_graphs([g]).violations]
    assert any("count twice" in v for v in found), found


def _readme_queries() -> list[str]:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "ontologies" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The cross-document layer") : text.index("## Validation (SHACL)")]
    return re.findall(r"```sparql\n(.*?)```", section, flags=re.S)


def test_the_documented_queries_run_and_count_article_events_once():
    per_class, per_class_by_graph, distinct = _readme_queries()
    store = _store()
    rows = {
        r["cls"].value.rsplit("#", 1)[-1]: int(r["n"].value)
        for r in store.query(per_class, use_default_graph_as_union=True)
    }
    assert rows == {"Airstrike": 3}
    rows = {
        r["cls"].value.rsplit("#", 1)[-1]: int(r["n"].value)
        for r in store.query(per_class_by_graph, use_default_graph_as_union=True)
    }
    assert rows == {"Airstrike": 3}
    rows = list(store.query(distinct, use_default_graph_as_union=True))
    assert len(rows) == 1 and int(rows[0]["reports"].value) == 2  # the strike; the aggregate left out
