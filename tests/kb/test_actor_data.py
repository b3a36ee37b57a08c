"""Validity of the actor dictionary (kgbuild/data/actors.jsonl), its curated source and demonyms.tsv."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "kgbuild" / "data"
CLASSES = {
    "Person",
    "Organisation",
    "ArmedGroup",
    "MilitaryForce",
    "Coalition",
    "GovernmentBody",
    "MediaOrganisation",
    "NGO",
    "InternationalOrganisation",
    "State",
    "PopulatedPlace",
    "Region",
    "Facility",
}
ROLES = ("national-military", "national-government", "defence-ministry", "foreign-ministry")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return read_jsonl(DATA / "actors.jsonl")


@pytest.fixture(scope="module")
def by_id(rows) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


@pytest.fixture(scope="module")
def owner(rows) -> dict[str, str]:
    """Folded label or plain alias -> the one row id it belongs to."""
    return {fold(s): r["id"] for r in rows for s in (r["label"], *r["aliases"])}


def test_every_row_has_the_required_fields(rows):
    for r in rows:
        assert SLUG.match(r["id"]), r["id"]
        assert r["label"] and isinstance(r["label"], str), r
        assert r["class"] in CLASSES, r
        assert isinstance(r["aliases"], list) and all(isinstance(a, str) and a.strip() for a in r["aliases"]), r
        assert r["wikidata"] is None or re.fullmatch(r"Q[1-9][0-9]*", r["wikidata"]), r
        assert r["country"] is None or re.fullmatch(r"[A-Z]{2}", r["country"]), r
        assert r.get("role") in (None, *ROLES), r


def test_country_codes_are_iso_or_kosovo(rows):
    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert {r["country"] for r in rows if r["country"]} <= known


def test_ids_are_unique_and_file_is_sorted(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


def test_an_alias_belongs_to_one_row_unless_declared_ambiguous(rows):
    seen: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for form in {fold(s) for s in (r["label"], *r["aliases"])}:
            seen[form].add(r["id"])
    clashes = {form: ids for form, ids in seen.items() if len(ids) > 1}
    assert not clashes
    ambiguous = {fold(a) for r in rows for a in r.get("ambiguous_aliases", [])}
    plain_and_ambiguous = {form: seen[form] for form in ambiguous if form in seen}
    for form, ids in plain_and_ambiguous.items():  # a declared form may only be a row's own label
        for row_id in ids:
            row = next(r for r in rows if r["id"] == row_id)
            assert form in {fold(a) for a in row.get("ambiguous_aliases", [])}, (form, row_id)


def test_ambiguous_set_is_explicit_and_shared(by_id):
    def holders(form):
        return {i for i, r in by_id.items() if form in r.get("ambiguous_aliases", [])}

    assert {"us-led-coalition", "saudi-led-coalition"} <= holders("the coalition")
    assert holders("RSF") == {"rapid-support-forces", "reporters-without-borders"}
    assert holders("Congo") == {"democratic-republic-of-the-congo", "republic-of-the-congo"}
    assert "Lebanese forces" in by_id["lebanese-armed-forces"]["ambiguous_aliases"]


def test_metonyms_are_separate_from_aliases(rows, by_id, owner):
    for r in rows:
        for m in r.get("metonym_aliases", []):
            assert owner.get(fold(m), r["id"]) == r["id"], (m, r["id"])
    assert "Damascus" in by_id["syria"]["metonym_aliases"]
    assert "Damascus" not in by_id["syria"]["aliases"]
    assert {"Moscow", "Kremlin"} <= set(by_id["russia"]["metonym_aliases"])
    assert {"Washington", "White House"} <= set(by_id["united-states"]["metonym_aliases"])
    assert {"Kyiv", "Kiev"} <= set(by_id["ukraine"]["metonym_aliases"])
    assert {"Beijing", "Tehran"} <= set(by_id["china"]["metonym_aliases"] + by_id["iran"]["metonym_aliases"])
    assert by_id["european-union"]["metonym_aliases"] == ["Brussels"]
    assert "Brussels" not in by_id["belgium"].get("metonym_aliases", [])


def test_capital_metonyms_that_name_bigger_cities_elsewhere_are_left_out(by_id):
    assert "Victoria" not in by_id["seychelles"].get("metonym_aliases", [])
    assert by_id["jamaica"]["metonym_aliases"] == ["Kingston"]


def test_all_sovereign_states_are_there(rows, by_id):
    states = [r for r in rows if r["class"] == "State"]
    assert len(states) >= 195
    codes = {r["country"] for r in states}
    for cc in ("SY", "IQ", "UA", "RU", "SD", "SS", "YE", "MM", "PS", "TW", "XK", "VA", "CD", "CG", "KP", "KR"):
        assert cc in codes, cc
    assert by_id["puerto-rico"]["class"] == "Region"
    assert by_id["syria"]["wikidata"] == "Q858"
    assert by_id["united-states"]["wikidata"] == "Q30"


@pytest.mark.parametrize(
    "alias, row_id",
    [
        ("US", "united-states"),
        ("U.S.", "united-states"),
        ("USA", "united-states"),
        ("America", "united-states"),
        ("UK", "united-kingdom"),
        ("Britain", "united-kingdom"),
        ("Great Britain", "united-kingdom"),
        ("Russian Federation", "russia"),
        ("Syrian Arab Republic", "syria"),
        ("DRC", "democratic-republic-of-the-congo"),
        ("Burma", "myanmar"),
        ("Türkiye", "turkey"),
        ("DPRK", "north-korea"),
        ("Ivory Coast", "ivory-coast"),
    ],
)
def test_state_short_forms(owner, alias, row_id):
    assert owner[fold(alias)] == row_id


@pytest.mark.parametrize(
    "alias, row_id, cls",
    [
        ("Hizballah", "hezbollah", "ArmedGroup"),
        ("Hizbullah", "hezbollah", "ArmedGroup"),
        ("Hizbollah", "hezbollah", "ArmedGroup"),
        ("al-Qaida", "al-qaeda", "ArmedGroup"),
        ("Al Qaeda", "al-qaeda", "ArmedGroup"),
        ("ISIL", "islamic-state", "ArmedGroup"),
        ("Daesh", "islamic-state", "ArmedGroup"),
        ("ISWAP", "islamic-state-west-africa", "ArmedGroup"),
        ("al-Shabab", "al-shabaab", "ArmedGroup"),
        ("Ansar Allah", "houthis", "ArmedGroup"),
        ("Huthis", "houthis", "ArmedGroup"),
        ("Hay'at Tahrir al-Sham", "hayat-tahrir-al-sham", "ArmedGroup"),
        ("YPG", "ypg", "ArmedGroup"),
        ("PKK", "pkk", "ArmedGroup"),
        ("SDF", "syrian-democratic-forces", "ArmedGroup"),
        ("Boko Haram", "boko-haram", "ArmedGroup"),
        ("PMC Wagner", "wagner-group", "ArmedGroup"),
        ("IDF", "israel-defense-forces", "MilitaryForce"),
        ("Syrian Arab Army", "syrian-armed-forces", "MilitaryForce"),
        ("Russian army", "russian-armed-forces", "MilitaryForce"),
        ("Ukrainian armed forces", "armed-forces-of-ukraine", "MilitaryForce"),
        ("Lebanese army", "lebanese-armed-forces", "MilitaryForce"),
        ("Iraqi forces", "iraqi-armed-forces", "MilitaryForce"),
        ("US military", "united-states-armed-forces", "MilitaryForce"),
        ("Revolutionary Guards", "irgc", "MilitaryForce"),
        ("Malian army", "malian-armed-forces", "MilitaryForce"),
        ("Chadian military", "chadian-armed-forces", "MilitaryForce"),
        ("Pentagon", "us-department-of-defense", "GovernmentBody"),
        ("Syrian regime", "syrian-government", "GovernmentBody"),
        ("Assad regime", "syrian-government", "GovernmentBody"),
        ("Kenyan government", "kenya-government", "GovernmentBody"),
        ("anti-IS coalition", "us-led-coalition", "Coalition"),
        ("Combined Joint Task Force", "us-led-coalition", "Coalition"),
        ("NATO", "nato", "InternationalOrganisation"),
        ("UNHCR", "unhcr", "InternationalOrganisation"),
        ("OPCW", "opcw", "InternationalOrganisation"),
        ("ICRC", "international-committee-of-the-red-cross", "NGO"),
        ("SOHR", "syrian-observatory-for-human-rights", "NGO"),
        ("Doctors Without Borders", "msf", "NGO"),
        ("AFP", "afp", "MediaOrganisation"),
        ("Associated Press", "associated-press", "MediaOrganisation"),
        ("SANA", "sana", "MediaOrganisation"),
        ("Zelenskyy", "volodymyr-zelensky", "Person"),
        ("Gaza", "gaza-strip", "Region"),
    ],
)
def test_known_actor_aliases(owner, by_id, alias, row_id, cls):
    assert owner[fold(alias)] == row_id
    assert by_id[row_id]["class"] == cls


def test_part_of_points_at_existing_rows(rows, by_id):
    for r in rows:
        if "part_of" in r:
            assert r["part_of"] in by_id, r["id"]
            assert r["part_of"] != r["id"]


def test_each_sovereign_state_has_one_row_per_institution_role(rows):
    per_role: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        if r.get("role"):
            per_role[(r["role"], r["country"])].append(r["id"])
    for state in (r for r in rows if r["class"] == "State"):
        for role in ROLES:
            assert len(per_role[(role, state["country"])]) == 1, (role, state["id"])


def test_coverage_counts(rows):
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["class"]] += 1
    assert len(rows) >= 600
    assert counts["ArmedGroup"] >= 120
    assert counts["MediaOrganisation"] >= 60
    assert counts["InternationalOrganisation"] >= 40
    assert counts["Person"] <= 200  # persons stay a short, conservative list


def test_curated_source_is_valid_and_sorted():
    curated = read_jsonl(DATA / "actors_curated.jsonl")
    others = [r for r in curated if r["class"] != "State"]
    states = [r for r in curated if r["class"] == "State"]
    assert [r["id"] for r in others] == sorted(r["id"] for r in others)
    assert [r["country"] for r in states] == sorted(r["country"] for r in states)
    assert all(r["class"] in CLASSES for r in curated)
    assert all(r["country"] for r in states)


def test_generated_file_is_up_to_date():
    spec = importlib.util.spec_from_file_location("build_actor_data", ROOT / "scripts" / "build_actor_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows, _ = module.build()
    assert module.render(rows) == (DATA / "actors.jsonl").read_text(encoding="utf-8"), (
        "run scripts/build_actor_data.py after editing actors_curated.jsonl or demonyms.tsv"
    )


def test_demonyms_file():
    lines = [
        line
        for line in (DATA / "demonyms.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) >= 200
    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    words = set()
    for line in lines:
        word, code, kind = line.split("\t")
        assert code == "" or code in known, line
        assert kind in ("adj", "noun"), line
        assert fold(word) not in words, word
        words.add(fold(word))
    table = {fold(line.split("\t")[0]): line.split("\t")[1] for line in lines}
    assert table["syrian"] == "SY" and table["american"] == "US" and table["british"] == "GB"
    assert table["kurdish"] == ""
    assert len({line.split("\t")[1] for line in lines} - {""}) >= 190
