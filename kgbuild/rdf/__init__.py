"""The RDF stage: Extraction records -> rdflib graphs, one named graph per article."""

from .convert import extraction_to_graph, graph_iri, doc_iri
from .iris import Minter

__all__ = ["Minter", "doc_iri", "extraction_to_graph", "graph_iri"]
