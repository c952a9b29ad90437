"""A corpus of hostile files, one folder per kind, built in a temporary folder, with what ingesting each
must give: a coded error (exactly one), or documents stored (and copies recognised)."""

from __future__ import annotations

import codecs
import os
import socket
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.ingest.office import docx_bomb, docx_with_entities, make_docx, make_odt, word_paragraph
from tests.ingest.pdfs import encrypted_pdf, make_pdf, pdf_bomb

PROSE = ("On 3 March 2021, Russia lent Belarus USD 500 million. The two governments signed an agreement on gas "
         "supplies in Minsk. Analysts expect the loan to be extended by 2023.\n")
MAX_BYTES = 2 * 1024 * 1024  # the size limit the hostile corpus is ingested with


@dataclass(frozen=True)
class Expected:
    error: str | None = None  # the code of the one error the kind must give
    stored: int = 0  # documents it must store
    duplicates: int = 0  # files recognised as a copy of another (a warning, not an error)


GOOD_FILES = {
    "good1.txt": "Gas deal\n\n" + PROSE,
    "good2.md": "# Loans\n\nIn June 2021 Moscow granted Minsk a second tranche of USD 500 million.\n",
    "good3.html": "<html><body><h1>Border</h1><p>Belarus closed its border with Lithuania in May 2021.</p>"
                  "</body></html>",
}


def write_good_files(folder: Path) -> list[str]:
    for name, text in GOOD_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return list(GOOD_FILES)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


@contextmanager
def _inside(folder: Path):
    """Work in `folder`: a socket's path must be short (108 bytes), so it is bound by a relative name."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _socket(folder: Path) -> None:
    with _inside(folder), socket.socket(socket.AF_UNIX) as server:
        server.bind("talks.txt")


def _unreadable(folder: Path) -> Expected:
    """chmod 000 stops anyone but root; root reads everything except files such as /proc/self/mem (EIO),
    reached through a link, which is refused unless links may be followed (see the test with --follow-links)."""
    if os.geteuid() != 0:
        os.chmod(_write(folder, "locked.txt", _prose(folder)), 0)
        return Expected(error="E030")
    (folder / "memory.txt").symlink_to("/proc/self/mem")
    return Expected(error="E035")


def _outside_target(folder: Path) -> Path:
    target = folder.parent.parent / "outside" / f"{folder.name}.txt"
    target.parent.mkdir(exist_ok=True)
    target.write_text(_prose(folder), encoding="utf-8")
    return target


def _prose(folder: Path) -> str:
    """The prose, made unique to its kind: the same bytes under two kinds would be one document and a copy."""
    return f"{PROSE}Filed under {folder.name}.\n"


def _utf16(text: str, encoding: str, mark: bytes = b"") -> bytes:
    return mark + text.encode(encoding)


BUILDERS: dict[str, Callable[[Path], Expected | None]] = {
    # names and places
    "non_utf8_name": lambda f: _write(f, os.fsdecode(b"caf\xe9 report.txt"), _prose(f)) and None,
    "name_with_brackets_and_newline": lambda f: _write(f, "a [draft]\n(1).txt", _prose(f)) and None,
    "same_name_two_folders": lambda f: (_write(f, "2020/brief.txt", "Brief\n\n" + _prose(f)),
                                        _write(f, "2021/brief.txt", "Brief\n\nIn 2022 talks resumed. " + _prose(f)),
                                        Expected(stored=2))[-1],
    "directory_named_like_a_file": lambda f: _write(f, "notes.txt/inner.md", _prose(f)) and None,
    "copy_under_another_name": lambda f: (_write(f, "a.txt", _prose(f)), _write(f, "b.txt", _prose(f)),
                                          Expected(stored=1, duplicates=1))[-1],
    "symlink_inside_folder": lambda f: (_write(f, "real.txt", _prose(f)), (f / "link.txt").symlink_to("real.txt"),
                                        Expected(stored=1, duplicates=1))[-1],
    "hidden_and_database_files": lambda f: (_write(f, ".hidden.txt", _prose(f)), _write(f, "store.db", b"SQLite"),
                                            _write(f, "visible.txt", _prose(f)), Expected(stored=1))[-1],
    "symlink_escaping_the_folder": lambda f: ((f / "escape.txt").symlink_to(_outside_target(f)),
                                              Expected(error="E035"))[-1],
    "dev_null_through_a_symlink": lambda f: ((f / "null.txt").symlink_to("/dev/null"), Expected(error="E035"))[-1],
    "broken_symlink": lambda f: ((f / "gone.txt").symlink_to("nowhere.txt"), Expected(error="E030"))[-1],
    "fifo": lambda f: (os.mkfifo(f / "pipe.txt"), Expected(error="E034"))[-1],
    "socket": lambda f: (_socket(f), Expected(error="E034"))[-1],
    "unreadable": _unreadable,
    # sizes and shapes
    "empty_file": lambda f: (_write(f, "empty.txt", b""), Expected(error="E002"))[-1],
    "whitespace_only": lambda f: (_write(f, "blank.md", b" \n\t\n  \r\n"), Expected(error="E002"))[-1],
    "too_large": lambda f: (_write(f, "huge.txt", _prose(f) * (MAX_BYTES // len(_prose(f)) + 10)),
                            Expected(error="E032"))[-1],
    "million_character_paragraph": lambda f: _write(f, "wall.txt", ("x" * 199 + " ") * 5000) and None,
    "identical_sentences_1200": lambda f: _write(f, "same.txt", "Tax rose 5%.\n" * 1200) and None,
    "brackets_20000": lambda f: _write(f, "brackets.txt", "[" * 20000) and None,
    "very_long_word": lambda f: _write(f, "word.txt", "Belarus " + "w" * 100_000 + " Russia.") and None,
    "huge_numbers": lambda f: _write(f, "numbers.txt", "Russia lent Belarus USD 10000000000000000000000. The debt "
                                     "is 1" + "0" * 400 + " dollars, or 99999999999999999999999 billion.\n") and None,
    "many_numbers": lambda f: _write(f, "counts.txt", " ".join(f"{i}," for i in range(3000))) and None,
    "control_characters": lambda f: _write(f, "control.txt", "Minsk\x07 met\x0b Moscow\x0c in\x1b May\x7f 2021.\x01"
                                           "\n\nRussia lent\x1c Belarus\x1d money.\x1e\n") and None,
    "mixed_line_endings": lambda f: _write(f, "endings.txt", "Title\r\n\r\nFirst line.\rSecond line.\n\r\n"
                                           + _prose(f).replace(". ", ".\r\n")) and None,
    "zero_width_and_bidi": lambda f: _write(f, "bidi.txt", "Rus\u200bsia lent \u202eBelarus\u202c USD 5\u200d00 "
                                            "million\u2066 in 2021.\ufeff\n") and None,
    "nul_after_the_first_8_kb": lambda f: _write(f, "late_nul.txt", _prose(f) * 60 + "\x00 tail.\n") and None,
    "markdown_link_storm": lambda f: _write(f, "links.md", "[a](" * 3000 + ")" * 3000) and None,
    "markdown_emphasis_storm": lambda f: _write(f, "stars.md", "*" * 5000 + " _" * 2000) and None,
    # encodings
    "utf8_with_bom": lambda f: _write(f, "bom8.txt", codecs.BOM_UTF8 + _prose(f).encode()) and None,
    "utf16_le_with_bom": lambda f: _write(f, "le.txt", _utf16(_prose(f), "utf-16-le", codecs.BOM_UTF16_LE)) and None,
    "utf16_be_with_bom": lambda f: _write(f, "be.txt", _utf16(_prose(f), "utf-16-be", codecs.BOM_UTF16_BE)) and None,
    "utf16_le_without_bom": lambda f: _write(f, "le_nobom.txt", _prose(f).encode("utf-16-le")) and None,
    "utf16_be_without_bom": lambda f: _write(f, "be_nobom.md", _prose(f).encode("utf-16-be")) and None,
    "utf32_le_with_bom": lambda f: _write(f, "le32.txt", _utf16(_prose(f), "utf-32-le", codecs.BOM_UTF32_LE)) and None,
    "utf32_be_with_bom": lambda f: _write(f, "be32.txt", _utf16(_prose(f), "utf-32-be", codecs.BOM_UTF32_BE)) and None,
    "utf16_with_a_lone_surrogate": lambda f: (_write(f, "broken16.txt", codecs.BOM_UTF16_LE + "ab".encode(
        "utf-16-le") + b"\x00\xd8" + "cd".encode("utf-16-le")), Expected(error="E031"))[-1],
    "latin1": lambda f: (_write(f, "latin1.txt", "Lukashenka said caf\xe9".encode("latin-1")),
                         Expected(error="E004"))[-1],
    "binary": lambda f: (_write(f, "binary.txt", bytes(range(256)) * 4), Expected(error="E003"))[-1],
    "unsupported_extension": lambda f: (_write(f, "sheet.xlsx", b"PK\x03\x04"), Expected(error="E005"))[-1],
    # formats
    "html_with_scripts_only": lambda f: (_write(f, "script.html", "<html><head><script>var a = 1;</script>"
                                                "<style>p {}</style></head><body><script>alert(2)</script>"
                                                "</body></html>"), Expected(error="E007"))[-1],
    "deeply_nested_markup": lambda f: _write(f, "nested.html", "<html><body>" + "<div>" * 5000 + "<p>Minsk met "
                                             "Moscow in May 2021.</p>" + "</div>" * 5000 + "</body></html>") and None,
    "unclosed_nested_paragraphs": lambda f: _write(f, "unclosed.html", "<p>Talks " * 3000 + "ended.") and None,
    "html_entity_storm": lambda f: _write(f, "entities.html", "<p>" + "&amp;&#x27;&nbsp;" * 2000 + "</p>") and None,
    "encrypted_pdf": lambda f: (_write(f, "secret.pdf", encrypted_pdf()), Expected(error="E036"))[-1],
    "pdf_bomb": lambda f: (_write(f, "bomb.pdf", pdf_bomb()), Expected(error="E006"))[-1],
    "truncated_pdf": lambda f: (_write(f, "cut.pdf", make_pdf("Russia lent Belarus money.")[:300]),
                                Expected(error="E006"))[-1],
    "word_file": lambda f: _write(f, "brief.docx", make_docx(word_paragraph(_prose(f)))) and None,
    "opendocument_file": lambda f: _write(f, "brief.odt", make_odt(f"<text:p>{_prose(f)}</text:p>")) and None,
    "old_word_file_renamed": lambda f: (_write(f, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 80),
                                        Expected(error="E053"))[-1],
    "docx_bomb": lambda f: (_write(f, "bomb.docx", docx_bomb()), Expected(error="E053"))[-1],
    "docx_billion_laughs": lambda f: (_write(f, "laughs.docx", docx_with_entities()), Expected(error="E053"))[-1],
    "pdf_without_text": lambda f: (_write(f, "scan.pdf", make_pdf(stream=b"0 0 m 10 10 l S")),
                                   Expected(error="E012"))[-1],
}


def build(folder: Path, kind: str) -> Expected:
    """Make the files of one kind under folder/kind; what ingesting that folder must give."""
    where = folder / kind
    where.mkdir(parents=True)
    return BUILDERS[kind](where) or Expected(stored=1)


def build_all(folder: Path) -> dict[str, Expected]:
    return {kind: build(folder, kind) for kind in BUILDERS}
