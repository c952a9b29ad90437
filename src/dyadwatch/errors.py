"""Coded errors that say what went wrong and how to fix it (after spaCy's errors.py)."""

from __future__ import annotations

from enum import StrEnum


class Errors(StrEnum):
    E001 = "no such file or folder"
    E002 = "the file is empty"
    E003 = ("the file looks binary (it holds NUL bytes); give a text, Markdown, HTML, PDF, Word (.docx) or "
            "OpenDocument (.odt) file")
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
    E025 = ("there is no database at {path}; ingest documents into it first (`dyadwatch ingest --db {path} FOLDER`), "
            "or give the path of an existing one with --db or $DYADWATCH_DB")
    E020 = "the event coder's model folder {path} is missing or incomplete ({reason}); reinstall dyadwatch"
    # Reviews and serving (E021-E029).
    E021 = "cannot correct {field}={value}: {reason}; {field} takes {allowed}"
    E022 = ("serving on {host} would show every document to anyone who can reach it: give a read token "
            "(--read-token or $DYADWATCH_READ_TOKEN), or --public to publish them knowingly")
    E023 = ("the read token is too short: use at least {minimum} characters, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`")
    E024 = ("serving on {host} needs --allowed-host NAME for each host name clients use to reach it (requests "
            "naming any other host are refused, against DNS rebinding)")
    E026 = "the review's {field} holds a NUL character, which PostgreSQL cannot store; remove it and try again"
    E027 = ("cannot {action} story {id}: {reason}; a merge names the story to join (--set into=s3), a split the "
            "events that leave it (--set events=e1,e2), as `dyadwatch story ID` lists them")
    # Ingest (E030-E049): one file's problem; the run goes on with the others.
    E030 = "the file could not be read ({reason}); check that it exists and that you may read it"
    E031 = ("the file is not valid {encoding} (its byte-order mark or byte pattern says it is; first bad byte at "
            "offset {offset}); re-save it as UTF-8")
    E032 = "the file is too large ({size}; the limit is {limit}); raise --max-size to read it, or split it"
    E033 = ("reading and extracting the file took longer than the budget of {seconds:g} s; raise --timeout to give "
            "it more time, or split the file")
    E034 = "not a regular file but a {kind}; skipped"
    E035 = ("a symbolic link to {target}, which is outside the folder being ingested; skipped (give --follow-links "
            "to read such links)")
    E036 = "the PDF is encrypted ({reason}); save a decrypted copy and ingest that"
    E037 = "extraction failed ({reason}); this is a bug in dyadwatch: please report it with the file"
    E038 = "the records could not be stored ({reason}); check the database, then ingest the file again"
    E039 = ("another file of this run has the same name {name} ({other}); ingest the folder that holds both, so "
            "that their names differ")
    E040 = ("the worker process extracting the file stopped ({reason}); the file may need more memory than there is, "
            "or may have hit a bug in a library")
    E041 = ("the Ray engine needs Ray, which is not installed here; install it with `pip install 'dyadwatch[ray]'` "
            "(or run `make test`, which does), or leave out --engine ray")
    E042 = "the record folder {path} cannot be used: {reason}"
    E043 = "the record partition could not be read ({reason}); write it again with `dyadwatch ingest --out FOLDER`"
    E044 = ("the Ray cluster at {address} could not be reached ({reason}); start one with `ray start --head`, or give "
            "its address with --address")
    E045 = ("the Ray run stopped ({reason}); what was stored before is kept: run the same command again to carry on "
            "(stored files are skipped)")
    # The tool itself (E050-): not a problem with the input.
    E050 = "internal error ({reason}); this is a bug in dyadwatch: please report it with the traceback above"
    E051 = "interrupted; run the same command again to carry on where it stopped (stored files are skipped)"
    E053 = ("the {kind} file could not be read: {reason}; open it in a word processor and save it again as .docx or "
            ".odt")
    E052 = "a throw-away PostgreSQL cluster could not be run: `{command}` failed ({reason})"


class Warnings(StrEnum):
    W001 = "same content as {other}, which is stored; not stored twice"


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

    def __reduce__(self) -> tuple:
        """Picklable, so that a worker process can hand it back to the one that stores."""
        return _input_error, (self.path, self.code.name, self.details)


def _input_error(path: str, code: str, details: dict[str, object]) -> InputError:
    return InputError(path, Errors[code], **details)


def warning_text(code: Warnings, **details: object) -> str:
    return f"[{code.name}] {code.value.format(**details)}"
