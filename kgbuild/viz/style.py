"""Tunables and the visual vocabulary: sizes, seeds, IRIs the viewer reads, colours and shapes."""

from __future__ import annotations

from typing import NamedTuple

from ..rdf.namespaces import GAF, KGB_URI, NIF, SCHEMA, SEM

PHYSICS_MAX_NODES = 300  # above this, physics is off and positions are final
SPRING_MAX_NODES = 400  # components up to this size use networkx's spring layout
MAX_EVIDENCE = 5  # evidence sentences kept per node or edge
LABEL_MAX = 40  # characters of a node label drawn on the canvas
EDGE_LENGTH = 110.0  # ideal edge length in pixels
SEED = 7

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
RDF_PREDICATE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"
RDF_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
RDF_STATEMENT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SKOS_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DCT_TITLE = "http://purl.org/dc/terms/title"
GAF_DENOTED_BY = str(GAF.denotedBy)
NIF_ANCHOR, NIF_BEGIN, NIF_END = str(NIF.anchorOf), str(NIF.beginIndex), str(NIF.endIndex)
NIF_CONTEXT, NIF_STRING, NIF_SENTENCE = str(NIF.referenceContext), str(NIF.isString), str(NIF.Sentence)
NIF_CONTEXT_CLASS = str(NIF.Context)
SCHEMA_ARTICLE, SCHEMA_HEADLINE = str(SCHEMA.NewsArticle), str(SCHEMA.headline)
SCHEMA_PUBLISHED, SCHEMA_ID = str(SCHEMA.datePublished), str(SCHEMA.identifier)
SEM_EVENT, SEM_EVENT_TYPE = str(SEM.Event), str(SEM.eventType)


def kgb_iri(name: str) -> str:
    """IRI of a kgb: term (as text, so unknown terms in foreign graphs are fine)."""
    return KGB_URI + name


class Style(NamedTuple):
    label: str
    shape: str
    color: str


# Most specific class wins (see _entity_style); orgs share a shape, differ in colour.
ENTITY_STYLES: dict[str, Style] = {
    "Person": Style("Person", "dot", "#e8833a"),
    "Organisation": Style("Organisation", "square", "#4e79a7"),
    "ArmedGroup": Style("Armed group", "square", "#a0292f"),
    "MilitaryForce": Style("Military force", "square", "#5b4a8a"),
    "Coalition": Style("Coalition", "square", "#8e6bbf"),
    "GovernmentBody": Style("Government body", "square", "#2f6db5"),
    "MediaOrganisation": Style("Media", "square", "#2aa1b3"),
    "NGO": Style("NGO", "square", "#3f9b4b"),
    "InternationalOrganisation": Style("International org.", "square", "#7a8b2c"),
    "State": Style("State", "hexagon", "#d4a017"),
    "Region": Style("Region", "triangle", "#6aa84f"),
    "PopulatedPlace": Style("Populated place", "triangle", "#38761d"),
    "Place": Style("Place", "triangle", "#93c47d"),
    "Facility": Style("Facility", "triangleDown", "#8d6e63"),
    "PeopleGroup": Style("People group", "star", "#e377c2"),
    "Artifact": Style("Artifact", "dot", "#b5a642"),
    "Date": Style("Date", "dot", "#9e9e9e"),
    "Quantity": Style("Quantity", "dot", "#c7c7c7"),
    "Actor": Style("Other actor", "dot", "#7f7f7f"),
    "Entity": Style("Other entity", "dot", "#aaaaaa"),
}
OTHER_ENTITY = ENTITY_STYLES["Entity"]

EVENT_STYLES: dict[str, Style] = {
    "Attack": Style("Event: attack", "diamond", "#d62728"),
    "Offensive/Battle": Style("Event: offensive/battle", "diamond", "#ff7f0e"),
    "Killing/Death": Style("Event: killing/death", "diamond", "#3b3b3b"),
    "Evacuation/Transport": Style("Event: evacuation/transport", "diamond", "#17becf"),
    "Agreement/Deal": Style("Event: agreement/deal", "diamond", "#2ca02c"),
    "Negotiation": Style("Event: negotiation", "diamond", "#1f77b4"),
    "Statement/Criticism": Style("Event: statement/criticism", "diamond", "#9467bd"),
    "Protest": Style("Event: protest", "diamond", "#e377c2"),
    "Arrest": Style("Event: arrest", "diamond", "#bcbd22"),
    "Other": Style("Event: other", "diamond", "#8c8c8c"),
}

# Event roles (edges event -> role player) and direct actor-to-actor edges.
ROLE_COLORS = {
    "agent": "#4d4d4d",
    "target": "#c0392b",
    "place": "#2e8b57",
    "time": "#9e9e9e",
    "participant": "#777777",
    "instrument": "#a0522d",
    "speaker": "#5b5ea6",
    "addressee": "#8a8fd1",
    "victim": "#8b0000",
    "origin": "#3a9d8f",
    "destination": "#3a9d8f",
    "passenger": "#6b8e23",
    "signatory": "#2ca02c",
    "topic": "#b07aa1",
}
DIRECT_COLORS = {
    "opposes": "#d62728",
    "struck": "#8b0000",
    "negotiatedWith": "#1f77b4",
    "supports": "#2ca02c",
    "leaderOf": "#9467bd",
    "spokespersonOf": "#17becf",
    "locatedIn": "#7f7f7f",
    "memberOf": "#8c564b",
}
OTHER_EDGE_COLOR = "#999999"
