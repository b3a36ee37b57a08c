"""Event kinds analysts code (issue 14, item 3): protests, arrests, meetings as Negotiation,
interceptions, crackdowns, and words that only look like triggers.

The sentences are written for these tests (not taken from any corpus).  They run the bare
spaCy pipeline and then `extract_events`, without entity nodes, as tests/test_events.py does.
"""

from __future__ import annotations

import json

import pytest

from kgbuild.records import Article, Event
from tests.conftest import needs_model

DATE = "2021-05-12"


def run(nlp, text: str) -> list[Event]:
    from kgbuild.extract.events import extract_events

    doc = nlp(text)
    doc._.kg_article = Article("t", text, date=DATE)
    doc._.kg_entities = []
    return extract_events(doc)


def kinds(events: list[Event]) -> dict[str, tuple[str, str]]:
    """trigger text -> (class, coarse type)."""
    return {e.trigger.text: (e.cls, e.coarse) for e in events}


# ---------------------------------------------------------------- data: the coarse types


COARSE = {
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


def test_every_class_maps_to_one_of_the_ten_coarse_types():
    from kgbuild.extract.events import DATA

    classes = json.loads((DATA / "event_types.json").read_text())["classes"]
    assert {spec["coarse"] for spec in classes.values()} <= COARSE
    # the kinds the evaluation corpora code get their own coarse type
    assert classes["Meeting"]["coarse"] == "Negotiation"
    assert classes["Protest"]["coarse"] == "Protest"
    assert classes["Riot"]["coarse"] == "Protest"
    assert classes["Arrest"]["coarse"] == "Arrest"
    # an interception is a defensive act, never counted as an attack
    assert classes["Interception"]["coarse"] != "Attack"


def test_every_cue_list_named_cues_is_a_sentence_flag():
    from kgbuild.extract.events import load_lexicon

    flags = load_lexicon().cue_flags()
    assert "protest" in flags["protester"]
    assert "conflict" in flags["troop"]
    assert "justice" in flags["court"]


# ---------------------------------------------------------------- parse constraints


@needs_model
def test_month_name_in_a_date_is_not_a_protest(nlp):
    found = kinds(run(nlp, "Officials opened the new bridge on March 4, 2019, after years of delays."))
    assert "March" not in found
    found = kinds(run(nlp, "The strikers held a long march across the province."))
    assert found.get("march") == ("Protest", "Protest")


@needs_model
def test_marching_protesters_are_a_protest_marching_troops_a_movement(nlp):
    found = kinds(run(nlp, "Several thousand students marched to the ministry, waving placards."))
    assert found["marched"][1] == "Protest"
    found = kinds(run(nlp, "Rebel troops marched toward the airport as the shelling went on."))
    assert found["marched"][1] == "Evacuation/Transport"


@needs_model
def test_rallies_strikes_and_taking_to_the_streets_are_protests(nlp):
    found = kinds(run(nlp, "Farmers rallied outside the town hall on Monday."))
    assert found["rallied"] == ("Protest", "Protest")
    found = kinds(run(nlp, "Dock workers went on strike over unpaid wages."))
    assert found["went on strike"][1] == "Protest"
    found = kinds(run(nlp, "Residents took to the streets after the vote."))
    assert found["took to the streets"][1] == "Protest"


@needs_model
def test_hunger_strike_is_not_an_attack(nlp):
    found = kinds(run(nlp, "The detained activist began a hunger strike in his cell."))
    assert found["hunger strike"][1] == "Protest"
    assert all(c != "Attack" for c, _ in found.values())


@needs_model
def test_tear_gas_on_protesters_is_a_crackdown_not_a_shooting(nlp):
    found = kinds(run(nlp, "Police fired tear gas at the marchers near the palace."))
    assert found["fired"][0] == "Crackdown"
    found = kinds(run(nlp, "Security forces dispersed the crowd with water cannon."))
    assert found["dispersed"][0] == "Crackdown"


@needs_model
def test_shooting_down_drones_is_an_interception_not_a_drone_strike(nlp):
    events = run(nlp, "Air defence units shot down 31 drones over the region overnight.")
    found = kinds(events)
    assert found["shot down"][0] == "Interception"
    assert not any(e.cls in ("DroneStrike", "Airstrike") or e.coarse == "Attack" for e in events)
    found = kinds(run(nlp, "The frigate intercepted a missile fired from the coast."))
    assert found["intercepted"][0] == "Interception"


@needs_model
def test_arrests_detentions_and_custody(nlp):
    found = kinds(run(nlp, "Officers arrested two bankers and detained their driver."))
    assert found["arrested"] == ("Arrest", "Arrest")
    assert found["detained"] == ("Arrest", "Arrest")
    events = run(nlp, "The journalist has been held in custody without charge since January.")
    found = kinds(events)
    assert found["held"][1] == "Arrest"
    assert "custody" not in found  # one event: the noun restates the verb's


@needs_model
def test_meetings_summits_and_visits_are_negotiation(nlp):
    found = kinds(run(nlp, "The two foreign ministers met in Oslo on Friday."))
    assert found["met"] == ("Meeting", "Negotiation")
    found = kinds(run(nlp, "The prime minister will attend a regional conference next week."))
    assert found["conference"][1] == "Negotiation"
    found = kinds(run(nlp, "The envoy met the king after his visit to the capital."))
    assert found["met"][1] == "Negotiation"


@pytest.mark.parametrize("word", ["March", "May"])
@needs_model
def test_capitalised_month_inside_a_sentence_is_never_a_trigger(nlp, word):
    found = kinds(run(nlp, f"The agency published its figures in {word} and again last {word}."))
    assert word not in found


@needs_model
def test_movement_needs_someone_or_something_that_moves(nlp):
    assert "moved" not in kinds(run(nlp, "The focus of the debate quickly moved to the economy."))
    found = kinds(run(nlp, "The aid convoy moved toward the northern border on Friday."))
    assert found["moved"][1] == "Evacuation/Transport"
    found = kinds(run(nlp, "Hundreds of families arrived in the port city overnight."))
    assert found["arrived"][1] == "Evacuation/Transport"


@needs_model
def test_displaced_people_are_not_a_movement_event(nlp):
    assert "displaced" not in kinds(run(nlp, "Aid workers handed out blankets to displaced families."))
    found = kinds(run(nlp, "The floods displaced 9,000 villagers in the valley."))
    assert found["displaced"][1] == "Evacuation/Transport"


@needs_model
def test_delivering_a_speech_is_not_a_supply(nlp):
    assert "delivered" not in kinds(run(nlp, "The mayor delivered a long speech at the opening."))
    found = kinds(run(nlp, "Relief agencies delivered food to the flooded villages."))
    assert found["delivered"][1] == "Evacuation/Transport"


@needs_model
def test_protesters_clashing_with_police_is_a_riot(nlp):
    found = kinds(run(nlp, "Protesters clashed with riot police near the stadium."))
    assert found["clashed"] == ("Riot", "Protest")
    found = kinds(run(nlp, "Government troops clashed with rebels near the airport."))
    assert found["clashed"][1] == "Offensive/Battle"


@needs_model
def test_campaign_rally_is_a_meeting_and_campaign_attacks_are_criticism(nlp):
    found = kinds(run(nlp, "The candidate spoke to supporters at a campaign rally in Ohio."))
    assert found["rally"] == ("Meeting", "Negotiation")
    found = kinds(run(nlp, "The senator answered attacks from rival candidates in the primary."))
    assert found["attacks"][1] == "Statement/Criticism"


@needs_model
def test_phone_calls_are_correspondence_and_extradition_is_judicial(nlp):
    found = kinds(run(nlp, "The chancellor telephoned the Turkish president on Sunday."))
    assert found["telephoned"][0] == "Correspondence"
    found = kinds(run(nlp, "The businessman was extradited to Spain in April."))
    assert found["extradited"][0] == "Extradition"


@needs_model
def test_meeting_obligations_is_no_meeting(nlp):
    assert "meet" not in kinds(run(nlp, "The company struggled to meet its obligations to lenders."))
    found = kinds(run(nlp, "The defence minister met her Polish counterpart in Warsaw."))
    assert found["met"] == ("Meeting", "Negotiation")
    found = kinds(run(nlp, "The envoy discussed the ceasefire with rebel commanders."))
    assert found["discussed"][1] == "Negotiation"


@needs_model
def test_a_march_named_with_a_possessive_is_a_protest_not_a_date(nlp):
    found = kinds(run(nlp, "Nurses joined the Teachers' March in the capital on Saturday."))
    assert found.get("March", ("", ""))[1] == "Protest"


@needs_model
def test_gathering_at_a_rally_keeps_the_rally(nlp):
    found = kinds(run(nlp, "Hundreds of protesters gathered at a rally outside the embassy."))
    assert found["rally"][1] == "Protest"


@needs_model
def test_murder_as_the_name_of_a_charge_is_no_killing(nlp):
    found = kinds(run(nlp, "The driver was convicted of murder by a jury in Leeds."))
    assert found["murder"][1] != "Killing/Death"
    found = kinds(run(nlp, "The murder of the journalist shocked the country."))
    assert found["murder"][1] == "Killing/Death"


@needs_model
def test_a_sale_in_an_auction_keeps_both_events(nlp):
    found = kinds(run(nlp, "The collector sold the painting in an auction in Paris."))
    assert "sold" in found and "auction" in found
