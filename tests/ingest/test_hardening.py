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
    return ("<!doctype html><html><head><title>Deep page</title></head><body>"
            "<p>Troops entered Manbij on Tuesday.</p>"
            + f"<div>{inner}" * depth
            + "<p>Rebels withdrew from the town &amp; its outskirts.</p><script>var hidden = 'no';</script>"
            + "</div>" * depth
            + "<p>Talks resume in Geneva next week.</p></body></html>")


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
    art, = read_all(write(tmp_path / "nest.html", page))
    assert art.text == "Only this sentence, at the bottom."


def test_deep_html_in_a_txt_file(tmp_path):
    art, = read_all(write(tmp_path / "deep.txt", _deep_page(400)))
    assert art.text.endswith("Talks resume in Geneva next week.")


# -- 2. <meta charset> labels (WHATWG) ----------------------------------------------------


def test_label_table_is_complete_data():
    assert set(LABELS) == set(PYTHON_CODECS)
    labels = [label for group in LABELS.values() for label in group]
    assert len(labels) == len(set(labels))  # a label names one encoding
    for codec in PYTHON_CODECS.values():
        if codec is not None:
            "x".encode(codec)  # every codec exists


@pytest.mark.parametrize("label,codec", [
    ("utf-16", "utf-8"), ("UTF-16LE", "utf-8"), ("utf-16be", "utf-8"), ("unicode", "utf-8"),
    ("iso-8859-1", "cp1252"), ("Latin1", "cp1252"), ("ascii", "cp1252"), ("US-ASCII", "cp1252"),
    ("x-user-defined", "cp1252"), (" windows-1251 ", "cp1251"), ("koi8-r", "koi8_r"), ("sjis", "cp932"),
    ("gb2312", "gb18030"), ("iso-8859-9", "cp1254"),
    ("undefined", None), ("no-such-encoding", None), ("hz-gb-2312", None), ("", None),
])
def test_meta_labels(label, codec):
    assert meta_charset_codec(label) == codec


def test_label_lookup_is_case_and_space_insensitive():
    assert encoding_for_label("\tISO_8859-1:1987 ") == "windows-1252"


def _page(charset: str, body: bytes) -> bytes:
    return (b'<!doctype html><html><head><meta charset="' + charset.encode() + b'"><title>T</title></head><body><p>'
            + body + b"</p></body></html>")


def test_utf16_meta_on_an_ascii_page_reads_as_utf8(tmp_path):
    data = _page("utf-16", "The café in Raqqa reopened on Monday after the fighting.".encode("utf-8"))
    art, = read_all(write(tmp_path / "a.html", data))
    assert "The café in Raqqa reopened on Monday" in art.text


def test_utf16_meta_on_a_legacy_page_is_not_cjk(tmp_path):
    data = _page("utf-16", "The café in Raqqa reopened on Monday after the fighting.".encode("cp1252"))
    art, = read_all(write(tmp_path / "a.html", data))
    assert "The café in Raqqa reopened on Monday" in art.text


@pytest.mark.parametrize("label", ["undefined", "bogus-enc", "replacement", "x-nothing"])
def test_unknown_meta_label_is_ignored(tmp_path, label):
    data = _page(label, "Fighting near Deir ez-Zôr continued into the night.".encode("cp1252"))
    art, = read_all(write(tmp_path / "a.html", data))
    assert "Fighting near Deir ez-Zôr continued" in art.text


def test_latin1_meta_means_windows_1252(tmp_path):
    data = _page("iso-8859-1", "\u201cWe will stay,\u201d he said \u2014 in Zôr.".encode("cp1252"))
    assert declared_charset(data) == "cp1252"
    art, = read_all(write(tmp_path / "a.html", data))
    assert "\u201cWe will stay,\u201d he said \u2014 in Zôr." in art.text


def test_cyrillic_meta_is_honoured(tmp_path):
    data = _page("windows-1251", "Президент заявил сегодня".encode("cp1251"))
    art, = read_all(write(tmp_path / "a.html", data))
    assert "Президент заявил сегодня" in art.text


# -- 3. undeclared legacy text: Western first ----------------------------------------------


@pytest.mark.parametrize("text", [
    "Deir ez-Zôr", "Zôr", "Fighting in Deir ez-Zôr continued on Monday.",
    "São Paulo, Bogotá, Córdoba, Zürich and Kraków.", "Zôr said ½ of it was 30°.", "Façade ô ÿ",
    "Le président a déclaré à Genève que la trêve était rompue.", "Ärger in München: Straßenbahn fährt nicht.",
])
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_western_legacy_text_is_read_as_windows_1252(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding,text", [
    ("cp1251", "Президент России заявил сегодня, что переговоры в Женеве продолжатся на следующей неделе."),
    ("cp1253", "Ο πρόεδρος της Ελλάδας δήλωσε σήμερα ότι οι διαπραγματεύσεις θα συνεχιστούν."),
    ("gbk", "中华人民共和国外交部发言人今天表示，谈判将在下周继续进行。"),
    ("shift_jis", "日本政府は本日、交渉が来週も続くと発表した。"),
])
def test_non_western_legacy_text_still_detected(encoding, text):
    assert decode_bytes(text.encode(encoding)) == text


def test_latin1_file_end_to_end(tmp_path):
    art, = read_all(write(tmp_path / "zor.txt", "Deir ez-Zôr\n\nShelling hit Deir ez-Zôr.\n".encode("latin-1")))
    assert art.text == "Deir ez-Zôr\n\nShelling hit Deir ez-Zôr.\n"
