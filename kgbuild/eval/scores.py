"""Counts, scores, options and the report record of an evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

MATCH_MODES: tuple[str, ...] = ("exact", "overlap")
ECB_RANGES: tuple[str, ...] = ("annotated", "mentions", "all")


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched, gold and predicted item counts; P/R/F1 follow score_gold.py."""

    matched: int = 0
    gold: int = 0
    pred: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.gold + other.gold, self.pred + other.pred)

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "gold": self.gold,
            "pred": self.pred,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One scored item, overall and broken down by type (or role)."""

    item: str
    overall: Counts
    by_type: tuple[tuple[str, Counts], ...] = ()


@dataclass(frozen=True, slots=True)
class ModeScores:
    """All items under one matching mode (exact or overlap)."""

    mode: str
    items: tuple[ItemScore, ...]

    def get(self, item: str) -> ItemScore | None:
        return next((s for s in self.items if s.item == item), None)


@dataclass(frozen=True, slots=True)
class NodeScores:
    """Entity-node level figures over gold clusters that contain a name.

    A gold cluster is *covered* when one predicted cluster holds a strict
    majority of its name mentions (matched by overlap); *covered_typed* also
    needs the predicted cluster's majority type to equal the gold one.  A gold
    cluster is *split* when its matched name mentions land in two or more
    predicted clusters; a predicted cluster is *merging* when its mentions match
    name mentions of two or more gold clusters.  *pred_clusters* counts the
    predicted clusters that match any gold name mention (the merge denominator).
    """

    gold_clusters: int = 0
    covered: int = 0
    covered_typed: int = 0
    split: int = 0
    missed: int = 0
    pred_clusters: int = 0
    merging: int = 0

    def __add__(self, other: NodeScores) -> NodeScores:
        return NodeScores(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def coverage(self) -> float:
        return self.covered / self.gold_clusters if self.gold_clusters else 0.0

    @property
    def typed_coverage(self) -> float:
        return self.covered_typed / self.gold_clusters if self.gold_clusters else 0.0


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """The options of score_gold.py (same names, same defaults)."""

    skip_other: bool = False  # trigger_cls: drop 'Other' events on both sides
    merge_gpe: bool = False  # score GPE as LOCATION
    ecb_ranges: str = "mentions"  # annotated | mentions | all
    types: frozenset[str] | None = None  # --types: keep only events of these types, both sides


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Every figure of one system on one gold file."""

    corpus: str
    system: str
    n_docs: int
    options: ScoreOptions
    modes: tuple[ModeScores, ...]
    nodes: NodeScores | None = None
    seconds: float = 0.0  # time spent producing the predictions (0 for a --pred file)
    notes: tuple[str, ...] = field(default=())

    def scores(self, mode: str) -> ModeScores:
        for m in self.modes:
            if m.mode == mode:
                return m
        raise KeyError(mode)

    def counts(self, item: str, mode: str) -> Counts | None:
        score = self.scores(mode).get(item)
        return score.overall if score else None
