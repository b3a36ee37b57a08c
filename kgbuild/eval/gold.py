"""The gold format: items, node types, corpus notes; loading and checking JSON-lines documents."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError

ITEMS: tuple[str, ...] = (
    "entity",
    "entity_span",
    "trigger_id",
    "trigger_cls",
    "argument_id",
    "argument_cls",
)
# Types whose clusters can be named nodes; dates and amounts are values, not actors.
NODE_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "LOCATION", "OTHER"})

CORPUS_NOTES: Mapping[str, str] = {
    "rams": "RAMS annotates one event per window: read recall; entities are not scored.",
    "ecbplus": "ECB+: only annotated sentences count; gold events are untyped except "
    "REPORTING (Statement/Criticism); no arguments.",
    "meantime": "MEANTIME event types are derived from verb lemmas, not gold: trigger_cls is a sanity check.",
}

Doc = Mapping[str, Any]
Span = tuple[int, int]


def load_jsonl(path: str | Path, limit: int | None = None) -> dict[str, dict]:
    """doc_id -> document, like score_gold.load (a repeated doc_id: last one wins)."""
    docs: dict[str, dict] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if limit is not None and n > limit:
                    break
                if not line.strip():
                    continue
                doc = json.loads(line)
                docs[doc["doc_id"]] = doc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"line {n}: not a gold-format document ({exc})", path=str(path)) from exc
    return docs


def corpus_of(gold: Mapping[str, Doc]) -> str:
    """The corpus name of a gold file (its most frequent meta.corpus)."""
    names = Counter(d.get("meta", {}).get("corpus", "") for d in gold.values())
    return names.most_common(1)[0][0] if names else ""


def validate_doc(doc: Doc) -> list[str]:
    """Problems that make `doc` unusable as a gold-format prediction (empty if fine)."""
    problems: list[str] = []
    if not isinstance(doc.get("doc_id"), str):
        problems.append("doc_id missing")
    text = doc.get("text")
    for i, e in enumerate(doc.get("entities", [])):
        problems += _span_problems(e, text, f"entities[{i}]")
        if not e.get("type"):
            problems.append(f"entities[{i}]: no type")
    for i, ev in enumerate(doc.get("events", [])):
        problems += _span_problems(ev.get("trigger", {}), text, f"events[{i}].trigger")
        for j, a in enumerate(ev.get("arguments", [])):
            problems += _span_problems(a, text, f"events[{i}].arguments[{j}]")
            if not a.get("role"):
                problems.append(f"events[{i}].arguments[{j}]: no role")
    return problems


def _span_problems(item: Mapping, text: str | None, where: str) -> list[str]:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        return [f"{where}: bad offsets {start!r}..{end!r}"]
    if text is not None and "text" in item and text[start:end] != item["text"]:
        return [f"{where}: text {item['text']!r} != {text[start:end]!r}"]
    return []
