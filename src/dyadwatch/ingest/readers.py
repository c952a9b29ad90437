"""Readers: one per file format, each turning a file into a Document with its text.

For plain text and Markdown the document text is the decoded file, so offsets
point into the file itself. HTML, PDF, Word and OpenDocument files carry markup
or layout; their document text is the readable text the reader extracts (kept
in the database), and offsets point into that.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup, Tag

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest.files import DEFAULT_MAX_BYTES, InputFile, read_bytes, shown
from dyadwatch.ingest.metadata import FIELD_SEPARATOR
from dyadwatch.ingest.office_text import read_docx, read_odt
from dyadwatch.ingest.table_rows import markdown_table
from dyadwatch.model import Document

if TYPE_CHECKING:
    from pypdf import PdfReader

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd",
              "figcaption", "caption", "address")
SKIPPED_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button", "svg",
                "iframe")
ARTICLE_TAGS = ("article", "main")
# UTF-32 first: its little-endian mark begins with UTF-16's.
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32-LE"), (codecs.BOM_UTF32_BE, "UTF-32-BE"),
                    (codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF16_LE, "UTF-16-LE"), (codecs.BOM_UTF16_BE, "UTF-16-BE"))
SNIFF_BYTES = 8192
UTF16_NUL_SHARE = 0.9  # of the high bytes of a UTF-16 file of Latin text, at least this share is NUL


def read_document(path: Path, data: bytes | None = None, name: str | None = None) -> Document:
    """Read one file with the reader for its extension; `data` are its bytes when already read, `name` the
    name users see (its path under the folder ingested; the file name by default)."""
    shown_path = shown(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(shown_path, Errors.E005, suffix=shown(path.suffix) or "(none)", supported=", ".join(READERS))
    if data is None:
        data = read_bytes(InputFile(path, shown(path.name)), DEFAULT_MAX_BYTES)
    if not data.strip():
        raise InputError(shown_path, Errors.E002)
    text, meta = reader(path, data)
    if not text.strip():
        raise InputError(shown_path, Errors.E007)
    return Document(
        path=shown(path.resolve()),
        name=name or shown(path.name),
        format=path.suffix.lower().lstrip("."),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        title=meta.get("title", ""),
        authors=[meta["author"]] if meta.get("author") else [],
        publisher=meta.get("publisher", ""),
        date=meta.get("date"),
    )


def decode_text(path: Path, data: bytes) -> str:
    """The text of a file: UTF-8, or UTF-16 or UTF-32 when a byte-order mark says so, or UTF-16 without a
    mark when every other byte is NUL (Latin text); other files with NUL bytes are binary."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _decode(path, data[len(mark):], encoding)
    encoding = _utf16_by_nul_pattern(data[:SNIFF_BYTES])
    if encoding is not None:
        return _decode(path, data, encoding)
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(shown(path), Errors.E003)
    return _decode(path, data, "UTF-8")


def _utf16_by_nul_pattern(head: bytes) -> str | None:
    even, odd = head[0::2], head[1::2]
    if len(odd) < 2:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul >= UTF16_NUL_SHARE and even_nul < 1 - UTF16_NUL_SHARE:
        return "UTF-16-LE"
    if even_nul >= UTF16_NUL_SHARE and odd_nul < 1 - UTF16_NUL_SHARE:
        return "UTF-16-BE"
    return None


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "UTF-8":
            raise InputError(shown(path), Errors.E004, offset=error.start) from None
        raise InputError(shown(path), Errors.E031, encoding=encoding[:6], offset=error.start) from None


def read_plain(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    return decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n"), {}


def read_html(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    soup = BeautifulSoup(decode_text(path, data), "html.parser")
    meta = _html_meta(soup)
    for tag in soup(SKIPPED_TAGS):
        tag.decompose()
    for header in soup("header"):
        if not _article_header(header, meta.get("publisher")):
            header.decompose()
    blocks = []
    for element in soup.find_all((*BLOCK_TAGS, "table")):
        if element.name == "table" and not element.find("table"):
            blocks.append(_table_rows(element))
            continue
        if element.name == "table" or element.find(BLOCK_TAGS) or _in_simple_table(element):
            continue  # read on their own, or as rows of their table
        text = " ".join(element.get_text(" ").split())
        if text:
            blocks.append(text)
    blocks = [block for block in blocks if block]
    if not blocks and soup.body:
        blocks = [" ".join(line.split()) for line in soup.body.get_text("\n").splitlines() if line.strip()]
    return "\n\n".join(blocks), meta


def _table_rows(table: Tag) -> str:
    """A table as markdown rows, its first row the header, so that its figures are read with their headers
    (`dyadwatch.nlp.tables`); its caption is a paragraph of its own before it."""
    caption = table.find("caption")
    rows = [[" ".join(cell.get_text(" ").split()) for cell in row.find_all(("th", "td"))]
            for row in table.find_all("tr")]
    return markdown_table(rows, " ".join(caption.get_text(" ").split()) if caption else "")


def _in_simple_table(element: Tag) -> bool:
    """Whether an element is read as part of its table's rows (a table holding no other table)."""
    table = element.find_parent("table")
    return table is not None and not table.find("table")


def _article_header(header: Tag, site: str | None) -> bool:
    """Whether a `<header>` is an article's own (its headline and byline, read as text) rather than the site's
    banner: it lies inside the article, or it holds a headline that is not the site's name."""
    if header.find_parent(ARTICLE_TAGS) is not None:
        return True
    heading = header.find("h1")
    return heading is not None and " ".join(heading.get_text(" ").split()) not in ("", site)


def _html_meta(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for name, key in (("og:title", "title"), ("citation_title", "title"), ("dc.title", "title"),
                      ("og:site_name", "publisher"), ("citation_publisher", "publisher"), ("dc.publisher", "publisher"),
                      ("author", "author"), ("date", "date"), ("article:published_time", "date"),
                      ("citation_publication_date", "date"), ("dc.date", "date")):
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content") and key not in meta:
            meta[key] = " ".join(str(tag["content"]).split())
    if "title" not in meta and soup.title and soup.title.string:
        meta["title"] = " ".join(soup.title.string.split())
    if "title" in meta:
        meta["title"], site = _without_site_name(meta["title"], meta.get("publisher"), soup.find("h1"))
        if site and "publisher" not in meta:
            meta["publisher"] = site
    time_tag = soup.find("time", attrs={"datetime": True})
    if time_tag and "date" not in meta:
        meta["date"] = str(time_tag["datetime"]).strip()
    return meta


def _without_site_name(title: str, site: str | None, heading: Tag | None) -> tuple[str, str | None]:
    """'Talks resume | Andean Ledger' -> ('Talks resume', 'Andean Ledger'): a page title ends with the site's name
    when the site names itself so, or when what comes before it is the page's own heading."""
    separators = FIELD_SEPARATOR.findall(title)
    if not separators:
        return title, None
    headline, _, rest = title.rpartition(separators[-1])
    heading_text = " ".join(heading.get_text(" ").split()) if heading is not None else ""
    if rest == site or (heading_text and heading_text == headline):
        return headline, rest
    return title, None


def read_pdf(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    """The text of the pages as paragraphs (`pdf_text.reflow`), and the title and author of the PDF."""
    from pypdf import PdfReader  # imported here: PDF support is needed only for PDFs

    from dyadwatch.ingest.pdf_text import reflow, useful_title

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt(path, reader)
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except InputError:
        raise
    except Exception as error:  # pypdf raises a dozen kinds on damaged files, bombs and deep nesting
        raise InputError(shown(path), Errors.E006, reason=_pdf_reason(error)) from None
    text = reflow([p for p in pages if p.strip()])
    if not text:
        raise InputError(shown(path), Errors.E012)
    meta = {"title": useful_title(str(info.get("/Title") or "")), "author": str(info.get("/Author") or "")}
    return text, {k: v for k, v in meta.items() if v}


def _decrypt(path: Path, reader: PdfReader) -> None:
    """Open a PDF encrypted with an empty user password (often only to forbid printing); refuse others."""
    from pypdf import PasswordType

    try:
        opened = reader.decrypt("")
    except Exception as error:  # e.g. AES without the `cryptography` package
        raise InputError(shown(path), Errors.E036, reason=_pdf_reason(error)) from None
    if opened == PasswordType.NOT_DECRYPTED:
        raise InputError(shown(path), Errors.E036, reason="it needs a password")


def _pdf_reason(error: Exception) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


READERS: dict[str, Callable[[Path, bytes], tuple[str, dict[str, str]]]] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_plain,
    ".markdown": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".odt": read_odt,
}
