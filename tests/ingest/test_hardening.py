"""Ingest on hostile input (issue 17): deep HTML, <meta charset> labels, legacy
code pages, what a directory walk skips, and doc-id hygiene.

All inputs are made here in tmp_path; no spaCy model is needed.
"""

from __future__ import annotations

import json
import os
import socket
import unicodedata
from pathlib import Path

import pytest

from kgbuild.errors import InputError
from kgbuild.ingest import decode_bytes, read_articles
from kgbuild.ingest.decode import declared_charset
from kgbuild.ingest.html import MAX_DEPTH, html_parts
from kgbuild.ingest.labels import LABELS, PYTHON_CODECS, encoding_for_label, meta_charset_codec


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read_all(*paths: Path, **kwargs) -> list:
    return list(read_articles(list(paths), **kwargs))


# -- 1. deep HTML ---------------------------------------------------------------------


def _deep_page(depth: int, inner: str = "<span>7</span>") -> str:
    return (
        "<!doctype html><html><head><title>Deep page</title></head><body>"
        "<p>Troops entered Manbij on Tuesday.</p>"
        + f"<div>{inner}" * depth
        + "<p>Rebels withdrew from the town &amp; its outskirts.</p><script>var hidden = 'no';</script>"
        + "</div>" * depth
        + "<p>Talks resume in Geneva next week.</p></body></html>"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH - 10, 300, 3000])
def test_deep_html_keeps_every_text(depth):
    text, title, _, _ = html_parts(_deep_page(depth))
    assert title == "Deep page"
    assert text.startswith("Troops entered Manbij on Tuesday.")
    assert "Rebels withdrew from the town & its outskirts." in text
    assert text.endswith("Talks resume in Geneva next week.")
    assert text.count("7") == depth
    assert "hidden" not in text


def test_deep_html_with_text_only_at_the_bottom(tmp_path):
    """A big page that is nothing but nesting: its one sentence is found, not "no text in HTML"."""
    depth = 100_000
    page = "<html><body>" + "<div>" * depth + "Only this sentence, at the bottom." + "</div>" * depth + "</body></html>"
    (art,) = read_all(write(tmp_path / "nest.html", page))
    assert art.text == "Only this sentence, at the bottom."


def test_deep_html_in_a_txt_file(tmp_path):
    (art,) = read_all(write(tmp_path / "deep.txt", _deep_page(400)))
    assert art.text.endswith("Talks resume in Geneva next week.")


# -- 2. <meta charset> labels (WHATWG) ----------------------------------------------------


def test_label_table_is_complete_data():
    assert set(LABELS) == set(PYTHON_CODECS)
    labels = [label for group in LABELS.values() for label in group]
    assert len(labels) == len(set(labels))  # a label names one encoding
    for codec in PYTHON_CODECS.values():
        if codec is not None:
            "x".encode(codec)  # every codec exists


@pytest.mark.parametrize(
    "label,codec",
    [
        ("utf-16", "utf-8"),
        ("UTF-16LE", "utf-8"),
        ("utf-16be", "utf-8"),
        ("unicode", "utf-8"),
        ("iso-8859-1", "cp1252"),
        ("Latin1", "cp1252"),
        ("ascii", "cp1252"),
        ("US-ASCII", "cp1252"),
        ("x-user-defined", "cp1252"),
        (" windows-1251 ", "cp1251"),
        ("koi8-r", "koi8_r"),
        ("sjis", "cp932"),
        ("gb2312", "gb18030"),
        ("iso-8859-9", "cp1254"),
        ("undefined", None),
        ("no-such-encoding", None),
        ("hz-gb-2312", None),
        ("", None),
    ],
)
def test_meta_labels(label, codec):
    assert meta_charset_codec(label) == codec


def test_label_lookup_is_case_and_space_insensitive():
    assert encoding_for_label("\tISO_8859-1:1987 ") == "windows-1252"


def _page(charset: str, body: bytes) -> bytes:
    return (
        b'<!doctype html><html><head><meta charset="'
        + charset.encode()
        + b'"><title>T</title></head><body><p>'
        + body
        + b"</p></body></html>"
    )


def test_utf16_meta_on_an_ascii_page_reads_as_utf8(tmp_path):
    data = _page("utf-16", "The café in Raqqa reopened on Monday after the fighting.".encode("utf-8"))
    (art,) = read_all(write(tmp_path / "a.html", data))
    assert "The café in Raqqa reopened on Monday" in art.text


def test_utf16_meta_on_a_legacy_page_is_not_cjk(tmp_path):
    data = _page("utf-16", "The café in Raqqa reopened on Monday after the fighting.".encode("cp1252"))
    (art,) = read_all(write(tmp_path / "a.html", data))
    assert "The café in Raqqa reopened on Monday" in art.text


@pytest.mark.parametrize("label", ["undefined", "bogus-enc", "replacement", "x-nothing"])
def test_unknown_meta_label_is_ignored(tmp_path, label):
    data = _page(label, "Fighting near Deir ez-Zôr continued into the night.".encode("cp1252"))
    (art,) = read_all(write(tmp_path / "a.html", data))
    assert "Fighting near Deir ez-Zôr continued" in art.text


def test_latin1_meta_means_windows_1252(tmp_path):
    data = _page("iso-8859-1", "\u201cWe will stay,\u201d he said \u2014 in Zôr.".encode("cp1252"))
    assert declared_charset(data) == "cp1252"
    (art,) = read_all(write(tmp_path / "a.html", data))
    assert "\u201cWe will stay,\u201d he said \u2014 in Zôr." in art.text


def test_cyrillic_meta_is_honoured(tmp_path):
    data = _page("windows-1251", "Президент заявил сегодня".encode("cp1251"))
    (art,) = read_all(write(tmp_path / "a.html", data))
    assert "Президент заявил сегодня" in art.text


# -- 3. undeclared legacy text: Western first ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Deir ez-Zôr",
        "Zôr",
        "Fighting in Deir ez-Zôr continued on Monday.",
        "São Paulo, Bogotá, Córdoba, Zürich and Kraków.",
        "Zôr said ½ of it was 30°.",
        "Façade ô ÿ",
        "Le président a déclaré à Genève que la trêve était rompue.",
        "Ärger in München: Straßenbahn fährt nicht.",
    ],
)
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_western_legacy_text_is_read_as_windows_1252(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "encoding,text",
    [
        ("cp1251", "Президент России заявил сегодня, что переговоры в Женеве продолжатся на следующей неделе."),
        ("cp1253", "Ο πρόεδρος της Ελλάδας δήλωσε σήμερα ότι οι διαπραγματεύσεις θα συνεχιστούν."),
        ("gbk", "中华人民共和国外交部发言人今天表示，谈判将在下周继续进行。"),
        ("shift_jis", "日本政府は本日、交渉が来週も続くと発表した。"),
    ],
)
def test_non_western_legacy_text_still_detected(encoding, text):
    assert decode_bytes(text.encode(encoding)) == text


def test_latin1_file_end_to_end(tmp_path):
    (art,) = read_all(write(tmp_path / "zor.txt", "Deir ez-Zôr\n\nShelling hit Deir ez-Zôr.\n".encode("latin-1")))
    assert art.text == "Deir ez-Zôr\n\nShelling hit Deir ez-Zôr.\n"


# -- 4. what a directory walk skips -----------------------------------------------------------

VIEWER_HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="generator" content="kgbuild">\n<title>US-led coalition</title></head>'
    "<body><p>Troops entered Manbij.</p></body></html>"
)
ANNOTATION_LINE = json.dumps(
    {
        "date": None,
        "doc_id": "a",
        "entities": [],
        "events": [],
        "relations": [],
        "source": "in/a.txt",
        "text": "Troops entered Manbij.",
        "title": "T",
        "url": None,
    },
    sort_keys=True,
    ensure_ascii=False,
)
REPORT_LINE = json.dumps({"source": "in/x.txt", "stage": "ingest", "reason": "in/x.txt: empty file"}, sort_keys=True)


def test_kgbuild_outputs_are_skipped_by_content_whatever_their_names(tmp_path):
    write(tmp_path / "a.txt", "Troops entered Manbij on Tuesday.")
    write(tmp_path / "old" / "graph.html", VIEWER_HEAD)
    write(tmp_path / "old" / "renamed-viewer.htm", VIEWER_HEAD)
    write(tmp_path / "old" / "annotations.jsonl", ANNOTATION_LINE + "\n")
    write(tmp_path / "old" / "copy.jsonl", ANNOTATION_LINE + "\n")
    write(tmp_path / "old" / "report.jsonl", REPORT_LINE + "\n")
    skipped: list[InputError] = []
    arts = read_all(tmp_path, on_skip=skipped.append)
    assert [a.doc_id for a in arts] == ["a"]
    assert sorted(Path(e.path).name for e in skipped) == [
        "annotations.jsonl",
        "copy.jsonl",
        "graph.html",
        "renamed-viewer.htm",
        "report.jsonl",
    ]
    assert all("written by kgbuild" in str(e) for e in skipped)


def test_articles_that_merely_look_alike_are_read(tmp_path):
    """Gold-format JSONL (meta, no title/url/date) and an ordinary page named graph.html are articles."""
    gold = {"doc_id": "g1", "text": "Troops entered Manbij.", "meta": {}, "entities": [], "events": [], "relations": []}
    write(tmp_path / "annotations.jsonl", json.dumps(gold, sort_keys=True) + "\n")
    write(
        tmp_path / "graph.html",
        "<html><head><meta name='generator' content='WordPress'></head>"
        "<body><p>Rebels shelled Aleppo on Friday.</p></body></html>",
    )
    assert sorted(a.doc_id for a in read_all(tmp_path)) == ["g1", "graph"]


def test_explicitly_named_output_file_is_still_read(tmp_path):
    """Only directory walks skip; a file named on the command line is what the user asked for."""
    (art,) = read_all(write(tmp_path / "graph.html", VIEWER_HEAD))
    assert art.text == "Troops entered Manbij."


def test_fifo_and_socket_in_a_directory_are_skipped_and_reported(tmp_path):
    write(tmp_path / "a.txt", "Troops entered Manbij on Tuesday.")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "sock.txt"))
        os.symlink(tmp_path / "pipe.txt", tmp_path / "link-to-pipe.txt")
        skipped: list[InputError] = []
        arts = read_all(tmp_path, on_skip=skipped.append)  # would block for ever on the FIFO
    finally:
        sock.close()
    assert [a.doc_id for a in arts] == ["a"]
    reasons = {Path(e.path).name: str(e) for e in skipped}
    assert "a FIFO" in reasons["pipe.txt"] and "a FIFO" in reasons["link-to-pipe.txt"]
    assert "a socket" in reasons["sock.txt"]


def test_directory_of_only_special_files_is_a_clear_error(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(InputError, match="no articles found.*a FIFO"):
        read_all(tmp_path)


def test_explicit_fifo_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(InputError, match="not a regular file"):
        read_all(tmp_path / "pipe.txt")


def test_skips_are_logged_without_a_callback(tmp_path, caplog):
    write(tmp_path / "a.txt", "Troops entered Manbij on Tuesday.")
    os.mkfifo(tmp_path / "pipe.txt")
    with caplog.at_level("WARNING"):
        assert len(read_all(tmp_path)) == 1
    assert "a FIFO" in caplog.text


def test_non_utf8_file_names_are_shown_escaped(tmp_path):
    root = os.fsencode(tmp_path)
    with open(root + b"/caf\xe9.txt", "wb") as f:
        f.write(b"Rebels shelled Aleppo on Friday.\n")
    with open(root + b"/empty\xff.txt", "wb"):
        pass
    errors: list[InputError] = []
    (art,) = read_all(tmp_path, on_error=errors.append)
    assert art.source.endswith("caf\\xe9.txt")
    art.source.encode("utf-8")
    assert len(errors) == 1 and errors[0].path.endswith("empty\\xff.txt")
    json.dumps({"source": errors[0].path, "reason": str(errors[0])}, ensure_ascii=False).encode("utf-8")


# -- 5. doc ids -------------------------------------------------------------------------------


def _jsonl(tmp_path: Path, *records: dict) -> Path:
    return write(tmp_path / "in.jsonl", "".join(json.dumps(r) + "\n" for r in records))


def test_ids_differing_only_in_normalisation_are_one_id_and_collide(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")
    assert nfc != nfd
    path = _jsonl(tmp_path, {"id": nfd, "text": "First."}, {"id": nfc, "text": "Second."})
    errors: list[InputError] = []
    (art,) = read_all(path, on_error=errors.append)
    assert art.doc_id == nfc
    assert len(errors) == 1 and "duplicate doc id Café" in str(errors[0])
    with pytest.raises(InputError, match="duplicate doc id"):
        read_all(path)


def test_nfd_id_alone_becomes_nfc(tmp_path):
    (art,) = read_all(_jsonl(tmp_path, {"id": unicodedata.normalize("NFD", "Zôr-1"), "text": "x y"}))
    assert art.doc_id == unicodedata.normalize("NFC", "Zôr-1")


@pytest.mark.parametrize(
    "bad,what",
    [
        ("a\x00b", "a control character (U+0000)"),
        ("a\nb", "a control character (U+000A)"),
        ("a\tb", "a control character (U+0009)"),
        ("a\x1bb", "a control character (U+001B)"),
        ("a\x85b", "a control character (U+0085)"),
        ("a\u2028b", "a line separator (U+2028)"),
        ("a\ud800b", "a lone surrogate (U+D800)"),
    ],
)
def test_unprintable_ids_are_refused_clearly(tmp_path, bad, what):
    path = _jsonl(tmp_path, {"id": bad, "text": "Troops entered Manbij."}, {"id": "ok", "text": "Fine."})
    with pytest.raises(InputError) as info:
        read_all(path)
    message = str(info.value)
    assert what in message and message.startswith(f"{path}:1: doc id ")
    message.encode("utf-8")  # printable: no raw surrogate or control character in the message
    assert "\n" not in message and "\x00" not in message
    errors: list[InputError] = []
    assert [a.doc_id for a in read_all(path, on_error=errors.append)] == ["ok"]


def test_reserved_id_from_a_record_is_refused(tmp_path):
    with pytest.raises(InputError, match="doc id \"coref\" is reserved|doc id 'coref' is reserved"):
        read_all(_jsonl(tmp_path, {"id": "coref", "text": "Troops entered Manbij."}))


def test_file_named_coref_gets_a_content_id(tmp_path):
    (art,) = read_all(write(tmp_path / "coref.txt", "Troops entered Manbij on Tuesday."))
    assert art.doc_id != "coref" and len(art.doc_id) == 16
    assert read_all(write(tmp_path / "Coref.txt", "Other text."))[0].doc_id == "Coref"  # IRIs are case-sensitive


def test_reserved_ids_are_the_coref_graph():
    from kgbuild.ingest.ids import RESERVED_IDS
    from kgbuild.rdf import Minter
    from kgbuild.rdf.coref import coref_graph_iri

    m = Minter()
    assert {str(m.graph(i)) for i in RESERVED_IDS} == {str(coref_graph_iri(m))}


# -- 6. front matter, --date, HTML ids ---------------------------------------------------------


def test_front_matter_is_metadata_and_leaves_the_text(tmp_path):
    (art,) = read_all(
        write(
            tmp_path / "idlib.txt",
            "date: 2024-03-01\nTitle: Shelling in Idlib\nurl: https://e.org/1\n\n"
            "Shelling hit Idlib on Tuesday.\n\nRescuers said five died.\n",
        )
    )
    assert art.text == "Shelling hit Idlib on Tuesday.\n\nRescuers said five died.\n"
    assert (art.date, art.title, art.url, art.doc_id) == ("2024-03-01", "Shelling in Idlib", "https://e.org/1", "idlib")


@pytest.mark.parametrize(
    "text",
    [
        "Date: 2024-03-01\nShelling hit Idlib.\n",  # no blank line after it
        "Location: Idlib\n\nShelling hit Idlib.\n",  # an unknown key
        "date: 2024-03-01\nShelling hit Idlib.\n\nMore.\n",  # a line that is not key: value
        "date: 2024-03-01\ndate: 2024-03-02\n\nShelling.\n",  # a key twice
    ],
)
def test_no_front_matter_means_the_text_is_whole(tmp_path, text):
    (art,) = read_all(write(tmp_path / "a.txt", text))
    assert art.text == text


def test_front_matter_with_a_bad_date_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="front matter: date '2024-13-45' is not a date"):
        read_all(write(tmp_path / "a.txt", "date: 2024-13-45\n\nShelling hit Idlib.\n"))


def test_default_date_only_for_undated_articles(tmp_path):
    write(tmp_path / "undated.txt", "Shelling hit Idlib on Tuesday.\n")
    write(tmp_path / "dateline.txt", "IDLIB, 30 August 2017 - Shelling hit Idlib.\n")
    write(tmp_path / "front.txt", "date: 2024-03-01\n\nShelling hit Idlib.\n")
    write(
        tmp_path / "rec.jsonl",
        json.dumps({"id": "r", "text": "x y", "date": "2020-01-02"})
        + "\n"
        + json.dumps({"id": "s", "text": "y z"})
        + "\n",
    )
    dates = {a.doc_id: a.date for a in read_all(tmp_path, default_date="2023-05-05")}
    assert dates == {
        "undated": "2023-05-05",
        "dateline": "2017-08-30",
        "front": "2024-03-01",
        "r": "2020-01-02",
        "s": "2023-05-05",
    }


@pytest.mark.parametrize("bad", ["2023-5-5", "05/05/2023", "2023-02-30", "yesterday", ""])
def test_bad_default_date_is_a_usage_error(tmp_path, bad):
    from kgbuild.errors import UsageError

    write(tmp_path / "a.txt", "Shelling hit Idlib.\n")
    with pytest.raises(UsageError, match="--date"):
        read_all(tmp_path, default_date=bad)


@pytest.mark.parametrize(
    "name,expected",
    [("kobani-report.html", "kobani-report"), ("index.html", "url"), ("Default.htm", "url"), ("a b.html", "url")],
)
def test_html_id_from_the_file_name(tmp_path, name, expected):
    from kgbuild.ingest.ids import url_id

    page = (
        '<html><head><title>Kobani</title><link rel="canonical" href="https://e.org/kobani"></head>'
        "<body><p>Fighters captured Kobani on Monday, officials said.</p></body></html>"
    )
    (art,) = read_all(write(tmp_path / name, page))
    assert art.doc_id == (url_id("https://e.org/kobani") if expected == "url" else expected)
