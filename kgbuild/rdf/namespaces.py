"""Vocabularies, defined once.

Our own terms are a ClosedNamespace, so a misspelt term fails at once
(`KGB.agnet` raises AttributeError).  tests/test_ontology.py checks that this
list and ontologies/kgbuild.ttl declare the same terms.  schema.org and WGS84
are defined here with http IRIs on purpose: rdflib's SDO and WGS constants
use https, which does not match the data other tools publish.
"""

from __future__ import annotations

import json
from importlib import resources

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DCTERMS, ClosedNamespace, TIME, GEO

KGB_URI = "https://w3id.org/kgbuild/ontology#"
ONTOLOGY_IRI = "https://w3id.org/kgbuild/ontology"
DEFAULT_BASE = "https://example.org/kgbuild/"

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("http://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")
FARO = Namespace("http://purl.org/faro/")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
LODE = Namespace("http://linkedevents.org/ontology/")
WD = Namespace("http://www.wikidata.org/entity/")
GN = Namespace("https://sws.geonames.org/")

# Actor and place classes, role and relation properties, datatype properties.
_CORE_TERMS = (
    # classes
    "Actor", "Person", "Organisation", "ArmedGroup", "MilitaryForce", "Coalition",
    "GovernmentBody", "MediaOrganisation", "NGO", "InternationalOrganisation",
    "State", "Place", "PopulatedPlace", "Region", "Facility", "PeopleGroup",
    "Date", "Quantity", "Mention",
    # event roles (sub-properties of sem:hasActor / sem:hasPlace / sem:hasTime)
    "agent", "target", "participant", "place", "time", "instrument",
    "speaker", "addressee", "victim", "origin", "destination",
    # actor-to-actor edges
    "opposes", "supports", "negotiatedWith", "struck", "leaderOf",
    "spokespersonOf", "memberOf", "locatedIn",
    # event attributes
    "date", "datePrecision", "modality", "quote", "count",
    "cameoCode", "acledEventType", "acledSubEventType", "ploverCategory", "coarseType",
    # provenance
    "confidence", "extractor", "evidence", "rule", "canonicalKey", "typeConflict",
)


def _event_classes() -> tuple[str, ...]:
    data = json.loads(resources.files("kgbuild.data").joinpath("event_types.json").read_text("utf-8"))
    classes = data["classes"] if "classes" in data else data
    return tuple(classes)


def _kgb() -> ClosedNamespace:
    try:
        events = _event_classes()
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        events = ("Event",)
    return ClosedNamespace(KGB_URI, sorted(set(_CORE_TERMS) | set(events)))


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
