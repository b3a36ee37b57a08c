"""Rules of the entity components on hand-built spaCy Docs (issue 14: metonyms, demonyms,
nominal and pronoun coreference, acronyms).  Every sentence is written for the test, its
parse given by hand, so each rule is tested without the statistical model; places and
actors are invented (Zorland, Velmora) unless the rule is about a real demonym."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span
from spacy.lang.en import English

from kgbuild.extract import register_extensions
from kgbuild.extract._entities.data import ActorTable
from kgbuild.extract._entities.nodes import DocEntities
from kgbuild.extract._entities.tokens import actor_use


VOCAB = English().vocab  # lexical attributes (lower_, like_num) of English


def make_doc(spec: str, ents: list[tuple[int, int, str]] = (), kb: dict[int, str] | None = None) -> Doc:
    """Tokens as 'word/POS/TAG/dep/head/lemma' (head: absolute index; lemma defaults to the
    lowercased word), one sentence per ROOT; ents as (start, end, label)."""
    words, pos, tags, deps, heads, lemmas = [], [], [], [], [], []
    for item in spec.split():
        parts = item.split("/")
        word, p, t, d, h = parts[:5]
        words.append(word)
        pos.append(p)
        tags.append(t)
        deps.append(d)
        heads.append(int(h))
        lemmas.append(parts[5] if len(parts) > 5 else word.lower())
    spaces = [True] * len(words)
    doc = Doc(VOCAB, words=words, spaces=spaces, pos=pos, tags=tags, deps=deps, heads=heads, lemmas=lemmas)
    doc.ents = [Span(doc, s, e, label=lab, kb_id=(kb or {}).get(s, "")) for s, e, lab in ents]
    return doc


def build(doc: Doc, actors: ActorTable | None = None):
    register_extensions()
    entities, _ = DocEntities(doc, actors or ActorTable()).build()
    return entities


def node_of(entities, text: str, start_char: int | None = None):
    for e in entities:
        for m in e.mentions:
            if m.text == text and (start_char is None or m.start == start_char):
                return e
    raise AssertionError(f"no mention {text!r}")


# ---------------------------------------------------------------------------
# Metonyms: a capital is its government only where an actor is wanted
# ---------------------------------------------------------------------------


def test_actor_use_of_a_name():
    # "Fighting in Zorgrad and Velmora continued ."
    doc = make_doc(
        "Fighting/NOUN/NN/nsubj/5 in/ADP/IN/prep/0 Zorgrad/PROPN/NNP/pobj/1 and/CCONJ/CC/cc/2 "
        "Velmora/PROPN/NNP/conj/2 continued/VERB/VBD/ROOT/5 ./PUNCT/./punct/5"
    )
    assert not actor_use(doc, 2, 3)
    assert not actor_use(doc, 4, 5)  # a conjunct of the locative object
    # "Zorgrad condemned the Zorgrad bus driver ."
    doc = make_doc(
        "Zorgrad/PROPN/NNP/nsubj/1 condemned/VERB/VBD/ROOT/1 the/DET/DT/det/5 Zorgrad/PROPN/NNP/compound/5 "
        "bus/NOUN/NN/compound/5 driver/NOUN/NN/dobj/1 ./PUNCT/./punct/1"
    )
    assert actor_use(doc, 0, 1)  # the subject: an actor is wanted
    assert not actor_use(doc, 3, 4)  # a modifier of a noun
    # "Velmora held talks with Zorgrad and warned Ostrel ."
    doc = make_doc(
        "Velmora/PROPN/NNP/nsubj/1 held/VERB/VBD/ROOT/1/hold talks/NOUN/NNS/dobj/1/talk with/ADP/IN/prep/2 "
        "Zorgrad/PROPN/NNP/pobj/3 and/CCONJ/CC/cc/1 warned/VERB/VBD/conj/1/warn Ostrel/PROPN/NNP/dobj/6 ./PUNCT/./punct/1"
    )
    assert actor_use(doc, 4, 5)
    assert actor_use(doc, 7, 8)  # the object of a speech verb


def test_actor_table_keeps_metonym_aliases_apart():
    table = ActorTable()
    table.add_rows(
        [
            {
                "id": "zorland",
                "label": "Zorland",
                "class": "State",
                "aliases": ["Republic of Zorland"],
                "metonym_aliases": ["Zorgrad", "Republic of Zorland"],
            }
        ]
    )
    assert table.lookup("Zorgrad").id == "zorland"
    assert "zorgrad" in table.metonyms
    assert "republic of zorland" not in table.metonyms  # a plain alias too: never a metonym only


def test_metonym_in_locative_use_is_not_the_state():
    table = ActorTable()
    table.add_rows([{"id": "zorland", "label": "Zorland", "class": "State", "metonym_aliases": ["Zorgrad"]}])
    # "Zorgrad said fighting in Zorgrad stopped ."
    doc = make_doc(
        "Zorgrad/PROPN/NNP/nsubj/1 said/VERB/VBD/ROOT/1/say fighting/NOUN/NN/nsubj/5/fighting in/ADP/IN/prep/2 "
        "Zorgrad/PROPN/NNP/pobj/3 stopped/VERB/VBD/ccomp/1/stop ./PUNCT/./punct/1",
        ents=[(0, 1, "GPE"), (4, 5, "GPE")],
    )
    entities = build(doc, table)
    assert node_of(entities, "Zorgrad", 0).key == "zorland"
    place = node_of(entities, "Zorgrad", doc[4].idx)
    assert place.key != "zorland" and place.coarse == "GPE"


# ---------------------------------------------------------------------------
# Demonyms: the state, never a place named after the adjective
# ---------------------------------------------------------------------------


def test_demonym_mislabelled_as_a_place_becomes_a_nationality():
    from kgbuild.extract._entities.ruler import demonyms_are_not_places

    # "Ukrainian drones hit a depot ." with the NER's guess GPE for "Ukrainian"
    doc = make_doc(
        "Ukrainian/ADJ/JJ/amod/1 drones/NOUN/NNS/nsubj/2/drone hit/VERB/VBD/ROOT/2 a/DET/DT/det/4 "
        "depot/NOUN/NN/dobj/2 ./PUNCT/./punct/2",
        ents=[(0, 1, "GPE")],
    )
    fixed = demonyms_are_not_places(doc, list(doc.ents))
    assert [e.label_ for e in fixed] == ["NORP"]
    doc.ents = fixed
    node = node_of(build(doc), "Ukrainian")
    assert node.cls == "State" and node.label == "Ukraine"


# ---------------------------------------------------------------------------
# Nominal coreference
# ---------------------------------------------------------------------------

ROADS = (
    "Jets/NOUN/NNS/nsubj/1/jet hit/VERB/VBD/ROOT/1 a/DET/DT/det/3 road/NOUN/NN/dobj/1 ./PUNCT/./punct/1 "
    "Later/ADV/RB/advmod/10 ,/PUNCT/,/punct/10 a/DET/DT/det/8 road/NOUN/NN/nsubjpass/10 was/AUX/VBD/auxpass/10/be "
    "hit/VERB/VBN/ROOT/10 again/ADV/RB/advmod/10 ./PUNCT/./punct/10 "
    "Crews/NOUN/NNS/nsubj/14/crew repaired/VERB/VBD/ROOT/14/repair the/DET/DT/det/16 road/NOUN/NN/dobj/14 ./PUNCT/./punct/14"
)


def test_repeated_indefinite_then_definite_is_one_referent():
    entities = build(make_doc(ROADS))
    roads = {e.key for e in entities if e.label.endswith("road")}
    assert len(roads) == 1
    assert len(node_of(entities, "the road").mentions) == 3


def test_another_road_is_a_second_referent():
    spec = ROADS.replace("a/DET/DT/det/8", "another/DET/DT/det/8")
    entities = build(make_doc(spec))
    assert node_of(entities, "another road").key != node_of(entities, "a road").key


def test_bare_conjunct_shares_the_article_of_its_first_conjunct():
    # "Jets hit a road . They hit a bridge and road ."
    doc = make_doc(
        "Jets/NOUN/NNS/nsubj/1/jet hit/VERB/VBD/ROOT/1 a/DET/DT/det/3 road/NOUN/NN/dobj/1 ./PUNCT/./punct/1 "
        "They/PRON/PRP/nsubj/6/they hit/VERB/VBD/ROOT/6 a/DET/DT/det/8 bridge/NOUN/NN/dobj/6 and/CCONJ/CC/cc/8 "
        "road/NOUN/NN/conj/8 ./PUNCT/./punct/6"
    )
    entities = build(doc)
    assert node_of(entities, "road", doc[10].idx).key == node_of(entities, "a road").key


def test_article_before_a_demonym_makes_the_noun_definite():
    # "Troops reached the Iraqi border . Refugees crossed the Iraqi border ."
    doc = make_doc(
        "Troops/NOUN/NNS/nsubj/1/troop reached/VERB/VBD/ROOT/1/reach the/DET/DT/det/4 Iraqi/ADJ/JJ/amod/4 "
        "border/NOUN/NN/dobj/1 ./PUNCT/./punct/1 Refugees/NOUN/NNS/nsubj/7/refugee crossed/VERB/VBD/ROOT/7/cross "
        "the/DET/DT/det/10 Iraqi/ADJ/JJ/amod/10 border/NOUN/NN/dobj/7 ./PUNCT/./punct/7",
        ents=[(3, 4, "NORP"), (9, 10, "NORP")],
    )
    entities = build(doc)
    borders = {e.key for e in entities if e.label.endswith("border")}
    assert len(borders) == 1


def test_the_town_of_x_is_x():
    # "Rebels seized the town of Velmora . The town was shelled ."
    doc = make_doc(
        "Rebels/NOUN/NNS/nsubj/1/rebel seized/VERB/VBD/ROOT/1/seize the/DET/DT/det/3 town/NOUN/NN/dobj/1 "
        "of/ADP/IN/prep/3 Velmora/PROPN/NNP/pobj/4 ./PUNCT/./punct/1 The/DET/DT/det/8 town/NOUN/NN/nsubjpass/10 "
        "was/AUX/VBD/auxpass/10/be shelled/VERB/VBN/ROOT/10/shell ./PUNCT/./punct/10",
        ents=[(5, 6, "GPE")],
    )
    entities = build(doc)
    velmora = node_of(entities, "Velmora")
    assert node_of(entities, "the town").key == velmora.key
    assert node_of(entities, "The town").key == velmora.key
    assert not [e for e in entities if e.label == "town"]


# ---------------------------------------------------------------------------
# Pronouns under reporting verbs, with agreement
# ---------------------------------------------------------------------------

REPORTED = (
    "The/DET/DT/det/2 Velm/PROPN/NNP/compound/2 Institute/PROPN/NNP/nsubj/3 counted/VERB/VBD/ROOT/3/count "
    "trucks/NOUN/NNS/dobj/3/truck ./PUNCT/./punct/3 "
    "Zorland/PROPN/NNP/nsubj/7 said/VERB/VBD/ROOT/7/say {pron}/PRON/PRP/nsubj/10/{pron} was/AUX/VBD/aux/10/be "
    "watching/VERB/VBG/ccomp/7/watch the/DET/DT/det/12 convoy/NOUN/NN/dobj/10 ./PUNCT/./punct/7"
)


def test_it_under_a_reporting_verb_is_the_reporter():
    doc = make_doc(REPORTED.format(pron="it"), ents=[(0, 3, "ORG"), (6, 7, "GPE")])
    entities = build(doc)
    assert node_of(entities, "it").key == node_of(entities, "Zorland").key


def test_reporter_who_disagrees_is_not_the_pronoun():
    doc = make_doc(REPORTED.format(pron="he"), ents=[(0, 3, "ORG"), (6, 7, "GPE")])
    entities = build(doc)
    assert node_of(entities, "he").key != node_of(entities, "Zorland").key


def test_they_under_a_reporting_verb_needs_a_group():
    # "The rebels said they would fight ."
    doc = make_doc(
        "The/DET/DT/det/1 rebels/NOUN/NNS/nsubj/2/rebel said/VERB/VBD/ROOT/2/say they/PRON/PRP/nsubj/5/they "
        "would/AUX/MD/aux/5 fight/VERB/VB/ccomp/2 ./PUNCT/./punct/2"
    )
    entities = build(doc)
    assert node_of(entities, "they").key == node_of(entities, "The rebels").key


# ---------------------------------------------------------------------------
# Acronyms named before their full name
# ---------------------------------------------------------------------------


def test_acronym_in_the_title_joins_the_full_name_in_the_body():
    from kgbuild.extract._entities.ruler import acronyms_of_names

    # "VLF fighters advance \n The Velmora Liberation Front took Ostrel ."
    doc = make_doc(
        "VLF/PROPN/NNP/compound/1 fighters/NOUN/NNS/nsubj/2/fighter advance/VERB/VBP/ROOT/2 "
        "The/DET/DT/det/6 Velmora/PROPN/NNP/compound/6 Liberation/PROPN/NNP/compound/6 Front/PROPN/NNP/nsubj/7 "
        "took/VERB/VBD/ROOT/7/take Ostrel/PROPN/NNP/dobj/7 ./PUNCT/./punct/7",
        ents=[(3, 7, "ORG"), (8, 9, "GPE")],
    )
    doc.ents = acronyms_of_names(doc, list(doc.ents))
    assert [(e.text, e.label_) for e in doc.ents][0] == ("VLF", "ORG")
    entities = build(doc)
    assert node_of(entities, "VLF").key == node_of(entities, "The Velmora Liberation Front").key


def test_acronym_named_first_by_the_ner_joins_the_organisation():
    # "VLF took Ostrel . The Velmora Liberation Front said so ."
    doc = make_doc(
        "VLF/PROPN/NNP/nsubj/1 took/VERB/VBD/ROOT/1/take Ostrel/PROPN/NNP/dobj/1 ./PUNCT/./punct/1 "
        "The/DET/DT/det/7 Velmora/PROPN/NNP/compound/7 Liberation/PROPN/NNP/compound/7 Front/PROPN/NNP/nsubj/8 "
        "said/VERB/VBD/ROOT/8/say so/ADV/RB/advmod/8 ./PUNCT/./punct/8",
        ents=[(0, 1, "ORG"), (2, 3, "GPE"), (4, 8, "ORG")],
    )
    entities = build(doc)
    assert node_of(entities, "VLF").key == node_of(entities, "The Velmora Liberation Front").key


@pytest.mark.parametrize("word", ["ANY", "THE"])
def test_capitalised_words_spelling_no_name_stay_untouched(word):
    from kgbuild.extract._entities.ruler import acronyms_of_names

    doc = make_doc(f"{word}/PROPN/NNP/nsubj/1 left/VERB/VBD/ROOT/1/leave ./PUNCT/./punct/1")
    assert acronyms_of_names(doc, list(doc.ents)) == []


def test_the_border_of_a_state_is_not_the_state():
    # "Troops reached the border of Zorland ."
    doc = make_doc(
        "Troops/NOUN/NNS/nsubj/1/troop reached/VERB/VBD/ROOT/1/reach the/DET/DT/det/3 border/NOUN/NN/dobj/1 "
        "of/ADP/IN/prep/3 Zorland/PROPN/NNP/pobj/4 ./PUNCT/./punct/1",
        ents=[(5, 6, "GPE")],
    )
    entities = build(doc)
    assert node_of(entities, "the border").key != node_of(entities, "Zorland").key


# ---------------------------------------------------------------------------
# Artifacts: products, vehicles and weapons are not organisations
# ---------------------------------------------------------------------------


def test_maker_and_model_code_are_one_product():
    from kgbuild.extract._entities.artifacts import model_numbers

    # "A Velmair 737-800 landed ." with the NER's ORG + CARDINAL
    doc = make_doc(
        "A/DET/DT/det/2 Velmair/PROPN/NNP/compound/2 737/NUM/CD/compound/2 -/PUNCT/HYPH/punct/4 "
        "800/NUM/CD/nsubj/5 landed/VERB/VBD/ROOT/5/land ./PUNCT/./punct/5"
    )
    doc = Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[True, True, False, False, True, False, False],
        pos=[t.pos_ for t in doc],
        tags=[t.tag_ for t in doc],
        deps=[t.dep_ for t in doc],
        heads=[t.head.i for t in doc],
        lemmas=[t.lemma_ for t in doc],
    )
    doc.ents = [Span(doc, 1, 2, label="ORG"), Span(doc, 2, 3, label="CARDINAL")]
    fixed = model_numbers(doc, list(doc.ents))
    assert [(e.text, e.label_) for e in fixed] == [("Velmair 737-800", "PRODUCT")]


def test_a_score_is_no_model_code():
    from kgbuild.extract._entities.artifacts import model_numbers

    # "Velmora 102 , Ostrel 99 ."
    doc = make_doc(
        "Velmora/PROPN/NNP/ROOT/0 102/NUM/CD/nummod/0 ,/PUNCT/,/punct/0 Ostrel/PROPN/NNP/appos/0 "
        "99/NUM/CD/nummod/3 ./PUNCT/./punct/0",
        ents=[(0, 1, "ORG"), (1, 2, "CARDINAL")],
    )
    assert [e.label_ for e in model_numbers(doc, list(doc.ents))] == ["ORG", "CARDINAL"]


def test_designation_before_a_vehicle_noun_is_a_vehicle():
    from kgbuild.extract._entities.artifacts import artifact_class, designations

    # "Two ZX-9 jets crossed ." (the designation glued to its hyphen and number)
    words = ["Two", "ZX", "-", "9", "jets", "crossed", "."]
    doc = Doc(
        VOCAB,
        words=words,
        spaces=[True, False, False, True, True, False, False],
        pos=["NUM", "PROPN", "PUNCT", "NUM", "NOUN", "VERB", "PUNCT"],
        tags=["CD", "NNP", "HYPH", "CD", "NNS", "VBD", "."],
        deps=["nummod", "compound", "punct", "compound", "nsubj", "ROOT", "punct"],
        heads=[4, 3, 3, 4, 5, 5, 5],
        lemmas=["two", "zx", "-", "9", "jet", "cross", "."],
    )
    doc.ents = [Span(doc, 0, 1, label="CARDINAL"), Span(doc, 1, 4, label="ORG")]
    fixed = designations(doc, list(doc.ents))
    product = [e for e in fixed if e.label_ == "PRODUCT"]
    assert [e.text for e in product] == ["ZX-9 jets"]
    assert artifact_class(product[0]) == "Vehicle"


def test_object_of_a_product_verb_is_a_product():
    from kgbuild.extract._entities.artifacts import objects_of_product_verbs

    # "Velmsoft released Skyline Pro ."
    doc = make_doc(
        "Velmsoft/PROPN/NNP/nsubj/1 released/VERB/VBD/ROOT/1/release Skyline/PROPN/NNP/compound/3 "
        "Pro/PROPN/NNP/dobj/1 ./PUNCT/./punct/1",
        ents=[(0, 1, "ORG"), (2, 4, "ORG")],
    )
    assert [e.label_ for e in objects_of_product_verbs(doc, list(doc.ents))] == ["ORG", "PRODUCT"]
