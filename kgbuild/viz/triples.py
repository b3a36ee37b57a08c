"""The triples, indexed once: subjects -> predicates -> objects, from rdflib or pyoxigraph."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, NamedTuple


class Lit(NamedTuple):
    """A literal: its lexical form and language tag."""

    value: str
    lang: str | None = None


class Triples:
    """All triples indexed by predicate then subject (a set of objects each).

    One pass over the graph, then constant-time look-ups; IRIs and blank
    nodes are plain str, literals Lit.  Values are sorted on read so that
    nothing depends on the graph's iteration (hash) order.
    """

    def __init__(self) -> None:
        self.by_pred: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))

    def add(self, s: str, p: str, o) -> None:
        self.by_pred[p][s].add(o)

    @classmethod
    def from_rdflib(cls, graph) -> "Triples":
        """A Graph's triples, or all named graphs of a Dataset/ConjunctiveGraph."""
        from rdflib import ConjunctiveGraph, Literal

        if isinstance(graph, ConjunctiveGraph):
            triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
        else:
            triples = graph.triples((None, None, None))
        t = cls()
        for s, p, o in triples:
            t.add(str(s), str(p), Lit(str(o), o.language) if isinstance(o, Literal) else str(o))
        return t

    @classmethod
    def from_store(cls, store) -> "Triples":
        import pyoxigraph as ox

        t = cls()
        for q in store.quads_for_pattern(None, None, None, None):
            o = q.object
            value = Lit(o.value, o.language) if isinstance(o, ox.Literal) else o.value
            t.add(q.subject.value, q.predicate.value, value)
        return t

    def values(self, s: str, p: str) -> list:
        found = self.by_pred.get(p, {}).get(s)
        if not found:
            return []
        return list(found) if len(found) == 1 else sorted(found, key=_sort_key)

    def first(self, s: str, p: str):
        vals = self.values(s, p)
        return vals[0] if vals else None

    def text(self, s: str, p: str) -> str | None:
        v = self.first(s, p)
        return v.value if isinstance(v, Lit) else v

    def subjects(self, p: str) -> Iterable[str]:
        return self.by_pred.get(p, {}).keys()

    def pairs(self, p: str) -> Iterable[tuple[str, set]]:
        return self.by_pred.get(p, {}).items()


def _sort_key(v) -> tuple:
    return (1, v.value, v.lang or "") if isinstance(v, Lit) else (0, v, "")
