"""annotations.jsonl: the evaluation contract (see README, "annotations.jsonl").

One article a line, in the gold format of the shared evaluation corpora:
doc_id, text, entities (mentions with start, end, text, type, cluster),
events (trigger, type, arguments with role, start, end, text, entity_id, and
for an argument inferred from another sentence inferred and confidence) and
relations (subject, predicate, object cluster ids with the evidence span);
besides, the article's title, date, url and source (the input file it was
read from, with ":line" for JSON Lines and "[i]" for a JSON array).
An event with casualty figures also has casualties: [{kind (killed, injured,
abducted, arrested), count, qualifier ("at least", "more than", ... or null
for an exact figure), start, end (the phrase that gives it)}].
"""

from __future__ import annotations

import json

from ..records import Argument, Casualties, Extraction


def to_annotation(ex: Extraction) -> dict:
    art = ex.article
    mentions = sorted((m for e in ex.entities for m in e.mentions), key=lambda m: (m.start, m.end, m.entity))
    entities = [
        {
            "id": f"m{i}",
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "type": m.coarse,
            "cluster": m.entity,
            "kind": m.kind,
        }
        for i, m in enumerate(mentions)
    ]
    events = []
    for i, ev in enumerate(sorted(ex.events, key=lambda e: (e.trigger.start, e.trigger.end))):
        events.append(
            {
                **({"casualties": [_casualty(c) for c in ev.casualties]} if ev.casualties else {}),
                "id": f"e{i}",
                "trigger": {"start": ev.trigger.start, "end": ev.trigger.end, "text": ev.trigger.text},
                "type": ev.coarse,
                "class": ev.cls,
                "modality": ev.modality,
                "date": ev.date,
                "arguments": [_argument(a) for a in ev.arguments],
            }
        )
    relations = [
        {
            "subject": r.subject,
            "predicate": r.predicate,
            "object": r.object,
            "start": r.start,
            "end": r.end,
            "confidence": r.confidence,
        }
        for r in sorted(ex.relations, key=lambda r: (r.start, r.subject, r.predicate, r.object))
    ]
    return {
        "doc_id": art.doc_id,
        "title": art.title,
        "date": art.date,
        "url": art.url,
        "text": art.text,
        "entities": entities,
        "events": events,
        "relations": relations,
        "source": art.source,  # the file (":line" for JSON Lines, "[i]" for a JSON array) it was read from
    }


def dumps(ex: Extraction) -> str:
    """One JSONL line (deterministic: sorted keys, no ASCII escaping of text)."""
    return json.dumps(to_annotation(ex), ensure_ascii=False, sort_keys=True)


def _argument(a: Argument) -> dict:
    out = {"role": a.role, "start": a.start, "end": a.end, "text": a.text, "entity_id": a.entity}
    if a.inferred:  # taken from another sentence (e.g. an adjacent quote's speaker), less certain
        out.update(inferred=True, confidence=a.confidence)
    return out


def _casualty(c: Casualties) -> dict:
    return {"kind": c.kind, "count": c.count, "qualifier": c.qualifier, "start": c.start, "end": c.end}
