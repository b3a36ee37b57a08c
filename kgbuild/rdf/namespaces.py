"""Vocabularies, defined once.

Our own terms are a ClosedNamespace, so a misspelt term fails at once
(`KGB.agnet` raises AttributeError).  The hand-written core terms are listed
here; event classes and role properties come from kgbuild/data/event_types.json,
the same file scripts/build_ontology.py turns into the ontology's event
classes.  tests/rdf/test_ontology.py checks that this namespace and
ontologies/kgbuild.ttl declare exactly the same terms.

schema.org and WGS84 are defined here with http IRIs on purpose: rdflib's
SDO and WGS constants use https, which does not match the data other tools
publish (RDFLib/rdflib#1120, #3529).
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from rdflib import Namespace
from rdflib.namespace import DCTERMS, GEO, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, ClosedNamespace

KGB_URI = "https://w3id.org/kgbuild/ontology#"
ONTOLOGY_IRI = "https://w3id.org/kgbuild/ontology"
DEFAULT_BASE = "https://example.org/kgbuild/"

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("http://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")
FARO = Namespace("http://purl.org/faro/")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
WD = Namespace("http://www.wikidata.org/entity/")
GN = Namespace("https://sws.geonames.org/")

# Hand-written terms of ontologies/core.ttl.
ENTITY_CLASSES = (
    "Entity",
    "Actor",
    "Person",
    "Organisation",
    "ArmedGroup",
    "MilitaryForce",
    "Coalition",
    "GovernmentBody",
    "MediaOrganisation",
    "NGO",
    "InternationalOrganisation",
    "PeopleGroup",
    "Place",
    "State",
    "Region",
    "PopulatedPlace",
    "Facility",
    "Artifact",
    "Weapon",
    "Vehicle",
    "Product",
    "NamedEvent",
    "CreativeWork",
    "Law",
    "Language",
    "Thing",
    "Date",
    "Quantity",
)
RELATION_PROPERTIES = (
    "opposes",
    "supports",
    "negotiatedWith",
    "struck",
    "leaderOf",
    "spokespersonOf",
    "memberOf",
    "locatedIn",
)
ANNOTATION_PROPERTIES = (
    "cameoCode",
    "acledEventType",
    "acledSubEventType",
    "ploverCategory",
    "coarseType",
    "cameoActorCode",
)
ATTRIBUTE_PROPERTIES = (
    "date",
    "datePrecision",
    "modality",
    "quote",  # events
    "count",
    "canonicalKey",
    "typeConflict",  # entities
    "confidence",
    "extractor",
    "rule",
    "evidence",  # provenance
)
# Cross-document event coreference (kgbuild.rdf.coref, graph {base}graph/coref).
COREF_TERMS = ("CanonicalEvent", "eventClass", "specificity", "reportCount", "mentionCount", "endDate")
# Casualty figures of events (kgbuild.rdf.convert, from Event.casualties).
CASUALTY_TERMS = ("CasualtyFigure", "casualties", "casualtyKind", "countQualifier")
# Role keys of event_types.json whose property has another name.
ROLE_PROPERTY = {"other": "participant"}


@functools.lru_cache(maxsize=1)
def event_types() -> dict:
    """kgbuild/data/event_types.json (classes and roles), read from the installed package."""
    text = resources.files("kgbuild.data").joinpath("event_types.json").read_text("utf-8")
    return json.loads(text)


def event_class_names() -> tuple[str, ...]:
    try:
        return tuple(event_types()["classes"])
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        return ("Event",)


def role_property_names() -> tuple[str, ...]:
    """Local names of the role properties (agent, target, ..., participant)."""
    try:
        roles = event_types().get("roles", {})
    except (FileNotFoundError, json.JSONDecodeError):
        roles = {}
    names = [ROLE_PROPERTY.get(r, r) for r in roles]
    # The six root roles always exist: convert.py maps Argument.role onto them.
    return tuple(dict.fromkeys([*names, "agent", "target", "place", "time", "instrument", "participant"]))


def core_terms() -> tuple[str, ...]:
    return (
        ENTITY_CLASSES
        + RELATION_PROPERTIES
        + ANNOTATION_PROPERTIES
        + ATTRIBUTE_PROPERTIES
        + COREF_TERMS
        + CASUALTY_TERMS
    )


def _kgb() -> ClosedNamespace:
    return ClosedNamespace(KGB_URI, sorted(set(core_terms()) | set(event_class_names()) | set(role_property_names())))


KGB = _kgb()

PREFIXES = {
    "kgb": Namespace(KGB_URI),
    "sem": SEM,
    "schema": SCHEMA,
    "nif": NIF,
    "gaf": GAF,
    "prov": PROV,
    "faro": FARO,
    "time": TIME,
    "geo": GEO,
    "wgs": WGS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "wd": WD,
}


def bind_prefixes(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
