"""The on-disk store: `kgbuild build --store DIR` and `kgbuild query --store DIR`.

An Oxigraph (pyoxigraph) store that accumulates articles across runs, one
named graph per article.  Re-building an article replaces its graph: the
graph is dropped and re-inserted by one SPARQL update, which Oxigraph applies
as one transaction, so a reader never sees a half-replaced article and the
store's triple count does not grow when the same article is built again.
The ontology is kept in its own graph <https://w3id.org/kgbuild/ontology>,
replaced the same way on every write.

The cross-document coreference layer <{base}graph/coref> is one graph for
all articles, written by `kgbuild build` and replaced as a whole like any
other graph, so it covers the articles of the latest build only: articles
added by earlier builds keep their document events but lose their canonical
events.  (Covering the whole store needs the events of every stored article
at build time; not done yet.)  It is not counted as an article graph.

Concurrency: Oxigraph's own RocksDB lock fails with an obscure I/O error, so
kgbuild takes an fcntl.flock on DIR/kgbuild.lock first: one writer
(exclusive) or many readers (shared).  Anyone else gets
StoreError("store is in use by another kgbuild process"), not a stack trace.
The lock is released by the kernel if the process dies.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..errors import StoreError
from ..rdf.namespaces import ONTOLOGY_IRI, bind_prefixes
from .paths import LOCK_FILE, is_store

ONTOLOGY_GRAPH = ONTOLOGY_IRI


@dataclass(frozen=True)
class StoreSummary:
    path: str
    written: int  # article graphs written by this call
    replaced: int  # of which already existed (re-built articles)
    graphs: int  # article graphs in the store now
    triples: int  # quads in the store now (all graphs, ontology included)

    def text(self) -> str:
        return (
            f"store {self.path}: wrote {self.written} article graphs ({self.replaced} replaced); "
            f"now {self.graphs} articles, {self.triples} triples"
        )


@contextmanager
def _locked(path: Path, *, write: bool) -> Iterator[None]:
    """Hold DIR/kgbuild.lock: exclusive for a writer, shared for readers."""
    try:
        fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot open the store's lock file: {exc.strerror}", path=str(path)) from exc
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError("store is in use by another kgbuild process", path=str(path)) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _prepare(path: Path, *, create: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError("not a directory", path=str(path))
    if not path.exists():
        if not create:
            raise StoreError("no such store", path=str(path))
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"cannot create store: {exc.strerror}", path=str(path)) from exc
    elif any(path.iterdir()) and not is_store(path):
        raise StoreError("directory exists and is not a kgbuild store", path=str(path))


def check_writable(path: str | Path) -> None:
    """Fail now, before a long build, if the store at `path` could not be written later:
    not a store, read-only, or locked by another kgbuild process.  A missing store is fine
    (created later) when its parent directory is writable."""
    p = Path(path)
    if not p.exists():
        parent = next((a for a in p.absolute().parents if a.exists()), None)
        if parent is not None and not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError("cannot create store: permission denied", path=str(p))
        return
    _prepare(p, create=False)
    if not os.access(p, os.W_OK | os.X_OK):
        raise StoreError("store is read-only", path=str(p))
    with _locked(p, write=True):
        pass


@contextmanager
def open_writer(path: str | Path) -> Iterator[ox.Store]:
    """The store at `path` (created if missing), opened for writing under an exclusive lock."""
    p = Path(path)
    _prepare(p, create=True)
    with _locked(p, write=True):
        try:
            store = ox.Store(str(p))
        except OSError as exc:
            raise StoreError(f"cannot open store: {exc}", path=str(p)) from exc
        try:
            yield store
            store.flush()
        finally:
            del store


@contextmanager
def open_reader(path: str | Path) -> Iterator[ox.Store]:
    """The store at `path`, read-only, under a shared lock (no writer can run meanwhile)."""
    p = Path(path)
    _prepare(p, create=False)
    if not is_store(p):
        raise StoreError("not a kgbuild store", path=str(p))
    with _locked(p, write=False):
        try:
            store = ox.Store.read_only(str(p))
        except OSError as exc:
            raise StoreError(f"cannot open store: {exc}", path=str(p)) from exc
        try:
            yield store
        finally:
            del store


def replace_graph(store: ox.Store, graph: Graph, name: str | None = None) -> None:
    """Replace named graph `name` (default: graph.identifier) by `graph`, in one transaction."""
    iri = name or str(graph.identifier)
    try:
        body = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    except Exception as exc:  # rdflib refuses terms it cannot write (e.g. an IRI with a space)
        raise StoreError(f"cannot write graph <{iri}>: {exc}") from exc
    _replace(store, iri, body)


def _replace(store: ox.Store, iri: str, ntriples: str) -> None:
    """DROP + INSERT DATA in one SPARQL update: Oxigraph applies an update as one transaction."""
    update = f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{ntriples}\n}} }}"
    try:
        store.update(update)
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot write graph <{iri}>: {exc}") from exc


def replace_from_nquads(path: str | Path, nquads: str | Path, *, ontology: bool = True) -> StoreSummary:
    """Write every named graph of an N-Quads file into the store, one transaction per graph.

    For streaming builds: the file is bulk-loaded into a temporary on-disk
    staging store first, so memory stays flat, and each article graph is
    then moved into the real store with one DROP + INSERT DATA update.  A
    crash half-way leaves every article either in its old or its new state.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kgbuild-staging-") as tmp:
        staging = ox.Store(tmp)
        try:
            staging.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot read {nquads}: {exc}") from exc
        names = _names(staging, ontology=False)
        with open_writer(path) as store:
            existing = set(_names(store, ontology=False))
            for name in names:
                quads = staging.quads_for_pattern(None, None, None, ox.NamedNode(name))
                _replace(store, name, "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads))
            if ontology:
                from ..rdf.ontology import ontology_graph

                replace_graph(store, ontology_graph(), ONTOLOGY_GRAPH)
            articles = [n for n in names if not is_coref_graph(n)]
            summary = _summary(path, store, len(articles), len(existing & set(articles)))
        del staging
    return summary


def add_graphs(path: str | Path, graphs: Iterable[Graph], *, ontology: bool = True) -> StoreSummary:
    """Write article graphs into the store at `path`, replacing earlier versions."""
    with open_writer(path) as store:
        existing = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
        written = replaced = 0
        for g in graphs:
            replace_graph(store, g)
            if not is_coref_graph(str(g.identifier)):
                written += 1
                replaced += str(g.identifier) in existing
        if ontology:
            from ..rdf.ontology import ontology_graph

            replace_graph(store, ontology_graph(), ONTOLOGY_GRAPH)
        return _summary(path, store, written, replaced)


def _summary(path, store: ox.Store, written: int, replaced: int) -> StoreSummary:
    names = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    articles = sum(1 for n in names if n != ONTOLOGY_GRAPH and not is_coref_graph(n))
    return StoreSummary(str(path), written, replaced, articles, len(store))


def is_coref_graph(name: str) -> bool:
    """Is `name` the coreference layer ({base}graph/coref, kgbuild.rdf.coref), whatever the base?"""
    return name.endswith("/graph/coref")


def graph_names(path: str | Path, *, ontology: bool = False) -> list[str]:
    with open_reader(path) as store:
        return _names(store, ontology)


def _names(store: ox.Store, ontology: bool) -> list[str]:
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return [n for n in names if ontology or n != ONTOLOGY_GRAPH]


def read_graphs(path: str | Path, *, ontology: bool = False) -> list[Graph]:
    """Every named graph of the store as an rdflib Graph (the ontology graph only if asked)."""
    with open_reader(path) as store:
        return [_to_rdflib(store, name) for name in _names(store, ontology)]


def _to_rdflib(store: ox.Store, name: str) -> Graph:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    g = Graph(identifier=URIRef(name))
    bind_prefixes(g)
    g.parse(data=(data or b"").decode("utf-8"), format="nt")
    return g


def count(path: str | Path) -> int:
    """Number of quads in the store."""
    with open_reader(path) as store:
        return len(store)


def query(path: str | Path, sparql: str, params: dict | None = None):
    """Run a SPARQL query on the store (union default graph); returns store.QueryResult."""
    from .sparql import run_query

    with open_reader(path) as store:
        return run_query(store, sparql, params)
