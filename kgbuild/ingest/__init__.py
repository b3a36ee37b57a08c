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

Text: text and HTML files are decoded (BOM, UTF-8, legacy guess; binary
files refused) and normalised by `normalize_text` ("\\n" line breaks, control
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
    * HTML pages: "u" + sha256(canonical url)[:16] when the page declares its
      URL, else the content hash.  Saved pages are often called index.html,
      so their file names are not used.
The content hash is sha256 of the NFC text, first 16 hex digits.

Errors are InputError (exit code 3) with the path (and ":line" for JSONL) in
the message.  Without `on_error` the first one is raised; with it, each one
is passed to `on_error` and reading goes on with the next input (--keep-going).

Files, in the order an input goes through them: read.py (`read_articles`,
the per-call state, dispatch on the extension), walk.py (finding files in
directories, reading bytes with the size limit, OS errors as InputErrors),
decode.py (bytes -> str: BOMs, UTF-8, legacy encodings, binary refused),
html.py (saved web pages: main text, title, date, URL), jsonl.py (JSON and
JSON Lines records), text.py (line breaks, control characters, NFC,
datelines), ids.py (doc ids), language.py (a warning for articles that do
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
