"""Non-English articles are built but reported (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEEDS, needs_model
from kgbuild.ingest.language import guess, warning

FRENCH = (
    "Le gouvernement a annoncé mardi que les forces armées se retireraient de la région, selon un "
    "communiqué publié par le ministère de la Défense. Les soldats seront redéployés dans les pays "
    "voisins et la coopération avec les autorités locales se poursuivra pour lutter contre les groupes armés."
)
SPANISH = (
    "El gobierno anunció el martes que las fuerzas armadas se retirarán de la región, según un comunicado "
    "del ministerio de Defensa. Los soldados serán enviados a los países vecinos y la cooperación con las "
    "autoridades locales continuará para combatir a los grupos armados que operan en la zona."
)
ARABIC = "أعلنت الحكومة اليوم أن القوات المسلحة استعادت السيطرة على المدينة بعد معارك عنيفة مع المسلحين في المنطقة"
RUSSIAN = (
    "Правительство объявило во вторник, что вооружённые силы покинут регион в ближайшие недели, сообщило министерство."
)
ENGLISH = (
    "The government said on Tuesday that the armed forces would withdraw from the region, according to a "
    "statement from the defence ministry. The soldiers will be sent to neighbouring countries and "
    "cooperation with local authorities will continue in the fight against armed groups."
)


@pytest.mark.parametrize(
    "text,language", [(FRENCH, "fr"), (SPANISH, "es"), (ARABIC, "Arabic script"), (RUSSIAN, "Cyrillic script")]
)
def test_other_languages_are_named(text: str, language: str):
    g = guess(text)
    assert not g.english and g.language == language
    assert "English" in (warning(text) or "")


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        "Kyiv, Kharkiv, Odesa",  # too short to judge
        "http: / / query. nytimes. com / gst / fullpage. html? res=9402E6D71239F937A1575 " * 5,  # no language at all
        ENGLISH + " Le Monde et Der Spiegel en ont parlé.",  # quotes of other languages in English news
    ],
)
def test_english_and_unjudgeable_texts_give_no_warning(text: str):
    assert warning(text) is None


@needs_model
def test_build_reports_a_non_english_article_and_still_builds_it(tmp_path: Path):
    from kgbuild.run.build import build

    src = tmp_path / "in"
    src.mkdir()
    (src / "fr.txt").write_text(FRENCH + "\n", encoding="utf-8")
    (src / "en.txt").write_text(next(SEEDS.glob("*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    summary = build([src], tmp_path / "out")
    assert summary.articles == 2 and not summary.failures
    assert [w.stage for w in summary.warnings] == ["language"]
    rows = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").read_text().splitlines()]
    assert [(Path(r["source"]).name, r["stage"]) for r in rows] == [("fr.txt", "language")]
