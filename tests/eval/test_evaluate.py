"""The scorer (kgbuild.eval.evaluate), the baselines and their agreement with score_gold.py.

Hand-made gold/prediction pairs pin each rule down; the agreement tests run the
reference scorer from ../shared/eval (skipped where it is absent, as on a
user's machine) on the same files as kgbuild.eval.evaluate and compare every figure.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kgbuild.eval import baselines
from kgbuild.eval import evaluate as ev
from kgbuild.run.annotations import to_annotation
from kgbuild.errors import InputError, ModelError, UsageError
from kgbuild.eval.evaluate import Counts, DocVocab, ScoreOptions
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Relation, Span

EVAL_DIR = Path(os.environ.get("KGBUILD_EVAL_DIR", Path(__file__).resolve().parents[3] / "shared" / "eval"))
SCORE_GOLD = EVAL_DIR / "score_gold.py"
COARSE = {"PERSON", "ORGANIZATION", "GPE", "LOCATION", "DATE", "QUANTITY", "OTHER"}
EVENT_TYPES = {
    "Attack",
    "Offensive/Battle",
    "Killing/Death",
    "Evacuation/Transport",
    "Agreement/Deal",
    "Negotiation",
    "Statement/Criticism",
    "Other",
}


# --------------------------------------------------------------------------- helpers


def ent(text: str, doc: str, type_: str, cluster: str, nth: int = 0, **extra) -> dict:
    """An entity mention of the nth occurrence of `text` in `doc`."""
    start = [m.start() for m in re.finditer(re.escape(text), doc)][nth]
    return {"start": start, "end": start + len(text), "text": text, "type": type_, "cluster": cluster, **extra}


def event(doc: str, trigger: str, type_: str | None, args: list[tuple[str, str]] = (), nth: int = 0) -> dict:
    t = ent(trigger, doc, "", "", nth)
    arguments = []
    for role, text in args:
        a = ent(text, doc, "", "")
        arguments.append({"role": role, "start": a["start"], "end": a["end"], "text": text})
    return {"trigger": {"start": t["start"], "end": t["end"], "text": trigger}, "type": type_, "arguments": arguments}


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def counts(report: ev.EvalReport, item: str, mode: str) -> tuple[int, int, int]:
    c = report.counts(item, mode)
    assert c is not None, item
    return (c.matched, c.gold, c.pred)


TEXT = (
    "Tara Reid entered the Promises Treatment Center in Malibu on Monday.\n"
    "Police said Reid was fine. The police found no drugs, Lindsay Lohan said.\n"
    "Gunmen attacked the clinic and killed two guards."
)


def news_gold() -> dict:
    return {
        "doc_id": "d1",
        "text": TEXT,
        "meta": {"corpus": "wikievents"},
        "entities": [
            ent("Tara Reid", TEXT, "PERSON", "reid"),
            ent("Promises Treatment Center", TEXT, "LOCATION", "promises"),
            ent("Malibu", TEXT, "GPE", "malibu"),
            ent("Monday", TEXT, "DATE", "monday"),
            ent("Police", TEXT, "ORGANIZATION", "police"),
            ent("Reid", TEXT, "PERSON", "reid", nth=1),
            ent("police", TEXT, "ORGANIZATION", "police"),
            ent("Lindsay Lohan", TEXT, "PERSON", "lohan"),
            ent("Gunmen", TEXT, "PERSON", "gunmen"),
            ent("clinic", TEXT, "LOCATION", "promises"),
            ent("two guards", TEXT, "PERSON", "guards"),
        ],
        "events": [
            event(TEXT, "entered", "Evacuation/Transport", [("agent", "Tara Reid"), ("place", "Malibu")]),
            event(TEXT, "said", "Statement/Criticism", [("agent", "Police")]),
            event(TEXT, "attacked", "Attack", [("agent", "Gunmen"), ("target", "clinic")]),
            event(TEXT, "killed", "Killing/Death", [("agent", "Gunmen"), ("target", "two guards")]),
            event(TEXT, "found", "Other", []),
        ],
        "relations": [],
    }


def news_pred() -> dict:
    return {
        "doc_id": "d1",
        "entities": [
            ent("Tara Reid", TEXT, "PERSON", "X"),  # exact, right type
            ent("Promises Treatment Center in Malibu", TEXT, "LOCATION", "P"),  # overlaps two gold
            ent("Reid", TEXT, "PERSON", "X", nth=1),
            ent("Lohan", TEXT, "PERSON", "X"),  # partial; merges Lohan into Reid's node
            ent("Gunmen", TEXT, "ORGANIZATION", "G"),  # wrong type
            ent("guards", TEXT, "PERSON", "W"),  # partial
            ent("Monday", TEXT, "DATE", "M"),
        ],
        "events": [
            event(TEXT, "entered", "Evacuation/Transport", [("agent", "Tara Reid"), ("target", "Malibu")]),
            event(TEXT, "attacked", "Attack", [("agent", "Gunmen"), ("target", "the clinic")]),
            event(TEXT, "killed", "Attack", [("agent", "Gunmen"), ("target", "guards")]),
            event(TEXT, "found", "Other", []),
            event(TEXT, "fine", "Other", []),
        ],
        "relations": [],
    }


@pytest.fixture
def news_report(tmp_path: Path) -> ev.EvalReport:
    gold = write_jsonl(tmp_path / "gold.jsonl", [news_gold()])
    pred = write_jsonl(tmp_path / "pred.jsonl", [news_pred()])
    return ev.evaluate_files(gold, pred)


# --------------------------------------------------------------------------- mention level


def test_partial_overlap_counts_only_under_overlap(news_report):
    # exact: Tara Reid, Reid, Monday; overlap adds Promises (greedy: one gold only) and two guards
    assert counts(news_report, "entity", "exact") == (3, 11, 7)
    assert counts(news_report, "entity", "overlap") == (6, 11, 7)


def test_wrong_type_matches_the_span_only(news_report):
    # Gunmen ORGANIZATION vs PERSON: a span match, not a typed one
    assert counts(news_report, "entity_span", "exact") == (4, 11, 7)
    by_type = dict(news_report.scores("exact").get("entity").by_type)
    assert by_type["ORGANIZATION"] == Counts(0, 2, 1)
    assert by_type["PERSON"] == Counts(2, 5, 4)


def test_one_prediction_matches_one_gold_item_only():
    gold = {
        "a": {
            "text": "x" * 30,
            "entities": [{"start": 0, "end": 5, "type": "GPE"}, {"start": 6, "end": 10, "type": "GPE"}],
            "events": [],
        }
    }
    pred = {"a": {"entities": [{"start": 0, "end": 10, "type": "GPE"}]}}
    assert ev.score_mode(gold, pred, "overlap").get("entity").overall == Counts(1, 2, 1)


def test_triggers_types_and_argument_roles(news_report):
    assert counts(news_report, "trigger_id", "exact") == (4, 5, 5)
    assert counts(news_report, "trigger_cls", "exact") == (3, 5, 5)  # killed typed Attack
    # exact arguments: Tara Reid, Malibu (as target), Gunmen x2; overlap adds the clinic, guards
    assert counts(news_report, "argument_id", "exact") == (4, 7, 6)
    assert counts(news_report, "argument_id", "overlap") == (6, 7, 6)
    assert counts(news_report, "argument_cls", "overlap") == (5, 7, 6)  # Malibu: target, not place


def test_skip_other_and_merge_gpe(tmp_path):
    gold = write_jsonl(tmp_path / "g.jsonl", [news_gold()])
    pred_doc = news_pred()
    pred_doc["entities"].append(ent("Malibu", TEXT, "LOCATION", "L"))
    pred = write_jsonl(tmp_path / "p.jsonl", [pred_doc])
    plain = ev.evaluate_files(gold, pred, match_modes=("exact",))
    merged = ev.evaluate_files(gold, pred, match_modes=("exact",), merge_gpe=True, skip_other=True)
    assert counts(merged, "entity", "exact")[0] == counts(plain, "entity", "exact")[0] + 1
    assert counts(plain, "trigger_cls", "exact") == (3, 5, 5)
    assert counts(merged, "trigger_cls", "exact") == (2, 4, 3)


def test_typed_breakdown_adds_up_to_overall(news_report):
    for mode in news_report.modes:
        for score in mode.items:
            if score.by_type:
                total = sum((c for _, c in score.by_type), Counts())
                assert total == score.overall, (mode.mode, score.item)


def test_missing_document_counts_as_empty_prediction():
    gold = {"a": news_gold() | {"doc_id": "a"}, "b": news_gold() | {"doc_id": "b"}}
    report = ev.evaluate(gold, {"a": news_pred()})
    assert report.counts("entity", "exact") == Counts(3, 22, 7)


def test_rams_ignores_other_events_and_entities():
    text = "Rebels shelled the town. Officials said talks failed."
    gold = {
        "r": {
            "text": text,
            "meta": {"corpus": "rams"},
            "entities": [],
            "events": [event(text, "shelled", "Attack", [("target", "the town")])],
        }
    }
    pred = {
        "r": {
            "entities": [ent("Rebels", text, "PERSON", "c")],
            "events": [
                event(text, "shelled", "Attack", [("agent", "Rebels"), ("target", "the town")]),
                event(text, "said", "Statement/Criticism", []),  # another event: not annotated, ignored
            ],
        }
    }
    scores = ev.score_mode(gold, pred, "exact")
    assert scores.get("entity") is None
    assert scores.get("trigger_id").overall == Counts(1, 1, 1)
    assert scores.get("argument_cls").overall == Counts(1, 1, 2)
    assert ev.score_nodes(gold, pred) is None


def test_ecbplus_counts_annotated_sentences_and_reporting_types_only():
    text = "Lohan went to rehab.\nShe entered Betty Ford, TMZ reported.\nIt was her sixth stay."
    start2 = text.index("She")
    ranges = [[start2, text.index("\nIt")]]
    gold = {
        "e": {
            "text": text,
            "meta": {"corpus": "ecbplus", "mention_char_ranges": ranges, "annotated_char_ranges": ranges},
            "entities": [ent("Betty Ford", text, "LOCATION", "bf"), ent("TMZ", text, "ORGANIZATION", "tmz")],
            "events": [event(text, "entered", None), event(text, "reported", "Statement/Criticism")],
        }
    }
    pred = {
        "e": {
            "entities": [ent("Lohan", text, "PERSON", "l"), ent("TMZ", text, "ORGANIZATION", "t")],
            "events": [
                event(text, "went", "Evacuation/Transport"),  # outside the ranges
                event(text, "entered", "Evacuation/Transport", [("place", "Betty Ford")]),
                event(text, "reported", "Statement/Criticism"),
            ],
        }
    }
    scores = ev.score_mode(gold, pred, "exact")
    assert scores.get("entity").overall == Counts(1, 2, 1)
    assert scores.get("trigger_id").overall == Counts(2, 2, 2)
    assert scores.get("trigger_cls").overall == Counts(1, 1, 1)  # untyped gold and non-REPORTING pred dropped
    assert scores.get("argument_id") is None
    everything = ev.score_mode(gold, pred, "exact", ScoreOptions(ecb_ranges="all"))
    assert everything.get("entity").overall == Counts(1, 2, 2)


def test_bad_options_are_usage_errors(tmp_path):
    gold = write_jsonl(tmp_path / "g.jsonl", [news_gold()])
    with pytest.raises(UsageError):
        ev.evaluate_files(gold, gold, match_modes=("fuzzy",))
    with pytest.raises(UsageError):
        ev.format_report(ev.evaluate_files(gold, gold), fmt="xml")


def test_gold_scored_against_itself_is_perfect(tmp_path):
    gold = write_jsonl(tmp_path / "g.jsonl", [news_gold()])
    report = ev.evaluate_files(gold, gold)
    for mode in report.modes:
        assert all(s.overall.f1 == 1.0 for s in mode.items)
    assert report.nodes.covered_typed == report.nodes.gold_clusters


# --------------------------------------------------------------------------- entity nodes


def test_nodes_merges_splits_and_types(news_report):
    n = news_report.nodes
    # named gold clusters: reid (Tara Reid, Reid), promises (Promises Treatment Center), malibu,
    # lohan, gunmen ("Gunmen" starts a line but is never written in lower case); not police
    # ("Police" starts a sentence, "police" occurs), guards, clinic (no name), Monday (a DATE).
    assert n.gold_clusters == 5
    # X holds Tara Reid, Reid and Lohan: reid covered, lohan covered by the merging node
    # P holds Promises; malibu lost to the one-to-one alignment; Gunmen covered with a wrong type.
    assert (n.covered, n.covered_typed, n.missed) == (4, 3, 1)
    assert (n.merging, n.pred_clusters, n.split) == (1, 3, 0)


def test_a_prediction_must_overlap_the_head_word():
    text = "Apple CEO Steve Jobs spoke. Apple grew."
    gold = {
        "d": {
            "text": text,
            "entities": [
                ent("Apple CEO Steve Jobs", text, "PERSON", "jobs"),
                ent("Apple", text, "ORGANIZATION", "apple", 1),
            ],
            "events": [],
        }
    }
    pred = {"d": {"entities": [ent("Apple", text, "ORGANIZATION", "a"), ent("Apple", text, "ORGANIZATION", "a", 1)]}}
    n = ev.score_nodes(gold, pred)
    assert (n.gold_clusters, n.covered_typed, n.missed, n.merging) == (2, 1, 1, 0)


def test_ecbplus_mentions_left_out_of_coreference_are_not_nodes():
    text = "Microsoft said. Microsoft grew."
    linked = ent("Microsoft", text, "ORGANIZATION", "HUM1", id="m1", coref_link="CROSS_DOC_COREF")
    unlinked = ent("Microsoft", text, "ORGANIZATION", "m2", 1, id="m2", coref_link=None)
    gold = {"d": {"text": text, "entities": [linked, unlinked], "events": []}}
    pred = {"d": {"entities": [ent("Microsoft", text, "ORGANIZATION", "ms", i) for i in (0, 1)]}}
    n = ev.score_nodes(gold, pred)
    assert (n.gold_clusters, n.covered_typed, n.merging) == (1, 1, 0)


def test_split_cluster():
    text = "Tara Reid left. Reid returned. Reid slept."
    gold = {
        "d": {
            "text": text,
            "entities": [
                ent("Tara Reid", text, "PERSON", "r"),
                ent("Reid", text, "PERSON", "r", 1),
                ent("Reid", text, "PERSON", "r", 2),
            ],
            "events": [],
        }
    }
    pred = {
        "d": {
            "entities": [
                ent("Tara Reid", text, "PERSON", "a"),
                ent("Reid", text, "PERSON", "b", 1),
                ent("Reid", text, "PERSON", "b", 2),
            ]
        }
    }
    n = ev.score_nodes(gold, pred)
    assert (n.gold_clusters, n.covered, n.split, n.merging) == (1, 1, 1, 0)  # covered by b (2 of 3)
    pred["d"]["entities"][2]["cluster"] = "c"
    n = ev.score_nodes(gold, pred)
    assert (n.covered, n.split) == (0, 1)  # no node holds most of the names


def test_prediction_without_clusters_is_one_node_per_mention():
    text = "Reid left. Reid returned."
    gold = {
        "d": {
            "text": text,
            "entities": [ent("Reid", text, "PERSON", "r"), ent("Reid", text, "PERSON", "r", 1)],
            "events": [],
        }
    }
    pred = {
        "d": {
            "entities": [
                {k: v for k, v in ent("Reid", text, "PERSON", "", i).items() if k != "cluster"} for i in (0, 1)
            ]
        }
    }
    assert ev.score_nodes(gold, pred).split == 1


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Tara Reid", True),
        ("the Promises Treatment Center in Malibu", True),
        ("US", True),
        ("Police", False),  # sentence-initial, "police" written elsewhere
        ("a north Houston business", False),
        ("They", False),
        ("clinic", False),
    ],
)
def test_name_heuristic(mention, expected):
    text = (
        "Police said Tara Reid left the Promises Treatment Center in Malibu.\nThey met "
        "a north Houston business and the US clinic; police agreed."
    )
    m = ent(mention, text, "PERSON", "c")
    assert ev.is_name(m, text, DocVocab.of(text)) is expected


def test_annotated_mention_kind_wins_over_heuristic():
    text = "Apple CEO spoke."
    vocab = DocVocab.of(text)
    assert ev.is_name(ent("Apple CEO", text, "PERSON", "c", syntactic_type="NOM"), text, vocab) is False
    assert ev.is_name(ent("spoke", text, "PERSON", "c", kind="name"), text, vocab) is True


# --------------------------------------------------------------------------- reports and pipeline


def test_format_report_table_and_json(news_report):
    table = ev.format_report(news_report)
    assert "| entity | 11 | 7 | 3 | 0.429 | 0.273 | 0.333 |" in table
    assert "entity:PERSON" in table and "entity nodes" in table
    data = json.loads(ev.format_report(news_report, "json"))
    assert data["scores"]["overlap"]["entity"]["matched"] == 6
    assert data["scores"]["exact"]["trigger_cls"]["by_type"]["Attack"]["matched"] == 1
    assert data["nodes"]["gold_clusters"] == 5


def test_without_pred_runs_the_pipeline_on_gold_texts(tmp_path, monkeypatch):
    gold = write_jsonl(tmp_path / "g.jsonl", [news_gold()])
    seen = {}

    def fake_predict(docs, *, model, batch_size):
        seen.update(docs)
        return {"d1": news_pred()}

    monkeypatch.setattr(ev, "predict", fake_predict)
    report = ev.evaluate_files(gold, limit=1)
    assert seen["d1"]["text"] == TEXT
    assert counts(report, "entity", "exact") == (3, 11, 7)
    assert report.system.startswith("kgbuild")


def test_annotations_jsonl_is_valid_pred_input(tmp_path):
    """`kgbuild build` writes annotations.jsonl with to_annotation: eval must read it, relations too."""
    reid = Mention(0, 9, "Tara Reid", "PERSON", "tara-reid", 0)
    malibu = Mention(text_index := TEXT.index("Malibu"), text_index + 6, "Malibu", "GPE", "malibu", 0)
    trig = TEXT.index("entered")
    ex = Extraction(
        article=Article(doc_id="d1", text=TEXT),
        sentences=(Span(0, len(TEXT), TEXT),),
        entities=(
            Entity("tara-reid", "Tara Reid", "Person", "PERSON", (reid,)),
            Entity("malibu", "Malibu", "City", "GPE", (malibu,)),
        ),
        events=(
            Event(
                Span(trig, trig + 7, "entered"),
                "Movement",
                "Evacuation/Transport",
                0,
                (Argument("agent", 0, 9, "Tara Reid", "tara-reid"),),
            ),
        ),
        relations=(Relation("tara-reid", "locatedIn", "malibu", 0, 60, 0),),
    )
    ann = to_annotation(ex)
    assert ev.validate_doc(ann) == []
    pred = write_jsonl(tmp_path / "annotations.jsonl", [ann])
    gold = write_jsonl(tmp_path / "g.jsonl", [news_gold()])
    report = ev.evaluate_files(gold, pred)
    assert counts(report, "entity", "exact") == (2, 11, 2)
    assert counts(report, "argument_cls", "exact") == (1, 7, 1)


# --------------------------------------------------------------------------- baselines


def test_spacy_label_mapping_and_lexicon():
    assert baselines.coarse_type("ORG") == "ORGANIZATION"
    assert baselines.coarse_type("FAC") == "LOCATION"
    assert baselines.coarse_type("MONEY") == "QUANTITY"
    assert baselines.coarse_type("WORK_OF_ART") == "OTHER"
    assert set(baselines.SPACY_TO_COARSE.values()) <= COARSE
    lexicon = baselines.load_trigger_lexicon()
    assert lexicon["kill"] == "Killing/Death" and lexicon["say"] == "Statement/Criticism"
    assert set(lexicon.values()) <= EVENT_TYPES - {"Other"}


@pytest.fixture(scope="module")
def baseline_preds():
    pytest.importorskip("spacy")
    try:
        return list(baselines.baseline_predictions([("d1", TEXT), ("d2", "Nothing happened.")]))
    except ModelError as exc:
        pytest.skip(f"spaCy model unavailable: {exc}")


def test_baselines_produce_valid_gold_format(baseline_preds, tmp_path):
    texts = {"d1": TEXT, "d2": "Nothing happened."}
    for ner, lex in baseline_preds:
        for pred in (ner, lex):
            assert ev.validate_doc(dict(pred, text=texts[pred["doc_id"]])) == []
            assert pred["relations"] == []
        assert {e["type"] for e in ner["entities"]} <= COARSE
        assert {e["type"] for e in lex["events"]} <= EVENT_TYPES
    ner, lex = baseline_preds[0]
    assert any(e["text"] == "Tara Reid" and e["type"] == "PERSON" for e in ner["entities"])
    triggers = {e["trigger"]["text"]: e for e in lex["events"]}
    assert triggers["attacked"]["type"] == "Attack" and triggers["killed"]["type"] == "Killing/Death"
    assert {"agent", "target"} <= {a["role"] for a in triggers["attacked"]["arguments"]}
    pred = write_jsonl(tmp_path / "p.jsonl", [ner, lex])  # scored like any prediction file
    assert ev.evaluate_files(write_jsonl(tmp_path / "g.jsonl", [news_gold()]), pred).n_docs == 1


# --------------------------------------------------------------------------- agreement with score_gold.py

needs_reference = pytest.mark.skipif(not SCORE_GOLD.is_file(), reason=f"{SCORE_GOLD} absent")
ROW = re.compile(r"^\| (\w+) \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$")


def reference_rows(gold: Path, pred: Path, flags: list[str]) -> dict[str, tuple]:
    out = subprocess.run(
        [sys.executable, str(SCORE_GOLD), str(gold), str(pred), *flags], capture_output=True, text=True, check=True
    ).stdout
    return {m[1]: m.groups()[1:] for m in map(ROW.match, out.splitlines()) if m}


def our_rows(gold: Path, pred: Path, mode: str, opts: ScoreOptions) -> dict[str, tuple]:
    scores = ev.score_mode(ev.load_jsonl(gold), ev.load_jsonl(pred), mode, opts)
    return {
        s.item: (str(c.gold), str(c.pred), str(c.matched), "%.3f" % c.precision, "%.3f" % c.recall, "%.3f" % c.f1)
        for s in scores.items
        for c in [s.overall]
    }


def perturb(doc: dict, rng: random.Random) -> dict:
    """A plausible, imperfect prediction: dropped, shifted, retyped and invented items."""

    def shift(item: dict) -> dict:
        item = dict(item)
        r = rng.random()
        if r < 0.2:
            item["start"] = max(0, item["start"] + rng.choice([-3, -1, 1, 2]))
        elif r < 0.35:
            item["end"] = max(item["start"] + 1, item["end"] + rng.choice([-2, 1, 4]))
        return item

    ents = [shift(e) for e in doc["entities"] if rng.random() > 0.2]
    for e in ents:
        if rng.random() < 0.2:
            e["type"] = rng.choice(sorted(COARSE))
        if rng.random() < 0.3:
            e["cluster"] = "c%d" % rng.randrange(5)
    n = len(doc["text"])
    ents += [
        {"start": s, "end": s + 5, "type": rng.choice(sorted(COARSE))}
        for s in (rng.randrange(max(1, n - 5)) for _ in range(3))
    ]
    events = []
    for e in doc["events"]:
        if rng.random() < 0.2:
            continue
        args = [
            dict(shift(a), role=rng.choice(["agent", "target", a["role"], a["role"]]))
            for a in e["arguments"]
            if rng.random() > 0.2
        ]
        typ = e["type"] if rng.random() > 0.25 else rng.choice(sorted(EVENT_TYPES))
        events.append({"trigger": shift(e["trigger"]), "type": typ, "arguments": args})
    events += [
        {"trigger": {"start": s, "end": s + 4}, "type": rng.choice(sorted(EVENT_TYPES)), "arguments": []}
        for s in (rng.randrange(max(1, n - 4)) for _ in range(2))
    ]
    return {"doc_id": doc["doc_id"], "entities": ents, "events": events}


def flag_sets(corpus: str) -> list[tuple[list[str], str, ScoreOptions]]:
    out = []
    for mode in ev.MATCH_MODES:
        for skip_other in (False, True):
            for merge_gpe in (False, True):
                flags = ["--match", mode] + ["--skip-other"] * skip_other + ["--merge-gpe"] * merge_gpe
                out.append((flags, mode, ScoreOptions(skip_other=skip_other, merge_gpe=merge_gpe)))
    if corpus == "ecbplus":
        out += [
            (["--match", "overlap", "--ecb-ranges", r], "overlap", ScoreOptions(ecb_ranges=r))
            for r in ("annotated", "all")
        ]
    return out


CORPORA = ["wikievents", "rams", "meantime", "ecbplus"]


@needs_reference
@pytest.mark.parametrize("corpus", CORPORA)
def test_agrees_with_score_gold_on_dev_corpus(corpus, tmp_path):
    source = EVAL_DIR / f"{corpus}.dev.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} absent")
    rng = random.Random(corpus)
    docs = list(ev.load_jsonl(source, limit=25).values())
    gold = write_jsonl(tmp_path / "gold.jsonl", docs)
    preds = [perturb(d, rng) for d in docs[1:]]  # the first document has no prediction at all
    pred = write_jsonl(tmp_path / "pred.jsonl", preds)
    for flags, mode, opts in flag_sets(corpus):
        assert our_rows(gold, pred, mode, opts) == reference_rows(gold, pred, flags), flags


@needs_reference
def test_agrees_with_score_gold_on_hand_made_files(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [news_gold()])
    pred = write_jsonl(tmp_path / "pred.jsonl", [news_pred()])
    for flags, mode, opts in flag_sets("wikievents"):
        assert our_rows(gold, pred, mode, opts) == reference_rows(gold, pred, flags), flags


@needs_reference
def test_agrees_with_score_gold_on_baseline_predictions(baseline_preds, tmp_path):
    source = EVAL_DIR / "wikievents.dev.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} absent")
    doc = next(iter(ev.load_jsonl(source, limit=1).values()))
    gold = write_jsonl(tmp_path / "gold.jsonl", [doc])
    ner, lex = next(baselines.baseline_predictions([(doc["doc_id"], doc["text"])]))
    pred = write_jsonl(tmp_path / "pred.jsonl", [dict(ner, events=lex["events"])])
    for flags, mode, opts in flag_sets("wikievents"):
        assert our_rows(gold, pred, mode, opts) == reference_rows(gold, pred, flags), flags


def test_malformed_or_missing_files_are_input_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        ev.load_jsonl(bad)
    with pytest.raises(InputError):
        ev.evaluate_files(tmp_path / "absent.jsonl", bad)


# --------------------------------------------------------------------------- the quality report


@pytest.fixture(scope="module")
def quality():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "scripts" / "quality.py"
    spec = importlib.util.spec_from_file_location("quality_script", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module while being defined
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_quality_report_skips_absent_corpora(quality, tmp_path, capsys):
    out = tmp_path / "quality.md"
    assert quality.main(["--eval-dir", str(tmp_path), "--out", str(out)]) == 0
    assert "wikievents: skipped" in capsys.readouterr().err
    assert not out.exists()


def test_quality_table_rows(quality):
    gold = {"d1": news_gold()}
    full = ev.evaluate(gold, {"d1": news_pred()})
    typed7 = ev.evaluate(gold, {"d1": news_pred()}, match_modes=("exact",), options=ScoreOptions(skip_other=True))
    systems = quality.SYSTEMS
    run = quality.CorpusRun(
        "wikievents",
        1,
        {s: full for s in systems},
        {s: typed7 for s in systems},
        {s: quality.Runtime(2.0, 1.0) for s in systems},
        {},
    )
    lines = quality.table([run])
    assert lines[2].startswith("| wikievents (1 docs) | entity mentions F1, overlap | 0.667 | 0.667 | – |")
    assert any("trigger identification F1 | 0.800 | – | 0.800" in line for line in lines)
    assert lines[-1].endswith("| 1.0 s (2.0 s) | 1.0 s (2.0 s) | 1.0 s (2.0 s) |")
