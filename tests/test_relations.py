"""kgbuild_relations on hand-made sentences: actor-to-actor edges with evidence.

Entity nodes are built by hand (as the entity component would), events come
from kgbuild_events on the bare spaCy parse.
"""

from __future__ import annotations

from kgbuild.records import Article, Entity, Mention, Relation
from tests.conftest import needs_model

pytestmark = needs_model

DATE = "2017-08-30"


def node(text: str, key: str, cls: str, coarse: str, *surfaces: str) -> Entity:
    """One entity with a mention for every occurrence of each surface form."""
    mentions = []
    for surface in surfaces:
        start = text.find(surface)
        while start >= 0:
            mentions.append(Mention(start, start + len(surface), surface, coarse, key, 0))
            start = text.find(surface, start + 1)
    return Entity(key, surfaces[0], cls, coarse, tuple(sorted(mentions, key=lambda m: m.start)))


def edges(nlp, text: str, entities: list[Entity], existing: list[Relation] | None = None) -> set[tuple[str, str, str]]:
    from kgbuild.extract.events import extract_events
    from kgbuild.extract.relations import RelationExtractor

    doc = nlp(text)
    doc._.kg_article = Article("t", text, date=DATE)
    doc._.kg_entities = entities
    doc._.kg_events = extract_events(doc)
    doc._.kg_relations = list(existing or [])
    doc = RelationExtractor()(doc)
    for r in doc._.kg_relations:
        assert text[r.start : r.end]  # every edge carries its evidence span
        assert 0 < r.confidence <= 1
    return {(r.subject, r.predicate, r.object) for r in doc._.kg_relations}


def test_asserted_attack_gives_struck_and_opposes(nlp):
    text = "Rebel fighters attacked an army checkpoint and the Syrian army."
    ents = [
        node(text, "rebels", "ArmedGroup", "ORGANIZATION", "Rebel fighters"),
        node(text, "checkpoint", "Facility", "LOCATION", "an army checkpoint"),
        node(text, "syrian-army", "MilitaryForce", "ORGANIZATION", "the Syrian army"),
    ]
    got = edges(nlp, text, ents)
    assert ("rebels", "struck", "checkpoint") in got
    assert ("rebels", "struck", "syrian-army") in got
    assert ("rebels", "opposes", "syrian-army") in got
    assert ("rebels", "opposes", "checkpoint") not in got  # a facility is struck, not opposed


def test_conditional_and_future_attacks_give_no_edges(nlp):
    text = "If the militants return, the coalition will strike the militants."
    ents = [
        node(text, "militants", "ArmedGroup", "ORGANIZATION", "the militants"),
        node(text, "coalition", "ArmedGroup", "ORGANIZATION", "the coalition"),
    ]
    got = edges(nlp, text, ents)
    assert not {e for e in got if e[1] in ("struck", "opposes")}


def test_people_of_a_group_extend_opposition_to_the_group(nlp):
    text = "Coalition jets hit Taliban fighters near Kandahar."
    ents = [
        node(text, "coalition", "ArmedGroup", "ORGANIZATION", "Coalition"),
        node(text, "taliban", "ArmedGroup", "ORGANIZATION", "Taliban"),
        node(text, "fighters", "PeopleGroup", "PERSON", "fighters"),
        node(text, "kandahar", "PopulatedPlace", "GPE", "Kandahar"),
    ]
    got = edges(nlp, text, ents)
    assert ("coalition", "struck", "fighters") in got
    assert ("coalition", "opposes", "taliban") in got


def test_offensive_against_and_criticism(nlp):
    text = "Hezbollah launched an offensive against ISIS. Iraq condemned Hezbollah."
    ents = [
        node(text, "hezbollah", "ArmedGroup", "ORGANIZATION", "Hezbollah"),
        node(text, "isis", "ArmedGroup", "ORGANIZATION", "ISIS"),
        node(text, "iraq", "State", "GPE", "Iraq"),
    ]
    got = edges(nlp, text, ents)
    assert ("hezbollah", "opposes", "isis") in got
    assert ("iraq", "opposes", "hezbollah") in got


def test_deal_between_parties_is_negotiated_once_in_canonical_order(nlp):
    text = "An evacuation deal was struck between Hezbollah and ISIS."
    ents = [
        node(text, "hezbollah", "ArmedGroup", "ORGANIZATION", "Hezbollah"),
        node(text, "isis", "ArmedGroup", "ORGANIZATION", "ISIS"),
    ]
    got = edges(nlp, text, ents)
    assert ("hezbollah", "negotiatedWith", "isis") in got
    assert ("isis", "negotiatedWith", "hezbollah") not in got


def test_supports_from_backing_and_aiding(nlp):
    text = "The United States is backing Kurdish fighters and has aided the Iraqi army."
    ents = [
        node(text, "usa", "State", "GPE", "The United States"),
        node(text, "kurds", "ArmedGroup", "ORGANIZATION", "Kurdish fighters"),
        node(text, "iraqi-army", "MilitaryForce", "ORGANIZATION", "the Iraqi army"),
    ]
    got = edges(nlp, text, ents)
    assert ("usa", "supports", "kurds") in got
    assert ("usa", "supports", "iraqi-army") in got


def test_located_in_from_country_adjective_and_prepositions(nlp):
    text = "Fighters reached the Syrian town of Mayadin. A bridge in Syria was destroyed."
    ents = [
        node(text, "syria", "State", "GPE", "Syrian", "Syria"),
        node(text, "mayadin", "PopulatedPlace", "GPE", "Mayadin"),
        node(text, "bridge", "Facility", "LOCATION", "A bridge"),
    ]
    got = edges(nlp, text, ents)
    assert ("mayadin", "locatedIn", "syria") in got
    assert ("bridge", "locatedIn", "syria") in got


def test_existing_title_relations_are_kept(nlp):
    text = "Colonel Smith, the coalition spokesman, said nothing."
    ents = [
        node(text, "smith", "Person", "PERSON", "Colonel Smith"),
        node(text, "coalition", "ArmedGroup", "ORGANIZATION", "coalition"),
    ]
    title = Relation("smith", "spokespersonOf", "coalition", 0, len(text), 0, "kgbuild_entities")
    got = edges(nlp, text, ents, [title])
    assert ("smith", "spokespersonOf", "coalition") in got


def test_no_entities_no_edges(nlp):
    assert edges(nlp, "Somebody attacked something yesterday.", []) == set()
    assert edges(nlp, "", []) == set()
