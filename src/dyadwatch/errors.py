"""Coded errors that say what went wrong and how to fix it (after spaCy's errors.py)."""

from __future__ import annotations

from enum import StrEnum


class Errors(StrEnum):
    E001 = "no such file or folder"
    E002 = "the file is empty"
    E003 = "the file looks binary (it holds NUL bytes); give a text, Markdown, HTML or PDF file"
    E004 = "the file is not valid UTF-8 (first bad byte at offset {offset}); re-save it as UTF-8"
    E005 = "unsupported file type '{suffix}'; supported: {supported}"
    E006 = "the PDF could not be read ({reason}); check that it is not damaged or encrypted"
    E007 = "the file holds no readable text after cleaning"
    E008 = "knowledge file {path}: {reason}"
    E009 = "the database at {url} could not be opened: {reason}"
    E010 = "no event with id {id}; list ids with `dyadwatch events`"
    E011 = "unknown export format '{format}'; choose one of {choices}"
    E012 = "the PDF holds no text layer (scanned pages?); run OCR on it first"
    E013 = "no record with id {id}; list ids with `dyadwatch events`, `figures` or `claims`"
    E015 = "cannot code the marked pair: {what}; mark two separate stretches of the sentence"
    E016 = "cannot correct {fields}; a correction may change: {allowed}"
    E017 = "no story with id {id}; list ids with `dyadwatch stories`"
    E018 = "no indicator with key {key!r}; list keys with `dyadwatch indicators`"
    E014 = "unknown review action '{action}'; choose one of {choices}"
    E019 = ("{path}, line {line}: {reason}; each line must be a JSON object "
            '{{"id": ..., "text": ..., "source": [start, end], "target": [start, end]}} with offsets into text')
    E020 = "the event coder's model folder {path} is missing or incomplete ({reason}); reinstall dyadwatch"
    # Reviews and serving (E021-E029).
    E021 = "cannot correct {field}={value}: {reason}; {field} takes {allowed}"
    E022 = ("serving on {host} would show every document to anyone who can reach it: give a read token "
            "(--read-token or $DYADWATCH_READ_TOKEN), or --public to publish them knowingly")
    E023 = ("the read token is too short: use at least {minimum} characters, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`")
    E024 = ("serving on {host} needs --allowed-host NAME for each host name clients use to reach it (requests "
            "naming any other host are refused, against DNS rebinding)")


class DyadwatchError(Exception):
    """An error a user can act on; the CLI prints it as one line."""

    def __init__(self, code: Errors, **details: object) -> None:
        self.code = code
        self.details = details
        super().__init__(f"[{code.name}] {code.value.format(**details)}")


class InputError(DyadwatchError):
    """A problem with one input file; other files go on."""

    def __init__(self, path: str, code: Errors, **details: object) -> None:
        self.path = path
        super().__init__(code, **details)

    def __str__(self) -> str:
        return f"{self.path}: {super().__str__()}"
