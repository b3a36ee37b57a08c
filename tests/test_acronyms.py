"""All-caps names spelt like function words ("IS", "WHO") are parsed as names (kgbuild/extract/acronyms.py).

Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.conftest import needs_model


@pytest.fixture(scope="module")
def nlp():
    from kgbuild.nlp import load_pipeline

    return load_pipeline()


def blank_doc(text: str):
    import spacy

    return spacy.blank("en").make_doc(text)


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("Drones struck IS fighters near the river.", 2, True),
        ("A WHO report said cases rose.", 1, True),
        ("THIS IS IT, THE HEADLINE SAID", 1, False),  # all caps: the verb
        ("The rally began at 10 AM sharp.", 6, False),  # a time of day
        ("NATO troops moved in.", 0, False),  # not a function word: the model knows it as a name
        ("Is this the end?", 0, False),  # not all caps
    ],
)
def test_which_tokens_are_acronym_collisions(text, index, expected):
    from kgbuild.extract.acronyms import is_acronym_collision

    assert is_acronym_collision(blank_doc(text), index) is expected


@needs_model
def test_the_parser_reads_is_as_a_name_and_norms_are_restored(nlp):
    doc = nlp("Jets struck IS fighters who were heading to the border.")
    is_tok = doc[2]
    assert is_tok.dep_ != "ROOT" and is_tok.head.text == "fighters", [(t.text, t.dep_, t.head.text) for t in doc]
    assert doc[3].dep_ == "dobj" and doc[3].head.text == "struck"
    assert is_tok.norm_ == "is"  # the NER model and later components see the default NORM
    assert "kgbuild_acronym_norms" not in doc.user_data


@needs_model
def test_strikes_on_is_get_their_target():
    from kgbuild.run.pipeline import extract
    from kgbuild.records import Article

    text = "The coalition has launched dozens of air strikes on IS since March."
    (ex,) = list(extract([Article(doc_id="t", text=text)]))
    strikes = [e for e in ex.events if "strikes" in e.trigger.text]
    assert strikes and "IS" in [a.text for a in strikes[0].arguments if a.role == "target"]
