"""The ingest stage: the only place kgbuild reads articles from disk.

`read_articles` turns files and directories into `Article` records.  Whatever
it yields is final: `Article.text` is the exact string every later stage
indexes into, so all decoding and normalisation happens here and nowhere else.

Formats (chosen by file extension):
    .txt .text .md   plain text, one article per file (HTML inside a .txt is
                     detected and treated as HTML)
    .html .htm       a saved web page, one article per file
    .jsonl           JSON Lines, one article object per line (streamed)
    .json            one article object, or an array of them

An article object has "text" and optionally "doc_id" (or "id"), "title",
"date", "url"; other keys are ignored, so the shared gold evaluation format
(doc_id, text, meta, entities, events) reads as is.

Directories are walked recursively (sorted, hidden entries skipped).  Never
read from a walk, but reported to `on_skip` (the build's warnings and
report.jsonl): FIFOs, sockets and devices (a FIFO would block for ever), and
kgbuild's own outputs, recognised by content whatever their names (the viewer's
<meta name="generator" content="kgbuild">, the fixed first keys of
annotations.jsonl and report.jsonl), so an --out inside an input directory is
not read back as articles.  A file named explicitly is always read (a FIFO or
device named so is an InputError).  File names that are not UTF-8 are shown
with \\xNN escapes (walk.shown) in `Article.source` and every message.

Front matter (.txt/.text/.md): "key: value" lines at the very top, keys among
date, title, url (each once), ended by a blank line, are metadata and are
removed from the text (text.split_front_matter).  `default_date`
(`kgbuild build --date`) dates every article left without a date.

Text: text and HTML files are decoded (BOM, UTF-8, an HTML <meta charset>
label read by the WHATWG Encoding Standard's table (labels.py: utf-16 means
UTF-8, latin1/ascii mean windows-1252, unknown labels are ignored), then a
legacy guess that prefers windows-1252 for Western text; binary files
refused; HTML deeper than libxml2's 256 levels is flattened first, html.py,
so no text is lost) and normalised by `normalize_text` ("\\n" line breaks, control
characters dropped, NFC).  JSON texts are only sanitised in place (control
characters become spaces, a lone CR becomes LF, no NFC): records often carry
annotations, and their offsets must stay valid for the text as given.

Doc ids (they become IRIs and keys in annotations.jsonl, so they must be
stable across runs):
    * JSON: an explicit "doc_id"/"id" is kept as is (it must be a non-empty
      string), else "u" + sha256(url)[:16], else sha256(text)[:16].
    * Text files: the file stem when it is a safe id (letters, digits, "_",
      "-", "." and at most 64 characters, starting with a letter or digit),
      because users name their articles and expect to see those names in the
      graph; otherwise the content hash.  Renaming a file therefore changes
      its id; content-named ids would be stable under renaming but unreadable.
    * HTML pages: the file stem like text files; but a generic stem (index,
      default, home, main: a server's default document, e.g. index.html)
      names no article, so such pages get "u" + sha256(canonical url)[:16]
      when the page declares its URL, else the content hash.
    * Every id, whatever its origin, is NFC-normalised before the duplicate
      check ("Café" written two ways is one id, so two such articles are a
      duplicate-id error); an id with a control character, U+2028/U+2029 or
      a lone surrogate is an InputError; "coref" is reserved (the graph
      {base}graph/coref of the coreference layer): a record with that id is
      an InputError, a file coref.txt gets the content hash (ids.check_id).
The content hash is sha256 of the NFC text, first 16 hex digits.

Errors are InputError (exit code 3) with the path (and ":line" for JSONL) in
the message.  Without `on_error` the first one is raised; with it, each one
is passed to `on_error` and reading goes on with the next input (--keep-going).

Files, in the order an input goes through them: read.py (`read_articles`,
the per-call state, dispatch on the extension), walk.py (finding files in
directories, reading bytes with the size limit, OS errors as InputErrors),
decode.py (bytes -> str: BOMs, UTF-8, legacy encodings, binary refused),
labels.py (the WHATWG label table, as data), html.py (saved web pages: main
text, title, date, URL; deep nesting), jsonl.py (JSON and JSON Lines records),
text.py (line breaks, control characters, NFC, datelines, front matter),
ids.py (doc ids and their checks), language.py (a warning for articles that do
not look English; the run stage reports it).
"""

from .decode import decode_bytes
from .read import DEFAULT_MAX_BYTES, read_articles
from .text import find_dateline, normalize_text
from .walk import ARTICLE_SUFFIXES

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "decode_bytes",
    "find_dateline",
    "normalize_text",
    "read_articles",
]
