"""One answer to "what does this path hold" for every command (kgbuild.store.paths).

Regression: after `kgbuild build --format jsonld` the output directory held
only graph.jsonld; validate (rdflib reader) found it, query (Oxigraph reader)
said "directory holds no graph".
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kgbuild.errors import InputError
from kgbuild.store import persist
from kgbuild.store.graphs import load_graphs
from kgbuild.store.paths import OUTPUT_FILES, is_store, locate
from kgbuild.store.sparql import open_store, run_query

G = URIRef("https://example.org/graph/a1")
TRIPLE = (URIRef("https://example.org/entity/x"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("X"))
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def write(path, fmt: str) -> None:
    ds = Dataset()
    ds.graph(G).add(TRIPLE)
    ds.serialize(destination=str(path), format=fmt)


def both_readers(path) -> tuple[int, int]:
    """Triples seen by query (Oxigraph) and by validate/push (rdflib)."""
    by_query = int(run_query(open_store(path), COUNT).rows[0][0])
    by_graphs = sum(len(g) for g in load_graphs(path))
    return by_query, by_graphs


@pytest.mark.parametrize("name,fmt", [("graph.jsonld", "json-ld"), ("graph.trig", "trig"), ("graph.nq", "nquads")])
def test_every_build_output_directory_is_read_by_query_and_validate(tmp_path, name, fmt):
    write(tmp_path / name, fmt)
    assert both_readers(tmp_path) == (1, 1)


@pytest.mark.parametrize("suffix,fmt", [(".json", "json-ld"), (".rdf", "xml")])
def test_both_readers_accept_the_same_file_suffixes(tmp_path, suffix, fmt):
    g = Graph()
    g.add(TRIPLE)
    g.serialize(destination=str(tmp_path / f"g{suffix}"), format=fmt)
    assert both_readers(tmp_path / f"g{suffix}") == (1, 1)


def test_named_graphs_are_preferred_over_unions(tmp_path):
    for name in reversed(OUTPUT_FILES):
        (tmp_path / name).write_text("", encoding="utf-8")
        assert locate(tmp_path).path.name == name


def test_a_store_is_a_store_for_every_reader(tmp_path):
    g = Graph(identifier=G)
    g.add(TRIPLE)
    persist.add_graphs(tmp_path / "kg", [g], ontology=False)
    assert is_store(tmp_path / "kg") and locate(tmp_path / "kg").kind == "store"
    assert both_readers(tmp_path / "kg") == (1, 1)


def test_a_directory_without_a_graph_is_refused_by_both(tmp_path):
    (tmp_path / "notes.txt").write_text("no graph here", encoding="utf-8")
    for read in (open_store, load_graphs):
        with pytest.raises(InputError, match="directory holds no graph"):
            read(tmp_path)
