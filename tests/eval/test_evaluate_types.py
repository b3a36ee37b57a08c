"""`--types` (ScoreOptions.types): kgbuild.evaluate keeps only events of the given types on both
sides, as score_gold.py does; checked against the reference scorer on perturbed dev documents
(skipped where ../shared/eval is absent)."""

from __future__ import annotations

import random

import pytest

from kgbuild.eval import evaluate as ev
from kgbuild.eval.evaluate import ScoreOptions
from tests.eval.test_evaluate import EVAL_DIR, needs_reference, our_rows, perturb, reference_rows, write_jsonl

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
    gold = {
        "d": {
            "doc_id": "d",
            "entities": [],
            "events": [
                {
                    "trigger": {"start": 0, "end": 4},
                    "type": "Protest",
                    "arguments": [{"role": "agent", "start": 10, "end": 14}],
                },
                {"trigger": {"start": 20, "end": 24}, "type": "Other", "arguments": []},
            ],
        }
    }
    pred = {
        "d": {
            "doc_id": "d",
            "entities": [],
            "events": [
                {
                    "trigger": {"start": 0, "end": 4},
                    "type": "Protest",
                    "arguments": [{"role": "agent", "start": 10, "end": 14}],
                },
                {"trigger": {"start": 30, "end": 34}, "type": "Statement/Criticism", "arguments": []},
            ],
        }
    }
    report = ev.evaluate(gold, pred, options=ScoreOptions(types=frozenset({"Protest", "Arrest"})))
    for item in ("trigger_id", "trigger_cls", "argument_id", "argument_cls"):
        c = report.counts(item, "exact")
        assert (c.gold, c.pred, c.matched) == (1, 1, 1), item
    assert ev.report_dict(report)["options"]["types"] == ["Arrest", "Protest"]


from tests.eval.test_evaluate import news_gold, news_pred, quality  # noqa: E402,F401  (fixture)


def test_quality_m2e2_rows_score_six_kinds_with_overlap_triggers_and_no_node_rows(quality):  # noqa: F811
    assert quality.CORPUS_OPTIONS["m2e2"].types == frozenset(M2E2_TYPES)
    gold = {"d1": news_gold()}
    opts = quality.CORPUS_OPTIONS["m2e2"]
    full = ev.evaluate(gold, {"d1": news_pred()}, options=opts)
    typed7 = ev.evaluate(gold, {"d1": news_pred()}, match_modes=("exact",), options=opts)
    systems = quality.SYSTEMS
    run = quality.CorpusRun(
        "m2e2",
        1,
        {s: full for s in systems},
        {s: typed7 for s in systems},
        {s: quality.Runtime(2.0, 1.0) for s in systems},
        {},
    )
    labels = [line.split(" | ")[1] for line in quality.table([run])[2:]]
    assert "trigger classification F1, overlap" in labels and "trigger identification F1, overlap" in labels
    assert not any("node" in label or "clusters" in label for label in labels)
    assert "trigger classification F1, 7 types (--skip-other)" not in labels
