#!/usr/bin/env python3
"""Actor-edge figure: on one-sentence reports with two marked actors, how often
kgbuild draws an edge of the expected family between them.

    .venv/bin/python scripts/actor_edges.py [--data tests/data/actor_edges.jsonl] [-v]

The dev set (tests/data/actor_edges.jsonl, written for kgbuild, not taken from
any corpus) has one JSON object a line: text, a and b (the two actors, as the
first occurrence of that string in text) and family (opposes, negotiatedWith,
supports; null for a report that must give no such edge: a denied, negated or
merely predicted event).  An actor is found when an entity node has a mention
overlapping its span; a positive row is a hit when a relation of its family
links a node of a to a node of b, in either direction.  Negative rows count
the false edges (any opposes/negotiatedWith/supports/struck between the two).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "actor_edges.jsonl"
FAMILY_PREDICATES = {"opposes": {"opposes"}, "negotiatedWith": {"negotiatedWith"}, "supports": {"supports"}}
ANY_EDGE = {"opposes", "negotiatedWith", "supports", "struck"}


@dataclass
class EdgeScore:
    hits: int = 0
    positives: int = 0
    nodes: int = 0  # positive rows where both actors have a node
    false_edges: int = 0
    negatives: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.hits / self.positives if self.positives else 0.0


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _keys(ex, start: int, end: int) -> set[str]:
    return {e.key for e in ex.entities for m in e.mentions if m.start < end and start < m.end}


def score(rows: list[dict] | None = None, model: str | None = None) -> EdgeScore:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from kgbuild.run.pipeline import extract
    from kgbuild.records import Article

    rows = load() if rows is None else rows
    kwargs = {"model": model} if model else {}
    arts = [Article(f"ae{i}", r["text"], date="2024-01-15") for i, r in enumerate(rows)]
    out = EdgeScore()
    for r, ex in zip(rows, extract(arts, **kwargs)):
        t = r["text"]
        a0, b0 = t.index(r["a"]), t.index(r["b"])
        ka, kb = _keys(ex, a0, a0 + len(r["a"])), _keys(ex, b0, b0 + len(r["b"]))
        linked = {
            rel.predicate
            for rel in ex.relations
            if (rel.subject in ka and rel.object in kb) or (rel.subject in kb and rel.object in ka)
        }
        if r.get("family"):
            out.positives += 1
            out.nodes += bool(ka and kb)
            if linked & FAMILY_PREDICATES[r["family"]]:
                out.hits += 1
            else:
                out.misses.append(
                    f"{r['family']}: {t}  [{sorted(linked) or 'no edge'}{'' if ka and kb else '; no node'}]"
                )
        else:
            out.negatives += 1
            if linked & ANY_EDGE:
                out.false_edges += 1
                out.misses.append(f"FALSE {sorted(linked)}: {t}")
    return out


def report_lines(model: str | None = None, path: Path = DATA) -> list[str]:
    """Markdown lines for scripts/quality.py (empty when the dev set is absent)."""
    if not path.is_file():
        return []
    s = score(load(path), model)
    return [
        "",
        "## Actor edges (tests/data/actor_edges.jsonl)",
        "",
        f"Edge of the expected family between the two marked actors: {s.hits}/{s.positives} = {s.rate:.2f} "
        f"(both actors a node: {s.nodes}/{s.positives}); false edges on negated or predicted reports: {s.false_edges}/{s.negatives}.",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = ap.parse_args(argv)
    s = score(load(args.data))
    print(
        f"actor edges: {s.hits}/{s.positives} = {s.rate:.2f} right family; nodes {s.nodes}/{s.positives}; false edges {s.false_edges}/{s.negatives}"
    )
    if args.verbose:
        print("\n".join(s.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
