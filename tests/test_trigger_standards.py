"""Trigger rows grounded in the annotation standards (issue 14, M2E2 round 2).

ACE 2005 (and ERE, KAIROS after it) code a visit as Movement.Transport of the visitor, visiting
a person as Contact.Meet, a news conference as Contact.Meet, and mark a mention by its head word
("attacks" in "terrorist attacks", "conference" in "news conference").  The sentences are written
for these tests, not taken from any corpus.
"""

from __future__ import annotations

from tests.conftest import needs_model
from tests.test_event_types import kinds, run  # one copy of the extraction helpers


@needs_model
def test_a_visit_to_a_place_is_transport(nlp):
    found = kinds(run(nlp, "The trade commissioner's visit to the port city was cut short by a storm."))
    assert found["visit"][1] == "Evacuation/Transport"
    found = kinds(run(nlp, "The foreign minister will visit Lagos and Accra next month."))
    assert found["visit"][1] == "Evacuation/Transport"


@needs_model
def test_visiting_a_person_is_a_meeting(nlp):
    found = kinds(run(nlp, "The senator visited Chancellor Weber in her office on Tuesday."))
    assert found["visited"][1] == "Negotiation"


@needs_model
def test_a_trip_to_a_place_is_transport(nlp):
    found = kinds(run(nlp, "The mayor said his trip to the coast lasted three days."))
    assert found["trip"][1] == "Evacuation/Transport"


@needs_model
def test_news_conference_is_a_meeting_marked_by_its_head(nlp):
    found = kinds(run(nlp, "The governor held a news conference on the new budget on Monday."))
    assert found["conference"] == ("Meeting", "Negotiation")
    assert "news conference" not in found


@needs_model
def test_terrorist_attack_is_marked_by_its_head_noun(nlp):
    found = kinds(run(nlp, "Police said the terrorist attack on the market wounded nine people."))
    assert found["attack"][1] == "Attack"
    assert "terrorist attack" not in found


@needs_model
def test_leaving_office_or_being_left_is_not_movement(nlp):
    found = kinds(run(nlp, "The governor will leave office in January after two terms."))
    assert "leave" not in found
    found = kinds(run(nlp, "The valley was left to the smugglers for a decade."))
    assert "left" not in found
    found = kinds(run(nlp, "Hundreds of families left Mosul on foot overnight."))
    assert found["left"][1] == "Evacuation/Transport"


@needs_model
def test_an_attack_word_modifying_survivors_or_techniques_is_not_an_event(nlp):
    found = kinds(run(nlp, "The charity trains acid attack survivors as bakers."))
    assert "attack" not in found
    found = kinds(run(nlp, "Experts compared attack techniques across several countries."))
    assert "attack" not in found
