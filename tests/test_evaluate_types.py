"""`--types` (ScoreOptions.types): kgbuild.evaluate keeps only events of the given types on both
sides, as score_gold.py does; checked against the reference scorer on perturbed dev documents
(skipped where ../shared/eval is absent)."""

from __future__ import annotations

import random

import pytest

from kgbuild import evaluate as ev
from kgbuild.evaluate import ScoreOptions
from tests.test_evaluate import EVAL_DIR, needs_reference, our_rows, perturb, reference_rows, write_jsonl

M2E2_TYPES = ("Attack", "Killing/Death", "Evacuation/Transport", "Negotiation", "Protest", "Arrest")


def _retype(pred: dict, rng: random.Random) -> dict:
    for e in pred["events"]:
        if rng.random() < 0.2:
            e["type"] = rng.choice(["Protest", "Arrest", "Other", "Offensive/Battle"])
    return pred


@needs_reference
@pytest.mark.parametrize("corpus", ["m2e2", "wikievents"])
def test_types_agree_with_score_gold(corpus, tmp_path):
    source = EVAL_DIR / f"{corpus}.dev.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} absent")
    rng = random.Random(corpus + "types")
    docs = list(ev.load_jsonl(source, limit=20).values())
    gold = write_jsonl(tmp_path / "gold.jsonl", docs)
    pred = write_jsonl(tmp_path / "pred.jsonl", [_retype(perturb(d, rng), rng) for d in docs])
    for types in (M2E2_TYPES, ("Attack",), ("Protest", "Arrest")):
        for mode in ev.MATCH_MODES:
            flags = ["--match", mode, "--types", ",".join(types)]
            opts = ScoreOptions(types=frozenset(types))
            assert our_rows(gold, pred, mode, opts) == reference_rows(gold, pred, flags), flags


def test_types_filter_both_sides_for_every_event_item():
    gold = {"d": {"doc_id": "d", "entities": [], "events": [
        {"trigger": {"start": 0, "end": 4}, "type": "Protest", "arguments": [{"role": "agent", "start": 10, "end": 14}]},
        {"trigger": {"start": 20, "end": 24}, "type": "Other", "arguments": []},
    ]}}
    pred = {"d": {"doc_id": "d", "entities": [], "events": [
        {"trigger": {"start": 0, "end": 4}, "type": "Protest", "arguments": [{"role": "agent", "start": 10, "end": 14}]},
        {"trigger": {"start": 30, "end": 34}, "type": "Statement/Criticism", "arguments": []},
    ]}}
    report = ev.evaluate(gold, pred, options=ScoreOptions(types=frozenset({"Protest", "Arrest"})))
    for item in ("trigger_id", "trigger_cls", "argument_id", "argument_cls"):
        c = report.counts(item, "exact")
        assert (c.gold, c.pred, c.matched) == (1, 1, 1), item
    assert ev.report_dict(report)["options"]["types"] == ["Arrest", "Protest"]
