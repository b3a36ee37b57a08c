"""Argument roles of talks: every party of a meeting or negotiation is an agent (ACE Meet Entity,
KAIROS Contact.Meet Participant); a deal's other party stays "other".  Hand-written sentences."""

from __future__ import annotations

from tests.conftest import needs_model
from tests.test_events import one, roles, run

pytestmark = needs_model


def test_met_with_party_is_an_agent(nlp):
    text = "The Norwegian envoy met with the Colombian foreign minister in Oslo on Tuesday."
    ev = one(run(nlp, text, [("Colombian foreign minister", "min", "Person", "PERSON")]), "met")
    assert "Norwegian envoy" in roles(ev, "agent")
    assert "Colombian foreign minister" in roles(ev, "agent")
    assert roles(ev, "other") == []


def test_talks_between_parties_are_agents(nlp):
    text = "Talks between Armenia and Azerbaijan resumed in Geneva last week."
    events = run(nlp, text, [("Armenia", "arm", "Country", "GPE"), ("Azerbaijan", "aze", "Country", "GPE")])
    ev = one(events, "Talks")
    assert "Armenia" in roles(ev, "agent")
    assert roles(ev, "other") == []


def test_meeting_with_people_at_a_venue(nlp):
    ev = one(run(nlp, "The senator held a meeting with farmers at the town hall."), "meeting")
    assert "farmers" in roles(ev, "agent")
    assert roles(ev, "place") == ["town hall"]


def test_rally_at_a_monument_has_a_place(nlp):
    ev = one(run(nlp, "Supporters rallied at the monument on Sunday."), "rallied")
    assert roles(ev, "place") == ["monument"]


def test_resultative_dead_names_the_object_not_the_subject(nlp):
    ev = one(run(nlp, "The bombing left five soldiers dead."), "dead")
    assert roles(ev, "target") == ["five soldiers"]


def test_found_dead_small_clause_subject_is_the_victim(nlp):
    ev = one(run(nlp, "Police found the driver dead in his car."), "dead")
    assert roles(ev, "target") == ["driver"]
