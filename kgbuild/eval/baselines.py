"""Two deliberately bare baselines that kgbuild's extraction must beat.

* NER baseline: the statistical spaCy NER, its labels mapped to the seven
  coarse entity types; a node is every mention with the same type and
  normalised text (what a naive graph built from NER alone would show).
* Lexicon baseline: a fixed word list over spaCy lemmas
  (kgbuild/data/baseline_triggers.tsv) for event triggers, plus the obvious
  dependency arguments (subject = agent, object = target, a place or date
  in a prepositional phrase = place/time).

Both run on ONE pass of the bare spaCy pipeline (no kgbuild component), so the
quality report measures them in the same run as kgbuild at the cost of a
single extra parse.  They output the gold JSON-lines format, like
`annotations.jsonl`, and are scored by kgbuild.eval.evaluate the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..nlp import DEFAULT_MODEL, load_model

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# spaCy (OntoNotes) label -> coarse type.  NORP ("Russian", "Kurdish", "Islamist")
# goes to GPE: in news it is mostly a nationality adjective, which ACE-style
# annotation (and kgbuild's ontology) treats as a reference to the country.
SPACY_TO_COARSE: Mapping[str, str] = {
    "PERSON": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "GPE",
    "NORP": "GPE",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "DATE": "DATE",
    "TIME": "DATE",
    "CARDINAL": "QUANTITY",
    "QUANTITY": "QUANTITY",
    "MONEY": "QUANTITY",
    "PERCENT": "QUANTITY",
}
TRIGGER_POS = frozenset({"VERB", "NOUN"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
TIME_LABELS = frozenset({"DATE", "TIME"})
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "into"})
TIME_PREPS = frozenset({"on", "in", "during", "since", "after", "before", "at"})
NER_SYSTEM = "spaCy NER baseline"
LEXICON_SYSTEM = "lexicon baseline"


def coarse_type(label: str) -> str:
    """The coarse entity type of a spaCy NER label (unknown labels: OTHER)."""
    return SPACY_TO_COARSE.get(label, "OTHER")


def load_trigger_lexicon(path: str | Path | None = None) -> dict[str, str]:
    """lemma -> coarse event type from a two-column TSV ('#' starts a comment)."""
    if path is None:
        text = resources.files("kgbuild.data").joinpath("baseline_triggers.tsv").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    lexicon: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, etype = line.split("\t")[:2]
            lexicon[lemma.strip().lower()] = etype.strip()
    return lexicon


# --------------------------------------------------------------------------- NER baseline


def _node_key(coarse: str, text: str) -> str:
    """Naive node identity: type + lower-cased text without article or possessive."""
    norm = re.sub(r"^(the|a|an)\s+", "", text.lower().strip())
    norm = re.sub(r"\s*['’]s$", "", norm)
    return f"{coarse}:{' '.join(norm.split())}"


def ner_prediction(doc: "Doc", doc_id: str) -> dict:
    """Gold-format prediction holding spaCy's entities only."""
    entities = []
    for i, ent in enumerate(doc.ents):
        coarse = coarse_type(ent.label_)
        entities.append(
            {
                "id": f"m{i}",
                "start": ent.start_char,
                "end": ent.end_char,
                "text": ent.text,
                "type": coarse,
                "cluster": _node_key(coarse, ent.text),
                "kind": "name",
                "source_type": ent.label_,
            }
        )
    return {"doc_id": doc_id, "entities": entities, "events": [], "relations": []}


# --------------------------------------------------------------------------- lexicon baseline


def _phrase(token: "Token") -> "Span":
    """The token with its left modifiers ("the three soldiers"), not its clauses."""
    return token.doc[token.left_edge.i : token.i + 1]


def _argument(role: str, token: "Token") -> dict:
    span = _phrase(token)
    return {
        "role": role,
        "start": span.start_char,
        "end": span.end_char,
        "text": span.text,
        "entity_id": None,
    }


def _ent_label(token: "Token") -> str:
    return token.ent_type_ or ""


def _prep_argument(prep: "Token") -> dict | None:
    """A place or time in a prepositional phrase, judged by the NER label of its object."""
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        word = prep.lower_
        if word in PLACE_PREPS and _ent_label(obj) in PLACE_LABELS:
            return _argument("place", obj)
        if word in TIME_PREPS and _ent_label(obj) in TIME_LABELS:
            return _argument("time", obj)
    return None


def trigger_arguments(trigger: "Token") -> list[dict]:
    """Arguments from direct dependents only: the syntactic floor."""
    args = []
    for child in trigger.children:
        dep = child.dep_
        if dep == "nsubj" or (dep == "poss" and trigger.pos_ == "NOUN"):
            args.append(_argument("agent", child))
        elif dep in ("dobj", "nsubjpass"):
            args.append(_argument("target", child))
        elif dep == "agent":  # "killed by gunmen"
            args += [_argument("agent", g) for g in child.children if g.dep_ == "pobj"]
        elif dep == "prep":
            arg = _prep_argument(child)
            if arg:
                args.append(arg)
    return args


def lexicon_prediction(doc: "Doc", doc_id: str, lexicon: Mapping[str, str]) -> dict:
    """Gold-format prediction holding lexicon-triggered events only."""
    events: list[dict] = []
    for tok in doc:
        etype = lexicon.get(tok.lemma_.lower()) if tok.pos_ in TRIGGER_POS else None
        if etype is None:
            continue
        events.append(
            {
                "id": f"e{len(events)}",
                "trigger": {"start": tok.idx, "end": tok.idx + len(tok.text), "text": tok.text},
                "type": etype,
                "arguments": trigger_arguments(tok),
            }
        )
    return {"doc_id": doc_id, "entities": [], "events": events, "relations": []}


# --------------------------------------------------------------------------- driver


def baseline_predictions(
    texts: Iterable[tuple[str, str]],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 32,
    n_process: int = 1,
    lexicon: Mapping[str, str] | None = None,
) -> Iterator[tuple[dict, dict]]:
    """(NER prediction, lexicon prediction) for each (doc_id, text), in input order."""
    nlp = load_model(model)
    lexicon = load_trigger_lexicon() if lexicon is None else lexicon
    pairs = ((text, doc_id) for doc_id, text in texts)
    for doc, doc_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield ner_prediction(doc, doc_id), lexicon_prediction(doc, doc_id, lexicon)
