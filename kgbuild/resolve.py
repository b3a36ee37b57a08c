"""Cross-document entity resolution: one node per real-world thing across articles.

The IRI of a node is a pure function of `Entity.key`, and keys are stable
across articles (curated ids from actors.jsonl and the gazetteer, else the
slug of the normalised name), so most merging falls out of the keys.  This
module adds what keys alone cannot give:

* the union of every surface form seen for a node (its aliases, for skos:altLabel);
* conflicts: the same key typed differently in different articles is
  recorded (never silently dropped), and the majority class wins;
* explanations: each merged node lists the rules and articles that formed it;
* the user's alias file overrides: a row there re-keys every alias it lists
  to its id, with its label and class (same JSONL format as actors.jsonl).

`Resolver` is incremental and deterministic: feed Extractions one at a time
(`add`) in any batch size; the result depends only on the articles' order.
Article-scoped nodes (`doc_scoped`) are never merged across articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .records import Entity, Extraction


@dataclass(frozen=True, slots=True)
class Conflict:
    """A key seen with different classes (or coarse types) in different articles."""

    key: str
    field: str  # "cls" or "coarse"
    values: tuple[tuple[str, int], ...]  # (value, number of articles), most frequent first
    chosen: str


@dataclass
class MergedEntity:
    """One node across all articles."""

    key: str
    label: str
    cls: str
    coarse: str
    aliases: set[str] = field(default_factory=set)
    docs: list[str] = field(default_factory=list)  # doc ids, first-seen order
    rules: set[str] = field(default_factory=set)  # how the per-article nodes were formed
    merged_from: set[str] = field(default_factory=set)  # per-article keys re-keyed into this one
    cls_votes: Counter = field(default_factory=Counter)
    coarse_votes: Counter = field(default_factory=Counter)
    wikidata: str | None = None
    geonames: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    mention_count: int = 0
    overridden: bool = False  # label/class fixed by the user's alias file

    def explain(self) -> str:
        """Why this node is one node: its rules, the keys merged in and the aliases."""
        parts = [f"{self.key}: {self.label} ({self.cls})", f"rules: {', '.join(sorted(self.rules)) or '-'}"]
        if self.merged_from - {self.key}:
            parts.append(f"merged keys: {', '.join(sorted(self.merged_from - {self.key}))}")
        if self.aliases:
            parts.append(f"aliases: {', '.join(sorted(self.aliases))}")
        parts.append(f"articles: {len(self.docs)}")
        return "; ".join(parts)


def _norm(text: str) -> str:
    from .extract.entities import norm_alias

    return norm_alias(text)


class Resolver:
    """Incremental registry key -> MergedEntity over a stream of Extractions."""

    def __init__(self, alias_rows: Iterable[dict] = ()) -> None:
        self.nodes: dict[str, MergedEntity] = {}
        self._override_by_alias: dict[str, str] = {}  # normalised alias -> user id
        self._override_rows: dict[str, dict] = {}
        for row in alias_rows:
            self.add_override(row)

    # -- user overrides ---------------------------------------------------

    def add_override(self, row: dict) -> None:
        """A user alias row: every alias (and the label) now resolves to row["id"]."""
        key = str(row.get("id") or "").strip()
        label = str(row.get("label") or "").strip()
        if not key or not label:
            return
        self._override_rows[key] = row
        for alias in [label, *(row.get("aliases") or []), *(row.get("metonym_aliases") or [])]:
            if isinstance(alias, str) and alias.strip():
                self._override_by_alias[_norm(alias)] = key

    def load_alias_file(self, path: str) -> int:
        """Read a user alias file (actors.jsonl format); returns the number of rows applied."""
        from .extract.entities import read_jsonl

        rows = read_jsonl(path)
        for row in rows:
            self.add_override(row)
        return len(rows)

    def _override_key(self, entity: Entity) -> str | None:
        if entity.doc_scoped:
            return None
        for name in (entity.label, *entity.aliases):
            key = self._override_by_alias.get(_norm(name))
            if key:
                return key
        return None

    # -- merging ----------------------------------------------------------

    def resolve_key(self, entity: Entity) -> str:
        """The cross-document key of a per-article node (user overrides first)."""
        return self._override_key(entity) or entity.key

    def add(self, extraction: Extraction) -> dict[str, str]:
        """Fold one article in; returns its key mapping (article key -> merged key)."""
        doc_id = extraction.article.doc_id if extraction.article else ""
        mapping = {}
        for entity in extraction.entities:
            key = self.resolve_key(entity)
            mapping[entity.key] = key
            if entity.doc_scoped:
                continue
            self._fold(key, entity, doc_id)
        return mapping

    def _fold(self, key: str, entity: Entity, doc_id: str) -> None:
        node = self.nodes.get(key)
        if node is None:
            node = MergedEntity(key=key, label=entity.label, cls=entity.cls, coarse=entity.coarse)
            self.nodes[key] = node
            row = self._override_rows.get(key)
            if row is not None:
                node.label = str(row["label"])
                node.cls = str(row.get("class") or node.cls)
                node.wikidata = row.get("wikidata") or None
                node.country = row.get("country") or None
                node.overridden = True
                node.rules.add("user-alias-file")
        if doc_id not in node.docs:
            node.docs.append(doc_id)
            node.cls_votes[entity.cls] += 1
            node.coarse_votes[entity.coarse] += 1
        node.rules.update(r for r in entity.rule.split("+") if r)
        node.merged_from.add(entity.key)
        node.mention_count += len(entity.mentions)
        names = {entity.label, *entity.aliases, *(m.text for m in entity.mentions if m.kind == "name")}
        node.aliases.update(n for n in names if n and n != node.label)
        for attr in ("wikidata", "geonames", "country", "lat", "lon"):
            if getattr(node, attr) is None and getattr(entity, attr) is not None:
                setattr(node, attr, getattr(entity, attr))
        if not node.overridden:
            node.cls = _majority(node.cls_votes, node.cls)
            node.coarse = _majority(node.coarse_votes, node.coarse)

    def conflicts(self) -> list[Conflict]:
        """Every node typed differently in different articles, sorted by key."""
        out = []
        for key in sorted(self.nodes):
            node = self.nodes[key]
            for name, votes, chosen in (("cls", node.cls_votes, node.cls), ("coarse", node.coarse_votes, node.coarse)):
                if len(votes) > 1:
                    values = tuple(sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])))
                    out.append(Conflict(key=key, field=name, values=values, chosen=chosen))
        return out

    def rekey(self, extraction: Extraction) -> Extraction:
        """The extraction with user-overridden keys applied to entities, mentions and relations."""
        mapping = {e.key: self.resolve_key(e) for e in extraction.entities}
        if all(k == v for k, v in mapping.items()):
            return extraction
        entities = []
        for e in extraction.entities:
            key = mapping[e.key]
            mentions = tuple(replace(m, entity=key) for m in e.mentions)
            node = self.nodes.get(key)
            label = node.label if node is not None and node.overridden else e.label
            entities.append(replace(e, key=key, label=label, mentions=mentions))
        relations = tuple(replace(r, subject=mapping.get(r.subject, r.subject), object=mapping.get(r.object, r.object)) for r in extraction.relations)
        events = tuple(
            replace(ev, arguments=tuple(replace(a, entity=mapping.get(a.entity, a.entity) if a.entity else a.entity)
                                        for a in ev.arguments)) for ev in extraction.events
        )
        return replace(extraction, entities=tuple(entities), relations=relations, events=events)


def _majority(votes: Counter, current: str) -> str:
    """Most frequent value; ties go to the first-seen value (deterministic)."""
    if not votes:
        return current
    best = max(votes.values())
    tied = [v for v, n in votes.items() if n == best]
    return current if current in tied else tied[0]


def merge(extractions: Iterable[Extraction], alias_files: Iterable[str] = ()) -> dict[str, MergedEntity]:
    """All articles' nodes merged by key (with user alias files applied), in key order."""
    resolver = Resolver()
    for path in alias_files:
        resolver.load_alias_file(path)
    for ex in extractions:
        resolver.add(ex)
    return dict(sorted(resolver.nodes.items()))


def load_alias_file(path: str) -> list[dict]:
    """Rows of a user alias file in the actors.jsonl format (malformed lines skipped)."""
    from .extract.entities import read_jsonl

    return read_jsonl(path)
