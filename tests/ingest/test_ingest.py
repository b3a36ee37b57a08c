"""Tests of the ingest stage (kgbuild.ingest).

All inputs are built in tmp_path; no spaCy model is needed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgbuild.ingest import walk as ingest_walk
from kgbuild.errors import InputError, UsageError
from kgbuild.ingest import decode_bytes, find_dateline, normalize_text, read_articles
from kgbuild.records import Article

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval"
C0_EXCEPT_NL_TAB = {chr(c) for c in range(32)} - {"\n", "\t"}


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def read_one(path: Path, **kwargs) -> Article:
    articles = list(read_articles([path], **kwargs))
    assert len(articles) == 1, articles
    return articles[0]


def read_error(path: Path, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        list(read_articles([path], **kwargs))
    return info.value


def content_id(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()[:16]


def url_id(url: str) -> str:
    return "u" + hashlib.sha256(url.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------
# Plain text: decoding
# --------------------------------------------------------------------------


def test_utf8_text_title_and_source(tmp_path):
    p = write(tmp_path / "raqqa.txt", "\n  Strike hits Raqqa  \n\nAn airstrike hit the town.\n")
    a = read_one(p)
    assert a.text == "\n  Strike hits Raqqa  \n\nAn airstrike hit the town.\n"
    assert a.title == "Strike hits Raqqa"
    assert a.source == str(p)
    assert a.doc_id == "raqqa"
    assert a.date is None and a.url is None


def test_cp1252_smart_quotes(tmp_path):
    text = "He said \u201cwe will respond\u201d \u2014 it\u2019s over.\nCaf\u00e9 owners were na\u00efve, the r\u00e9sum\u00e9 says."
    assert read_one(write(tmp_path / "a.txt", text, "cp1252")).text == text


def test_cp1252_short_line_is_not_mistaken_for_cjk(tmp_path):
    text = "The mayor said it\u2019s over."
    assert read_one(write(tmp_path / "a.txt", text, "cp1252")).text == text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("latin-1", "S\u00e3o Paulo \u00e9 a maior cidade do Brasil, disse o prefeito."),
        ("cp1251", "Власти сообщили, что в результате авиаудара по городу погибли двенадцать человек."),
    ],
)
def test_legacy_encodings(tmp_path, encoding, text):
    assert read_one(write(tmp_path / "a.txt", text, encoding)).text == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_marks(tmp_path, encoding):
    text = "Caf\u00e9 \u201cquoted\u201d \u0627\u0644\u0639\u0631\u0628\u064a\u0629"
    raw = text.encode(encoding)
    if encoding == "utf-16-le":
        raw = b"\xff\xfe" + raw
    elif encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    a = read_one(write(tmp_path / "a.txt", raw))
    assert a.text == text  # the BOM itself is not part of the text


def test_utf16_without_bom_is_recognised(tmp_path):
    text = "Plain English text saved as UTF-16 without a byte-order mark."
    assert read_one(write(tmp_path / "a.txt", text.encode("utf-16-le"))).text == text


def test_broken_utf16_with_bom_is_an_error(tmp_path):
    err = read_error(write(tmp_path / "a.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8"))
    assert "not valid UTF-16" in str(err)


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("article.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "PNG"),
        (_zip_bytes(), "ZIP"),
        (gzip.compress(b"an article"), "GZIP"),
        (b"Some text\x00with a NUL byte in the middle", "NUL bytes"),
        (bytes(range(1, 32)) * 10 + b"abc", "control characters"),
    ],
)
def test_binary_files_are_refused(tmp_path, data, kind):
    err = read_error(write(tmp_path / "a.txt", data))
    assert str(err) == f"{tmp_path / 'a.txt'}: binary file ({kind}) is not an article"
    assert err.exit_code == 3
    assert err.path == str(tmp_path / "a.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  \n", "\u3000\u00a0\n".encode()])
def test_empty_and_whitespace_only_files(tmp_path, data):
    err = read_error(write(tmp_path / "a.txt", data))
    assert str(err) == f"{tmp_path / 'a.txt'}: empty file"


# --------------------------------------------------------------------------
# Plain text: normalisation
# --------------------------------------------------------------------------


def test_newlines_and_control_characters(tmp_path):
    raw = b"Title\r\nline two\rline three\n\ttabbed\x07\x1b[0m\x7f end\x0cnext page"
    a = read_one(write(tmp_path / "a.txt", raw))
    assert a.text == "Title\nline two\nline three\n\ttabbed[0m end\nnext page"


def test_nfc_is_applied(tmp_path):
    a = read_one(write(tmp_path / "a.txt", "Cafe\u0301 in Ko\u0308ln"))
    assert a.text == "Caf\u00e9 in K\u00f6ln"


def test_rtl_combining_and_zero_width_characters_are_kept(tmp_path):
    text = (
        "\u05e9\u05b8\u05dc\u05d5\u05b9\u05dd \u05e2\u05d5\u05b9\u05dc\u05b8\u05dd\n"  # Hebrew with points
        "\u0645\u0631\u062d\u0628\u0627\u064b \u0628\u0627\u0644\u0639\u0627\u0644\u0645\n"  # Arabic with tanwin
        "RLM\u200f ZWJ\u200d ZWSP\u200b BOM\ufeff q\u0323\u0307 \U0001f1fa\U0001f1e6"
    )
    assert unicodedata.is_normalized("NFC", text)
    assert read_one(write(tmp_path / "a.txt", text)).text == text


def test_normalize_text_unit():
    assert normalize_text("a\r\nb\rc\x85d\x0be\x00f\x9fg\th") == "a\nb\nc\nd\nef" + "g\th"


# --------------------------------------------------------------------------
# Datelines
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "RAQQA, Syria, 30 August, 2017 (AP)",
        "30 August 2017",
        "August 30, 2017",
        "Aug. 30, 2017",
        "Published: 2017-08-30T10:15:00Z",
        "Wednesday 30 August 2017",
        "Wednesday, August 30th, 2017 - updated 12:40",
        "30th of Aug 2017",
        "Sept. 30, 2017",
    ],
)
def test_dateline_formats(tmp_path, line):
    expected = "2017-09-30" if line.startswith("Sept") else "2017-08-30"
    a = read_one(write(tmp_path / "a.txt", f"Strike hits Raqqa\n{line}\n\nBody text."))
    assert a.date == expected


def test_dateline_takes_the_earliest_valid_date():
    assert find_dateline("31 February 2017 was a typo\nMarch 3, 2018 and 2019-01-01") == "2018-03-03"
    assert find_dateline("2019-01-01\nMarch 3, 2018") == "2019-01-01"


def test_dateline_only_near_the_top():
    filler = "".join(f"line {i}\n" for i in range(20))
    assert find_dateline(filler + "30 August 2017") is None
    assert find_dateline("x" * 1600 + " 30 August 2017") is None
    assert find_dateline("no date here, just 30 apples and 2017 problems") is None


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Strike hits Raqqa | Example News</title>
<meta property="og:title" content="Strike hits Raqqa">
<link rel="canonical" href="https://news.example.org/2017/strike">
<style>body { color: red } .STYLECONTENT { }</style>
<script>alert(1)</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Strike hits Raqqa", "datePublished": "2017-08-30T09:00:00Z"}</script>
</head><body>
<nav>Home | World | Sport</nav>
<article>
<h1>Strike hits Raqqa</h1>
<p>An airstrike hit the Syrian city of Raqqa on Wednesday, killing at least twelve civilians, officials said.</p>
<script>document.write("SCRIPTCONTENT")</script>
<p>The coalition said it was investigating the report and would respond in due course.</p>
<noscript>NOSCRIPTCONTENT</noscript>
<template><p>TEMPLATECONTENT</p></template>
</article>
<footer>&copy; 2015 Example News</footer>
</body></html>
"""

NEVER_IN_TEXT = ("alert", "STYLECONTENT", "color: red", "SCRIPTCONTENT", "NOSCRIPTCONTENT", "TEMPLATECONTENT")


def test_html_text_title_date_and_url(tmp_path):
    a = read_one(write(tmp_path / "page.html", PAGE))
    assert "An airstrike hit the Syrian city of Raqqa" in a.text
    assert "The coalition said it was investigating" in a.text
    for bad in NEVER_IN_TEXT:
        assert bad not in a.text
    assert a.title == "Strike hits Raqqa"
    assert a.date == "2017-08-30"
    assert a.url == "https://news.example.org/2017/strike"
    assert a.doc_id == "page"  # the file name, as for .txt files


def test_html_named_index_gets_its_url_id(tmp_path):
    a = read_one(write(tmp_path / "index.html", PAGE))
    assert a.doc_id == url_id("https://news.example.org/2017/strike")


def test_html_without_url_gets_a_content_id_and_no_copyright_date(tmp_path):
    page = PAGE.replace('<link rel="canonical" href="https://news.example.org/2017/strike">', "")
    page = page.replace('"datePublished": "2017-08-30T09:00:00Z"', '"x": 1')
    a = read_one(write(tmp_path / "index.htm", page))
    assert a.url is None
    assert a.doc_id == content_id(a.text)
    assert a.date is None  # the "(c) 2015" footer is not a publication date


def test_html_fallback_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    a = read_one(write(tmp_path / "page.html", PAGE))
    assert "An airstrike hit the Syrian city of Raqqa" in a.text
    assert "The coalition said it was investigating" in a.text
    for bad in NEVER_IN_TEXT:
        assert bad not in a.text
    assert "\n" in a.text  # block elements become lines


def test_html_fallback_when_trafilatura_crashes(tmp_path, monkeypatch):
    import trafilatura

    def boom(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(trafilatura, "extract", boom)
    monkeypatch.setattr(trafilatura, "extract_metadata", boom)
    a = read_one(write(tmp_path / "page.html", PAGE))
    assert "An airstrike hit" in a.text
    assert a.title == "Strike hits Raqqa | Example News"  # from <title>


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Only a title</title><script>var x = 1;</script></head><body></body></html>",
        "<html><body><script>alert(1)</script><style>p{}</style></body></html>",
        "<!doctype html>",
    ],
)
def test_html_without_text_is_an_error(tmp_path, page):
    err = read_error(write(tmp_path / "a.html", page))
    assert str(err).endswith("no text in HTML")


def test_txt_file_with_html_content_is_read_as_html(tmp_path):
    a = read_one(write(tmp_path / "saved.txt", "\n  " + PAGE))
    assert "An airstrike hit the Syrian city of Raqqa" in a.text
    assert "<p>" not in a.text and "alert" not in a.text
    assert a.doc_id == "saved"  # text files keep the stem rule


def test_html_declared_legacy_charset(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
        "<body><p>Le ministre a d\u00e9clar\u00e9 \u00ab nous r\u00e9pondrons \u00bb apr\u00e8s l\u2019attaque.</p></body></html>"
    )
    a = read_one(write(tmp_path / "a.html", page, "cp1252"))
    assert "Le ministre a d\u00e9clar\u00e9 \u00ab nous r\u00e9pondrons \u00bb apr\u00e8s l\u2019attaque." in a.text


# --------------------------------------------------------------------------
# JSON Lines and JSON
# --------------------------------------------------------------------------


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_jsonl_records_and_blank_lines(tmp_path):
    p = write(
        tmp_path / "batch.jsonl",
        jsonl(
            {"doc_id": "d 1/x", "text": "First article.", "title": "One", "date": "2017-08-30T10:00Z"},
            "",
            "   ",
            {"id": "d2", "text": "Second article.\nMore.", "url": "https://e.org/2"},
            {"text": "Third article.", "url": "https://e.org/3", "date": "Aug. 30, 2017"},
            {"text": "Fourth article.", "date": "not a date"},
        ),
    )
    a1, a2, a3, a4 = read_articles([p])
    assert (a1.doc_id, a1.title, a1.date, a1.source) == ("d 1/x", "One", "2017-08-30", f"{p}:1")
    assert (a2.doc_id, a2.title, a2.url, a2.source) == ("d2", "Second article.", "https://e.org/2", f"{p}:4")
    assert (a3.doc_id, a3.date) == (url_id("https://e.org/3"), "2017-08-30")
    assert (a4.doc_id, a4.date, a4.source) == (content_id("Fourth article."), None, f"{p}:6")


def test_jsonl_bad_line_names_the_line_number(tmp_path):
    p = write(tmp_path / "batch.jsonl", jsonl({"text": "ok"}, "", '{"text": "broken"'))
    got = []
    with pytest.raises(InputError) as info:
        for a in read_articles([p]):
            got.append(a)
    assert [a.text for a in got] == ["ok"]  # articles before the bad line were yielded
    assert str(info.value).startswith(f"{p}:3: invalid JSON: ")
    assert info.value.path == f"{p}:3"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"doc_id": "x"}', 'missing or empty "text"'),
        ('{"text": "   "}', 'missing or empty "text"'),
        ('{"text": 42}', '"text" must be a string'),
        ('{"text": "t", "doc_id": ""}', '"doc_id" must be a non-empty string'),
        ('{"text": "t", "id": 17}', '"id" must be a non-empty string'),
        ('{"text": "t", "title": ["x"]}', '"title" must be a string'),
        ("[1, 2]", "expected a JSON object, got an array"),
        ("{'text': 'single quotes'}", "invalid JSON: "),
    ],
)
def test_jsonl_bad_records(tmp_path, line, reason):
    p = write(tmp_path / "b.jsonl", jsonl({"text": "fine"}, line))
    errors: list[InputError] = []
    articles = list(read_articles([p], on_error=errors.append))
    assert [a.text for a in articles] == ["fine"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{p}:2: {reason}")


def test_jsonl_invalid_utf8_line(tmp_path):
    p = write(tmp_path / "b.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    errors: list[InputError] = []
    assert len(list(read_articles([p], on_error=errors.append))) == 1
    assert "b.jsonl:2: not valid UTF-8" in str(errors[0])


def test_jsonl_with_no_records_is_empty(tmp_path):
    err = read_error(write(tmp_path / "b.jsonl", "\n  \n\n"))
    assert str(err).endswith("b.jsonl: empty file")


def test_jsonl_binary_or_utf16_is_refused(tmp_path):
    assert "binary file (GZIP)" in str(read_error(write(tmp_path / "a.jsonl", gzip.compress(b'{"text": "x"}\n'))))
    err = read_error(write(tmp_path / "b.jsonl", '{"text": "x"}\n'.encode("utf-16")))
    assert "must be UTF-8" in str(err)


def test_jsonl_utf8_bom_is_skipped(tmp_path):
    p = write(tmp_path / "a.jsonl", '\ufeff{"text": "x"}\n')
    assert read_one(p).text == "x"


def test_jsonl_text_keeps_offsets(tmp_path):
    """Annotated records: no character may move, so offsets stay valid."""
    text = "Line one\r\nline two\rline three\x00end Cafe\u0301"
    a = read_one(write(tmp_path / "a.jsonl", jsonl({"doc_id": "x", "text": text})))
    assert len(a.text) == len(text)
    assert a.text == "Line one \nline two\nline three end Cafe\u0301"
    assert not C0_EXCEPT_NL_TAB & set(a.text)


def test_gold_eval_format_is_readable(tmp_path):
    record = {
        "doc_id": "1_1ecb",
        "text": "Tara Reid entered rehab.\nPeople said so.",
        "meta": {"corpus": "ecb+", "topic": "1", "url": "https://e.org/x"},
        "entities": [{"id": "e1", "start": 0, "end": 9, "text": "Tara Reid", "type": "PERSON"}],
        "events": [{"id": "v1", "trigger": {"start": 10, "end": 17, "text": "entered"}, "arguments": []}],
        "relations": [],
    }
    a = read_one(write(tmp_path / "gold.jsonl", jsonl(record)))
    assert a.doc_id == "1_1ecb"
    assert a.text == record["text"]
    assert a.text[0:9] == "Tara Reid"
    assert a.url == "https://e.org/x"


@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="shared evaluation data not present")
def test_shared_eval_files_are_readable():
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            gold = [json.loads(line) for line in f if line.strip()]
        articles = list(read_articles([path]))
        assert [a.doc_id for a in articles] == [g["doc_id"] for g in gold]
        assert all(a.text == g["text"] for a, g in zip(articles, gold)), path


def test_jsonl_line_longer_than_max_bytes(tmp_path):
    long_text = "x" * 500
    p = write(tmp_path / "a.jsonl", jsonl({"text": "short"}, {"text": long_text}, {"text": "after"}))
    errors: list[InputError] = []
    articles = list(read_articles([p], on_error=errors.append, max_bytes=100))
    assert [a.text for a in articles] == ["short", "after"]
    assert len(errors) == 1
    assert str(errors[0]) == f"{p}:2: line is 512 bytes, above the 100 bytes limit (--max-bytes)"


def test_jsonl_is_not_limited_as_a_whole(tmp_path):
    p = write(tmp_path / "a.jsonl", jsonl(*({"text": f"article {i}"} for i in range(50))))
    assert p.stat().st_size > 200
    assert len(list(read_articles([p], max_bytes=200))) == 50


def test_json_object_and_array(tmp_path):
    one = write(tmp_path / "one.json", json.dumps({"doc_id": "solo", "text": "Alone."}))
    many = write(
        tmp_path / "many.json",
        json.dumps([{"text": "First."}, {"title": "no text"}, {"doc_id": "third", "text": "Third."}]),
    )
    errors: list[InputError] = []
    articles = list(read_articles([one, many], on_error=errors.append))
    assert [(a.doc_id, a.source) for a in articles] == [
        ("solo", str(one)),
        (content_id("First."), f"{many}[0]"),
        ("third", f"{many}[2]"),
    ]
    assert [str(e) for e in errors] == [f'{many}[1]: missing or empty "text"']


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", "empty file"),
        ("[]", "empty JSON array"),
        ('"text"', "expected a JSON object or an array"),
        ("{", "invalid JSON"),
    ],
)
def test_bad_json_files(tmp_path, data, reason):
    assert reason in str(read_error(write(tmp_path / "a.json", data)))


# --------------------------------------------------------------------------
# Doc ids
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article-1.txt", "AP_2017.08.30.txt", "x" * 64 + ".md"])
def test_safe_stem_is_the_doc_id(tmp_path, name):
    assert read_one(write(tmp_path / name, "Some text.")).doc_id == Path(name).stem


@pytest.mark.parametrize("name", ["my article.txt", "caf\u00e9.txt", "x" * 65 + ".txt", "-dash.txt", "a+b.text"])
def test_unsafe_stem_uses_the_content_hash(tmp_path, name):
    a = read_one(write(tmp_path / name, "Some text."))
    assert a.doc_id == content_id("Some text.")
    renamed = (tmp_path / name).rename(tmp_path / ("other name" + Path(name).suffix))
    assert read_one(renamed).doc_id == a.doc_id  # content ids survive renaming


def test_content_hash_is_of_the_nfc_text(tmp_path):
    a = read_one(write(tmp_path / "x y.txt", "Cafe\u0301"))
    assert a.doc_id == hashlib.sha256("Caf\u00e9".encode()).hexdigest()[:16]


def test_duplicate_doc_ids(tmp_path):
    first = write(tmp_path / "a" / "story.txt", "First.")
    second = write(tmp_path / "b" / "story.txt", "Second.")
    with pytest.raises(InputError) as info:
        list(read_articles([tmp_path]))
    assert str(info.value) == f"{second}: duplicate doc id story, also in {first}"

    errors: list[InputError] = []
    articles = list(read_articles([tmp_path], on_error=errors.append))
    assert [a.text for a in articles] == ["First."]
    assert len(errors) == 1


def test_duplicate_ids_inside_jsonl(tmp_path):
    p = write(tmp_path / "a.jsonl", jsonl({"id": "x", "text": "one"}, {"id": "x", "text": "two"}))
    errors: list[InputError] = []
    assert [a.text for a in read_articles([p], on_error=errors.append)] == ["one"]
    assert str(errors[0]) == f"{p}:2: duplicate doc id x, also in {p}:1"


# --------------------------------------------------------------------------
# Paths, directories, ordering, errors
# --------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    write(root / "zeta.txt", "Zeta.")
    write(root / "b" / "inner.md", "Inner.")
    write(root / "a.jsonl", jsonl({"id": "j1", "text": "J1."}, {"id": "j2", "text": "J2."}))
    write(root / "B2.html", "<html><body><p>Upper case HTML file.</p></body></html>")
    write(root / "a-c.text", "A-c.")
    write(root / ".hidden.txt", "Hidden file.")
    write(root / ".git" / "notes.txt", "Hidden dir.")
    write(root / "notes.pdf", b"%PDF-1.4 not an article")
    write(root / "data.csv", "a,b\n")


EXPECTED_ORDER = ["B2.html", "a-c.text", "a.jsonl:1", "a.jsonl:2", "b/inner.md", "zeta.txt"]


def sources(articles, root: Path) -> list[str]:
    """Article sources relative to root, with "/" separators."""
    prefix = str(root) + os.sep
    return [a.source.removeprefix(prefix).replace(os.sep, "/") for a in articles]


def test_directory_recursion_filters_and_order(tmp_path):
    make_tree(tmp_path)
    assert sources(read_articles([tmp_path]), tmp_path) == EXPECTED_ORDER


def test_order_does_not_depend_on_filesystem_listing(tmp_path, monkeypatch):
    make_tree(tmp_path)
    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for directory, dirnames, filenames in real_walk(top, *args, **kwargs):
            dirnames.reverse()
            yield directory, dirnames, list(reversed(filenames))

    monkeypatch.setattr(ingest_walk.os, "walk", reversed_walk)
    assert sources(read_articles([tmp_path]), tmp_path) == EXPECTED_ORDER


def test_paths_are_read_in_the_given_order_and_only_once(tmp_path):
    a = write(tmp_path / "a.txt", "A.")
    b = write(tmp_path / "b.txt", "B.")
    assert [x.doc_id for x in read_articles([b, a, tmp_path, str(b)])] == ["b", "a"]


def test_a_single_path_string_is_accepted(tmp_path):
    p = write(tmp_path / "a.txt", "A.")
    assert [a.doc_id for a in read_articles(str(p))] == ["a"]


def test_explicit_file_with_unknown_extension_is_read_as_text(tmp_path):
    assert read_one(write(tmp_path / "wire.story", "Wire story.")).text == "Wire story."
    assert "binary file (PDF)" in str(read_error(write(tmp_path / "report.pdf", b"%PDF-1.4\n")))


def test_directory_without_articles(tmp_path):
    write(tmp_path / "data.csv", "a,b\n")
    write(tmp_path / ".hidden.txt", "Hidden.")
    err = read_error(tmp_path)
    assert str(err) == f"{tmp_path}: no articles found (looked for .txt, .html, .jsonl)"
    assert err.exit_code == 3


def test_missing_path(tmp_path):
    err = read_error(tmp_path / "nope.txt")
    assert str(err) == f"{tmp_path / 'nope.txt'}: no such file or directory"


def test_broken_symlink(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert str(read_error(link)).endswith("broken symbolic link")


def test_unreadable_file(tmp_path, monkeypatch):
    p = write(tmp_path / "a.txt", "Secret.")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest_walk, "open", denied, raising=False)
    assert str(read_error(p)) == f"{p}: permission denied (not readable)"


def test_unlistable_subdirectory_is_reported_and_skipped(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "Readable.")
    locked = tmp_path / "locked"
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        onerror(PermissionError(13, "Permission denied", str(locked)))
        yield from real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(ingest_walk.os, "walk", walk)
    errors: list[InputError] = []
    assert [a.text for a in read_articles([tmp_path], on_error=errors.append)] == ["Readable."]
    assert [str(e) for e in errors] == [f"{locked}: cannot list directory: permission denied (not readable)"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_by_permissions(tmp_path):
    p = write(tmp_path / "a.txt", "Secret.")
    p.chmod(0)
    try:
        assert "permission denied" in str(read_error(p))
    finally:
        p.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_file_above_max_bytes_is_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(52_000_000)  # sparse: no disk space used

    def must_not_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(ingest_walk, "open", must_not_open, raising=False)
    err = read_error(p)
    assert str(err) == f"{p}: file is 52 MB, above the 20 MB limit (--max-bytes)"


def test_max_bytes_option(tmp_path):
    p = write(tmp_path / "a.txt", "x" * 1500)
    assert str(read_error(p, max_bytes=1000)) == f"{p}: file is 1.5 kB, above the 1 kB limit (--max-bytes)"
    assert read_one(p, max_bytes=1500).text == "x" * 1500
    with pytest.raises(UsageError):
        list(read_articles([p], max_bytes=0))


def test_keep_going_reports_every_error_and_yields_the_rest(tmp_path):
    write(tmp_path / "1-good.txt", "Good one.")
    write(tmp_path / "2-empty.txt", "")
    write(tmp_path / "3-pdf.txt", b"%PDF-1.5\n")
    write(tmp_path / "4-mixed.jsonl", jsonl({"text": "Line ok."}, "{nope"))
    write(tmp_path / "5-good.html", "<html><body><p>Good page.</p></body></html>")
    missing = tmp_path / "missing"
    errors: list[InputError] = []
    articles = list(read_articles([tmp_path, missing], on_error=errors.append))
    assert [a.text for a in articles] == ["Good one.", "Line ok.", "Good page."]
    assert [Path(e.path.split(":")[0]).name for e in errors] == ["2-empty.txt", "3-pdf.txt", "4-mixed.jsonl", "missing"]
    assert all(isinstance(e, InputError) and e.exit_code == 3 for e in errors)


def test_without_on_error_the_first_error_stops(tmp_path):
    write(tmp_path / "1.txt", "Good.")
    write(tmp_path / "2.txt", "")
    write(tmp_path / "3.txt", "Never reached.")
    got = []
    with pytest.raises(InputError, match="2.txt: empty file"):
        for a in read_articles([tmp_path]):
            got.append(a.doc_id)
    assert got == ["1"]


def test_decode_bytes_is_usable_alone():
    assert decode_bytes("caf\u00e9".encode()) == "caf\u00e9"
    with pytest.raises(InputError, match=r"binary file \(PNG\)"):
        decode_bytes(b"\x89PNG\r\n\x1a\nrest")


# --------------------------------------------------------------------------
# Property: any UTF-8 text gives a clean Article or an InputError
# --------------------------------------------------------------------------

_texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x9F)),  # dense in control characters
    st.builds(lambda s: "<html>" + s, st.text()),  # the HTML path too
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_texts)
def test_any_utf8_text_gives_a_clean_article_or_an_input_error(tmp_path, text):
    p = tmp_path / "prop.txt"
    p.write_bytes(text.encode("utf-8"))
    try:
        articles = list(read_articles([p]))
    except InputError:
        return
    assert len(articles) == 1
    a = articles[0]
    assert a.text.strip()
    assert not C0_EXCEPT_NL_TAB & set(a.text)
    assert unicodedata.is_normalized("NFC", a.text)


def test_ingest_json_lone_surrogates_become_replacement_characters(tmp_path):
    # JSON's "\ud800" escape decodes to a lone surrogate, which no RDF syntax
    # can carry; it becomes U+FFFD in place, so offsets keep their meaning.
    from kgbuild.ingest import read_articles

    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a", "title": "t\\ud800", "text": "Rebels \\ud800 attacked Goma."}\n', encoding="utf-8")
    (article,) = read_articles([path])
    assert article.text == "Rebels \ufffd attacked Goma."
    assert article.title == "t\ufffd"
