"""kgbuild_events on hand-made sentences, one construction each.

The sentences are written for these tests (not taken from any corpus).  They
run the bare spaCy pipeline and then `extract_events`, with the entity nodes
built by hand, so the tests do not depend on the entity component.
"""

from __future__ import annotations

import json

import pytest

from kgbuild.records import Article, Entity, Event, Mention
from tests.conftest import needs_model

pytestmark = needs_model

DATE = "2017-08-30"  # a Wednesday


def entity(text: str, surface: str, key: str, cls: str, coarse: str, occurrence: int = 0) -> Entity:
    """An entity node with one mention: the `occurrence`-th `surface` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    m = Mention(start, start + len(surface), surface, coarse, key, 0)
    return Entity(key, surface, cls, coarse, (m,))


def run(nlp, text: str, entities=(), date: str | None = DATE) -> list[Event]:
    from kgbuild.extract.events import extract_events

    doc = nlp(text)
    doc._.kg_article = Article("t", text, date=date)
    doc._.kg_entities = [entity(text, *e) for e in entities]
    return extract_events(doc)


def one(events: list[Event], trigger: str) -> Event:
    found = [e for e in events if e.trigger.text == trigger]
    assert len(found) == 1, [(e.trigger.text, e.cls) for e in events]
    return found[0]


def roles(event: Event, role: str) -> list[str]:
    return [a.text for a in event.arguments if a.role == role]


# ---------------------------------------------------------------- lexicon data


def test_every_trigger_class_is_in_the_hierarchy():
    from kgbuild.extract.events import DATA, load_lexicon

    lex = load_lexicon()
    classes = json.loads((DATA / "event_types.json").read_text())["classes"]
    for line in (DATA / "triggers.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        targets = cols[2].split("|") if cols[1] == "LIGHT" else [cols[2]]
        for t in targets:
            assert t == "*" or t in classes, line
    coarse = {
        "Attack",
        "Offensive/Battle",
        "Killing/Death",
        "Evacuation/Transport",
        "Agreement/Deal",
        "Negotiation",
        "Statement/Criticism",
        "Protest",
        "Arrest",
        "Other",
    }
    for name, spec in classes.items():
        assert name[0].isupper() and name.isalnum(), name
        assert spec["coarse"] in coarse
        assert spec["parent"] is None or spec["parent"] in classes
        assert lex.types[name].ancestors[-1] == "Event"  # no cycles, one root


def test_codes_are_inherited_from_the_nearest_ancestor():
    from kgbuild.extract.events import load_lexicon

    types = load_lexicon().types
    assert types["Airstrike"].cameo == "195"
    assert types["Airstrike"].acled == "Explosions/Remote violence / Air/drone strike"
    assert types["EvacuationDeal"].cameo == "057"
    assert types["Accusation"].plover == "DISAPPROVE"
    assert types["Death"].cameo is None  # no codebook category for a natural death


# ---------------------------------------------------------------- constructions


def test_passive_with_by_agent_place_and_weekday(nlp):
    text = "Three soldiers were killed by gunmen in Mosul on Monday."
    ev = one(run(nlp, text, [("Mosul", "mosul", "PopulatedPlace", "GPE")]), "killed")
    assert ev.cls == "Killing" and ev.coarse == "Killing/Death"
    assert roles(ev, "target") == ["Three soldiers"]
    assert roles(ev, "agent") == ["gunmen"]
    assert roles(ev, "place") == ["Mosul"]
    assert [a.entity for a in ev.arguments if a.role == "place"] == ["mosul"]
    assert ev.date == "2017-08-28" and ev.date_precision == "day"
    assert ev.modality == "asserted"


def test_passive_block_is_not_inverted(nlp):
    ev = one(run(nlp, "The convoy was blocked by the rebels near the border."), "blocked")
    assert ev.cls == "Blockade" and ev.cameo == "191"
    assert roles(ev, "target") == ["convoy"]
    assert roles(ev, "agent") == ["rebels"]


def test_light_verb_gives_one_event_typed_by_its_noun(nlp):
    text = "Russian planes launched airstrikes on a bridge near Raqqa."
    events = run(nlp, text, [("Russian", "russia", "State", "GPE"), ("Raqqa", "raqqa", "PopulatedPlace", "GPE")])
    assert [e.trigger.text for e in events] == ["airstrikes"]
    ev = events[0]
    assert ev.cls == "Airstrike" and ev.cameo == "195"
    assert roles(ev, "instrument") == ["Russian planes"]
    assert "Russian" in roles(ev, "agent")
    assert roles(ev, "target") == ["bridge"]
    assert roles(ev, "place") == ["Raqqa"]


def test_struck_a_deal_is_an_agreement_not_an_attack(nlp):
    text = "The rebels struck a deal with the government on Sunday."
    events = run(
        nlp,
        text,
        [("rebels", "rebels", "ArmedGroup", "ORGANIZATION"), ("government", "gov", "GovernmentBody", "ORGANIZATION")],
    )
    assert [(e.trigger.text, e.cls) for e in events] == [("deal", "Agreement")]
    ev = events[0]
    assert roles(ev, "agent") == ["rebels"]
    assert roles(ev, "other") == ["government"]
    assert ev.date == "2017-08-27"


def test_carry_out_strikes_future(nlp):
    ev = one(run(nlp, "The coalition will carry out more strikes against the militants."), "strikes")
    assert ev.cls == "Attack"
    assert ev.modality == "future"
    assert roles(ev, "agent") == ["coalition"]
    assert roles(ev, "target") == ["militants"]


def test_nominal_trigger_with_of_phrase_and_casualty_count(nlp):
    events = run(nlp, "The bombing of the market killed 12 people.")
    bombing = one(events, "bombing")
    assert bombing.cls == "Bombing"
    assert roles(bombing, "target") == ["market"]
    killing = one(events, "killed")
    assert roles(killing, "target") == ["12 people"]


def test_casualties_as_participle(nlp):
    ev = one(run(nlp, "Police found the bodies of eight troops murdered by the group."), "murdered")
    assert ev.cls == "Killing"
    assert roles(ev, "target") == ["eight troops"]


def test_negation(nlp):
    ev = one(run(nlp, "The army did not attack the village."), "attack")
    assert ev.modality == "negated"
    assert roles(ev, "target") == ["village"]


def test_conditional(nlp):
    events = run(nlp, "If the fighters return, we will strike them again.")
    assert one(events, "strike").modality == "conditional"


def test_reported_by_a_reporting_verb(nlp):
    text = "The ministry said the militants attacked a checkpoint."
    events = run(nlp, text, [("The ministry", "ministry", "GovernmentBody", "ORGANIZATION")])
    said = one(events, "said")
    assert said.modality == "asserted"  # the statement itself happened
    assert [a.entity for a in said.arguments if a.role == "agent"] == ["ministry"]
    attack = one(events, "attacked")
    assert attack.modality == "reported"
    assert roles(attack, "agent") == ["militants"]


def test_anonymous_attribution_is_not_a_statement_event(nlp):
    events = run(nlp, "Officials said the militants attacked a checkpoint.")
    assert [e.trigger.text for e in events] == ["attacked"]
    assert events[0].modality == "reported"


def test_quote_attributed_to_its_speaker(nlp):
    text = '"We destroyed the bridge," the spokesman told reporters.'
    events = run(
        nlp,
        text,
        [("the spokesman", "spokesman", "Person", "PERSON"), ("reporters", "reporters", "PeopleGroup", "PERSON")],
    )
    told = one(events, "told")
    assert told.cls == "Statement" and told.coarse == "Statement/Criticism"
    assert told.quote == "We destroyed the bridge"
    assert [a.entity for a in told.arguments if a.role == "agent"] == ["spokesman"]
    assert [a.fine_role for a in told.arguments if a.role == "agent"] == ["speaker"]
    assert roles(told, "target") == ["reporters"]
    assert one(events, "destroyed").modality == "reported"


def test_pronoun_speaker_resolves_through_the_entity_mention(nlp):
    text = 'The minister arrived late. "This is a crime," she said.'
    # the entity component links "she" to the minister: a second mention of the same node
    ents = [("The minister", "minister", "Person", "PERSON")]
    from kgbuild.extract.events import extract_events

    doc = nlp(text)
    doc._.kg_article = Article("t", text, date=DATE)
    node = entity(text, *ents[0])
    she = text.index("she")
    node = Entity(
        node.key,
        node.label,
        node.cls,
        node.coarse,
        node.mentions + (Mention(she, she + 3, "she", "PERSON", "minister", 1, "pronoun"),),
    )
    doc._.kg_entities = [node]
    said = one(extract_events(doc), "said")
    assert [a.entity for a in said.arguments if a.role == "agent"] == ["minister"]
    assert said.quote == "This is a crime"


def test_criticism_from_harsh_description(nlp):
    ev = one(run(nlp, 'The prime minister described the agreement as "unacceptable".'), "described")
    assert ev.cls == "Criticism" and ev.cameo == "111"
    assert ev.quote == "unacceptable"


def test_between_phrase_gives_both_parties(nlp):
    text = "A ceasefire deal between Russia and Turkey took effect."
    ents = [("Russia", "russia", "State", "GPE"), ("Turkey", "turkey", "State", "GPE")]
    events = run(nlp, text, ents)
    ev = next(e for e in events if e.coarse == "Agreement/Deal")
    assert sorted(a.entity for a in ev.arguments if a.role == "other") == ["russia", "turkey"]


def test_coordinated_targets(nlp):
    ev = one(run(nlp, "Jets bombed a road and a bridge."), "bombed")
    assert ev.cls == "Airstrike"  # the attacker is an aircraft
    assert roles(ev, "target") == ["road", "bridge"]
    assert roles(ev, "instrument") == ["Jets"]


def test_hearsay_passive_is_not_a_statement(nlp):
    events = run(nlp, "The deal is said to have been struck last week.")
    assert [e.cls for e in events] == ["Agreement"]
    assert events[0].modality == "reported"


def test_movement_origin_and_destination(nlp):
    text = "Hundreds of fighters were evacuated from Arsal to Idlib."
    ents = [("Arsal", "arsal", "PopulatedPlace", "GPE"), ("Idlib", "idlib", "PopulatedPlace", "GPE")]
    ev = one(run(nlp, text, ents), "evacuated")
    assert ev.cls == "Evacuation"
    assert roles(ev, "target") == ["fighters"]
    assert {(a.text, a.fine_role) for a in ev.arguments if a.role == "place"} == {
        ("Arsal", "origin"),
        ("Idlib", "destination"),
    }


def test_an_event_without_its_own_time_gets_no_date(nlp):
    ev = one(run(nlp, "Gunmen attacked a police station."), "attacked")
    assert ev.date is None and ev.date_precision is None


def test_events_are_ordered_and_keyed_by_trigger_span(nlp):
    events = run(nlp, "Rebels shelled the city and killed two civilians. The army retaliated with airstrikes.")
    starts = [e.trigger.start for e in events]
    assert starts == sorted(starts)
    assert all(e.key == f"{e.trigger.start}-{e.trigger.end}" for e in events)
    assert all(e.cameo for e in events if e.coarse != "Other")


@pytest.mark.parametrize("text", ["", " ", "Attack", "!!!", "\n\n\n", '"', "said said said", "The the the."])
def test_odd_input_never_crashes(nlp, text):
    events = run(nlp, text, date=None)
    assert isinstance(events, list)


def test_prevented_movement_is_negated(nlp):
    events = run(nlp, "Airstrikes prevented the convoy from reaching the border.")
    assert one(events, "prevented").cls == "Blockade"
    reaching = one(events, "reaching")
    assert reaching.modality == "negated"
    assert {(a.text, a.fine_role) for a in reaching.arguments if a.role == "place"} == {("border", "destination")}


def test_speech_participle_adds_the_addressee(nlp):
    text = '"Our fight is one," the leader said, addressing foreign officials.'
    events = run(nlp, text)
    assert [e.trigger.text for e in events if e.coarse == "Statement/Criticism"] == ["said"]
    said = one(events, "said")
    assert roles(said, "target") == ["foreign officials"]
    assert said.quote == "Our fight is one"


def test_random_text_never_crashes(nlp):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(
        [
            "the",
            "army",
            "said",
            '"',
            "attacked",
            "no",
            "if",
            "will",
            "\n",
            "on",
            "Monday",
            "deal",
            "between",
            "and",
            ",",
            ".",
            "IS",
            "killed",
            "by",
            "from",
            "to",
        ]
    )

    @settings(max_examples=40, deadline=None)
    @given(st.lists(words, max_size=30))
    def check(tokens):
        events = run(nlp, " ".join(tokens))
        assert [e.trigger.start for e in events] == sorted(e.trigger.start for e in events)

    check()


# ---------------------------------------------------------------- mentions that do not report an occurrence


def test_kind_modifier_is_not_an_event_but_a_violent_incident_is(nlp):
    text = (
        "Prosecutors opened a terrorism investigation after the harbour bombing suspect was seen on surveillance video."
    )
    events = run(nlp, text)
    triggers = {e.trigger.text for e in events}
    assert "terrorism" not in triggers and "surveillance" not in triggers, triggers
    assert "bombing" in triggers, triggers  # "the harbour bombing suspect" still refers to one attack


def test_heading_and_list_lines_are_not_event_mentions(nlp):
    text = (
        "Rebels shelled the northern district on Monday.\n"
        "Earlier bombings\n"
        "* 2015 market bombing\n"
        "The shelling killed two people, officials said."
    )
    events = run(nlp, text)
    triggers = [e.trigger.text for e in events]
    assert "bombings" not in triggers and "bombing" not in triggers, triggers
    assert "shelled" in triggers and "killed" in triggers, triggers


def test_a_verbless_title_keeps_its_event(nlp):
    text = "Car bomb blast in the capital\nA car bomb exploded outside the ministry on Monday."
    triggers = [e.trigger.text.lower() for e in run(nlp, text)]
    assert any("blast" in t for t in triggers), triggers


# ---------------------------------------------------------------- per-document indexes


def test_document_indexes_agree_with_direct_scans(nlp):
    """The indexes that keep one long sentence linear answer as the scans they replace."""
    from kgbuild.extract._events.context import build_ctx, tokens_cross_line, lemma_of, subtree_has
    from kgbuild.extract._events.triggers import _heading_line

    text = (
        "Drone strikes near Mosul\n"
        '"We will not leave," the commander said in Kabul, as US jets bombed a convoy near Raqqa '
        + " ".join(["and the talks went on in Geneva"] * 20)
        + '.\nEarlier bombings\nRebels said "no" and "never" on Monday.'
    )
    doc = nlp(text)
    doc._.kg_article = Article("t", text, date=DATE)
    doc._.kg_entities = [
        entity(text, "Mosul", "mosul", "PopulatedPlace", "LOCATION"),
        entity(text, "Kabul", "kabul", "PopulatedPlace", "LOCATION"),
    ]
    ctx = build_ctx(doc)
    assert len(ctx.quotes) == 3
    for tok in doc:
        scan = [m for m in ctx.mentions if m[0] <= tok.idx < m[1]]
        assert ctx.mention_at(tok) == min(scan, key=lambda m: m[1] - m[0], default=None)
        assert ctx.in_quote(tok.idx) == any(a <= tok.idx < b for a, b in ctx.quotes)
        assert ctx.sent_of(tok) == tok.sent
        assert _heading_line(tok, ctx) == _heading_line(tok)
        for cue in ("drones", "aircraft"):
            cues = ctx.lex.cues.get(cue, frozenset())
            direct = any(lemma_of(x) in cues for c in tok.children for x in c.subtree if x.i < tok.i + 12)
            assert subtree_has(ctx, tok, cue) == direct
        for other in (doc[0], doc[len(doc) // 2], doc[-1]):
            lo, hi = sorted((tok.i, other.i))
            assert (
                ctx.crosses_line(tok.i, other.i)
                == tokens_cross_line(doc, tok, other)
                == any("\n" in doc[i].text_with_ws for i in range(lo, hi))
            )


def test_killed_on_a_place_is_the_place_not_the_target(nlp):
    events = run(nlp, "Two guards were killed on the bridge near Varno. The militia struck the bridge on Monday.")
    killed = one(events, "killed")
    assert "bridge" in " ".join(roles(killed, "place")) and not any("bridge" in t for t in roles(killed, "target"))
    assert "bridge" in " ".join(roles(one(events, "struck"), "target"))


def test_relative_pronoun_stands_for_the_noun_it_modifies(nlp):
    text = "Gunmen ambushed soldiers who were driving to meet the envoy."
    meet = one(run(nlp, text, [("soldiers", "soldiers", "ArmedForces", "ORGANIZATION")]), "meet")
    agents = [a for a in meet.arguments if a.role == "agent"]
    assert agents and agents[0].entity == "soldiers", meet.arguments


def test_an_offensive_on_a_frontier_happens_there(nlp):
    ev = one(run(nlp, "The offensive on the northern frontier began in May."), "offensive")
    assert roles(ev, "place") and "frontier" in roles(ev, "place")[0]
    assert not any("frontier" in t for t in roles(ev, "target"))


def test_prevented_from_moving_is_said_of_the_object(nlp):
    ev = one(run(nlp, "Air strikes prevented the convoy from reaching the border."), "reaching")
    assert roles(ev, "target") == ["convoy"] or "convoy" in " ".join(roles(ev, "target") + roles(ev, "agent"))
    assert not any("strikes" in a for a in roles(ev, "target") + roles(ev, "agent"))


def test_an_attack_named_as_subject_is_the_means_not_the_agent(nlp):
    ev = one(run(nlp, "The bombing killed two guards at the gate."), "killed")
    assert "bombing" in " ".join(roles(ev, "instrument")) and not roles(ev, "agent")


def test_a_headline_repeated_word_for_word_reports_its_events_once(nlp):
    head = "Rebels shelled the port of Kessa overnight, officials say."
    events = run(nlp, f"{head} {head} The port was closed on Monday.")
    assert [e.trigger.text for e in events].count("shelled") == 1
