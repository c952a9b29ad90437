"""The command line: each command parses, opens the database, calls one library function, prints."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import partial, wraps
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from typer.exceptions import TyperException

from dyadwatch import evaluate as evaluation
from dyadwatch import export as exporting
from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.numbers import plain_number
from dyadwatch.settings import default, help_text, setting
from dyadwatch.store import queries
from dyadwatch.store.database import Store, database_url, missing_sqlite_file

if TYPE_CHECKING:
    from dyadwatch.ingest.service import FileResult, IngestOptions, IngestReport

EXIT_FAILED = 1  # some input failed (each failure printed), or a coded error such as an unknown id
EXIT_USAGE = 2  # a command line that Click could not parse
EXIT_INTERNAL = 70  # dyadwatch itself crashed (EX_SOFTWARE): a bug to report
EXIT_INTERRUPTED = 130  # Ctrl-C; an interrupted ingest carries on where it stopped when run again
EXIT_CODES = ("Exit codes: 0 all went well; 1 some files failed (each printed with its code) or a coded error; "
              "2 the command line was wrong; 70 dyadwatch itself crashed (a bug: please report it with the "
              "traceback); 130 interrupted.")
app = typer.Typer(help="dyadwatch: evidence-linked events, figures and forecasts of a relationship between "
                       "two countries, from the reports you read.", epilog=EXIT_CODES, no_args_is_help=True,
                  pretty_exceptions_enable=False)
WIDTH = shutil.get_terminal_size((160, 24)).columns  # piped output is not squeezed into 80 columns
out = Console(width=WIDTH)
err = Console(stderr=True, width=WIDTH)
PLAIN_ROWS = 500  # a longer table prints as plain columns: rich lays out every cell, about 1 ms a row

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite path "
                                                             "[default: $DYADWATCH_DB, else ./dyadwatch.db]")]
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="show at most this many")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line, for scripts.")]
KnowledgeOption = Annotated[list[Path] | None, typer.Option(
    "--knowledge", help="A folder of your own knowledge files (repeatable).", exists=True, file_okay=False)]
MinConfidenceOption = Annotated[float | None, typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="leave out events less certain than this (0–1) [default: the min_confidence setting]")]
DEMO_FOLDER = Path("examples") / "belarus-russia"
DEFAULT_MAX_SIZE = "20MB"
DEFAULT_TIMEOUT_S = float(default("seconds_per_file"))
DEFAULT_BATCH_SIZE = int(default("batch_size"))
DEFAULT_RANKED_AT_MOST = int(default("search_ranked_at_most"))
STAGES_SHOWN = 4  # the latest stage events `agreements` prints per entry (all of them with --json)


class Engine(StrEnum):
    """Where `ingest` extracts: worker processes here, or actors on a Ray cluster."""

    local = "local"
    ray = "ray"


# The shipped event coders, named from the setting so that the CLI loads no model to list them.
Coder = StrEnum("Coder", {name: name for name in setting("coder").choices})


CoderOption = Annotated[Coder, typer.Option(help=help_text("coder"))]
DEFAULT_CODER = Coder(default("coder"))

F = TypeVar("F", bound=Callable[..., Any])


def print_table(table: Table) -> None:
    """Print a table: boxed by rich, or as plain aligned columns when it is long (thousands of rows)."""
    if table.row_count <= PLAIN_ROWS:
        out.print(table)
        return
    columns = [[str(column.header), *(str(cell) for cell in column.cells)] for column in table.columns]
    widths = [max(len(cell) for cell in column) for column in columns]
    right = [column.justify == "right" for column in table.columns]
    lines = [str(table.title)] if table.title else []
    for number, row in enumerate(zip(*columns, strict=True)):
        lines.append("  ".join(cell.rjust(width) if flush else cell.ljust(width)
                               for cell, width, flush in zip(row, widths, right, strict=True)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    out.file.write("\n".join(lines) + "\n")


def print_error(error: object) -> None:
    """One red line on stderr; the message is escaped, so '[code]' or a file named 'a [draft].txt' prints as is."""
    err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)


def print_warning(text: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {escape(text)}", highlight=False, soft_wrap=True)


class WarningLine(logging.Handler):
    """The library's logged warnings (a stored review skipped as invalid, ...) as one yellow line on stderr each."""

    def emit(self, record: logging.LogRecord) -> None:
        print_warning(record.getMessage())


def _commands_with_db(ctx: typer.Context) -> list[str]:
    commands = getattr(ctx.command, "commands", {})  # the group's subcommands by name
    return [name for name, command in commands.items() if any(p.name == "db" for p in command.params)]


def _print_version(wanted: bool) -> None:
    if wanted:
        out.print(f"dyadwatch {version('dyadwatch')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(ctx: typer.Context, db: DbOption = None,
         show_version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                    help="Print the version and exit.")] = False) -> None:
    """Options given here (`dyadwatch --db X events`) hold for the command; the command's own win."""
    if db is not None:  # the subcommand's --db takes this as its default
        ctx.default_map = {**(ctx.default_map or {}), **{name: {"db": db} for name in _commands_with_db(ctx)}}
    logger = logging.getLogger("dyadwatch")
    if not any(isinstance(handler, WarningLine) for handler in logger.handlers):
        logger.addHandler(WarningLine(logging.WARNING))
    logger.setLevel(logging.INFO)


def friendly(command: F) -> F:
    """A DyadwatchError becomes one line on stderr and exit code 1; a crash of dyadwatch itself its traceback,
    one line and exit code 70, so that scripts can tell a bad input from a bug; Ctrl-C exit code 130."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):  # exit codes and usage errors of their own
            raise
        except DyadwatchError as error:
            print_error(error)
            raise typer.Exit(EXIT_FAILED) from None
        except KeyboardInterrupt:
            print_error(DyadwatchError(Errors.E051))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as error:
            err.print(escape(traceback.format_exc()), highlight=False, soft_wrap=True)
            print_error(DyadwatchError(Errors.E050, reason=f"{type(error).__name__}: {error}"))
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def open_store(db: str | None, create: bool = False) -> Store:
    """The database named here, else before the command, else $DYADWATCH_DB or ./dyadwatch.db."""
    return Store(_database(db, create))


def _database(db: str | None, create: bool = False) -> str:
    """The database's URL. Only `ingest` and `demo` create one: a mistyped path elsewhere is an error, not a new
    empty database."""
    url = database_url(db)
    missing = missing_sqlite_file(url)
    if missing is not None and not create:
        raise DyadwatchError(Errors.E025, path=str(missing))
    if missing is not None:
        err.print(f"creating the database {missing}", highlight=False)
    return url


def _print_json(rows: Iterable[Any]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row.as_dict() if hasattr(row, "as_dict") else row, ensure_ascii=False) + "\n")


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "– docs/s", style="progress.data.speed")


def _run_ingest(paths: list[Path], options: IngestOptions, run: Callable[..., IngestReport]) -> int:
    """Find the files, then `run(plan, on_result=...)` with a progress bar; each file's error is printed when it
    happens; the exit code."""
    from dyadwatch.ingest.service import plan_ingest

    plan = plan_ingest(paths, options.follow_links)
    return _with_progress(plan.total, lambda on_result: run(plan, on_result=on_result))


def _ingest_into(store: Store, paths: list[Path], options: IngestOptions) -> int:
    """An ingest into `store` with the local engine, as `_run_ingest`."""
    from dyadwatch.ingest.service import run_plan

    return _run_ingest(paths, options, partial(run_plan, store, options=options))


def _with_progress(total: int, run: Callable[[Callable[[FileResult], None]], IngestReport]) -> int:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=total)

        def on_result(result: FileResult) -> None:
            if result.error is not None:
                print_error(result.error)
            if result.warning:
                print_warning(f"{result.name}: {result.warning}")
            progress.update(task, advance=1, description=_short(result.name, 40))

        report = run(on_result)
    _print_summary(report)
    return EXIT_FAILED if report.errors else 0


def _print_summary(report: IngestReport) -> None:
    summary = Table(title="ingest summary", show_header=False)
    for label, value in (("files", report.files), ("documents ingested", report.documents),
                         ("unchanged, skipped", report.unchanged),
                         ("same content as another, skipped", report.duplicates),
                         ("sentences", report.sentences), ("events", report.events),
                         ("figures", report.figures), ("claims", report.claims), ("errors", len(report.errors))):
        summary.add_row(label, str(value))
    err.print(summary)
    if report.errors:
        err.print(f"{len(report.errors)} file(s) failed:", highlight=False)
        for error in report.errors:
            err.print(f"  {escape(str(error))}", highlight=False, soft_wrap=True)


SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMG]?B?)", re.IGNORECASE)
SIZE_FACTORS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "G": 1 << 30, "GB": 1 << 30}


def _parse_size(value: str) -> int:
    match = SIZE.fullmatch(value.strip())
    if match is None:
        raise typer.BadParameter(f"{value!r} is not a size; write e.g. 500KB, 20MB or 1GB", param_hint="--max-size")
    return int(float(match[1]) * SIZE_FACTORS[match[2].upper()])


def _ingest_options(knowledge: list[Path] | None, dyad: str | None, workers: int | None = 1,
                    max_size: str = DEFAULT_MAX_SIZE, timeout: float = DEFAULT_TIMEOUT_S,
                    batch_size: int = DEFAULT_BATCH_SIZE, follow_links: bool = False,
                    coder: Coder = DEFAULT_CODER) -> IngestOptions:
    from dyadwatch.ingest.service import IngestOptions  # the ingest modules load what only ingests need
    from dyadwatch.ingest.work import Limits

    pair = tuple(c.strip().upper() for c in dyad.split(",")) if dyad else ()
    return IngestOptions(knowledge_dirs=tuple(str(k) for k in knowledge or []), dyad=pair,
                         workers=workers or _cores(), batch_size=batch_size,
                         limits=Limits(max_bytes=_parse_size(max_size), seconds_per_file=timeout or None),
                         follow_links=follow_links, coder=coder.value)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@app.command(epilog=EXIT_CODES)
@friendly
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).")],
           db: DbOption = None, knowledge: KnowledgeOption = None,
           dyad: Annotated[str | None, typer.Option(help="The two countries, e.g. BLR,RUS "
                                                           "[default: the two each document names most]")] = None,
           workers: Annotated[int | None, typer.Option(
               min=1, help="worker processes (with --engine ray: Ray actors) that extract, each with its own "
                           "pipeline; 1: in this process [default: the number of cores, or the Ray cluster's "
                           "CPUs]")] = None,
           max_size: Annotated[str, typer.Option(help="skip files larger than this (500KB, 20MB, 1GB)")]
           = DEFAULT_MAX_SIZE,
           timeout: Annotated[float, typer.Option(min=0, help="seconds to read and extract one file before it is "
                                                             "given up; 0: no limit")] = DEFAULT_TIMEOUT_S,
           batch_size: Annotated[int, typer.Option(min=1, help="documents handed to a worker together and stored in "
                                                              "one transaction")] = DEFAULT_BATCH_SIZE,
           follow_links: Annotated[bool, typer.Option(help="read symbolic links that lead out of the folders "
                                                           "given")] = False,
           engine: Annotated[Engine, typer.Option(help="local: worker processes on this machine; ray: actors on a "
                                                       "Ray cluster (pip install 'dyadwatch[ray]')")] = Engine.local,
           address: Annotated[str | None, typer.Option(help="with --engine ray: the cluster, `auto` (the one "
                                                            "started here with `ray start`) or ray://HOST:10001 "
                                                            "[default: a local cluster for this run]")] = None,
           out: Annotated[Path | None, typer.Option("--out", file_okay=False, help=(
               "write the records as Parquet partitions in this folder instead of storing them (store them later "
               "with `dyadwatch load FOLDER`)"))] = None,
           coder: CoderOption = DEFAULT_CODER,
           ) -> None:
    """Read text, Markdown, HTML, PDF, Word and OpenDocument files and store their events, figures and claims.

    Each file is known by its path under the folder given (2021/brief.txt). Unchanged files are skipped
    after a hash check, so an interrupted run carries on where it stopped. A file that cannot be ingested
    is reported with its code when it happens, and the others go on."""
    from dyadwatch.ingest import service

    if address is not None and engine is not Engine.ray:
        raise typer.BadParameter("--address is for --engine ray", param_hint="--address")
    if out is not None and db is not None:
        raise typer.BadParameter("give --out (Parquet records) or --db (a database), not both", param_hint="--out")
    options = _ingest_options(knowledge, dyad, workers, max_size, timeout, batch_size, follow_links, coder)
    if engine is Engine.ray:
        from dyadwatch.ingest import ray_engine

        ray_engine.require_ray()  # before a database or folder is made
    if out is not None:
        from dyadwatch.ingest.parquet_records import ParquetSink

        sink: service.Sink = ParquetSink(out, options)
    else:
        sink = service.DatabaseSink(open_store(db, create=True), None, options)
    if engine is Engine.ray:
        run = partial(ray_engine.run_plan, sink, options=options, cluster=ray_engine.RayOptions(address, workers))
    else:
        run = partial(service.run_plan_into, sink, options=options)
    raise typer.Exit(_run_ingest(paths, options, run))


@app.command(epilog=EXIT_CODES)
@friendly
def load(folder: Annotated[Path, typer.Argument(help="a folder written by `dyadwatch ingest --out FOLDER`")],
         db: DbOption = None,
         batch_size: Annotated[int, typer.Option(min=1, help="documents stored in one transaction")]
         = DEFAULT_BATCH_SIZE) -> None:
    """Store the Parquet records written by `dyadwatch ingest --out`, as an ingest of their files would.

    Documents stored unchanged are skipped; a partition that cannot be read is reported with its code, and
    the others are stored."""
    from dyadwatch.ingest.parquet_records import load as load_records
    from dyadwatch.ingest.parquet_records import partitions

    store = open_store(db, create=True)
    total = len(partitions(folder)) if folder.is_dir() else 0
    raise typer.Exit(_with_progress(total, lambda on_result: load_records(store, folder, batch_size, on_result)))


@app.command()
@friendly
def events(db: DbOption = None, type: Annotated[str | None, typer.Option(help="PLOVER type")] = None,
           domain: Annotated[str | None, typer.Option()] = None,
           actor: Annotated[str | None, typer.Option(help="actor code, e.g. RUS or BLR-GOV")] = None,
           doc: Annotated[str | None, typer.Option(help="document file name")] = None,
           since: Annotated[str | None, typer.Option(help="ISO date")] = None,
           until: Annotated[str | None, typer.Option(help="ISO date")] = None,
           limit: LimitOption = None, min_confidence: MinConfidenceOption = None,
           as_json: JsonOption = False) -> None:
    """List events, in date order."""
    rows = queries.events(open_store(db), queries.EventFilter(type, domain, actor, doc, since, until, limit,
                                                         min_confidence))
    if as_json:
        return _print_json(rows)
    _print_events(rows, f"{len(rows)} events")


def _print_events(rows: list[queries.EventRow], title: str) -> None:
    table = Table("id", "date", "type", "source", "target", "domain", "neg", "conf", "evidence", title=title)
    for e in rows:
        table.add_row(e.id, e.date or "", e.type, e.source or "", e.target or "", e.domain,
                      "not" if e.negated else "", f"{e.confidence:.2f}", _short(e.quote))
    print_table(table)


@app.command()
@friendly
def timeline(db: DbOption = None, domain: Annotated[str | None, typer.Option()] = None,
             actor: Annotated[str | None, typer.Option()] = None, limit: LimitOption = None,
             min_confidence: MinConfidenceOption = None, as_json: JsonOption = False) -> None:
    """Dated events as a timeline: one line per event, grouped by month; an act told as not done is marked 'not'."""
    # Undated events come last in the listing's order: the first `limit` dated ones are among its first `limit`.
    wanted = queries.EventFilter(domain=domain, actor=actor, limit=limit or None, min_confidence=min_confidence)
    rows = [e for e in queries.events(open_store(db), wanted) if e.date]
    if as_json:
        return _print_json(rows)
    month = None
    for e in rows:
        if e.date[:7] != month:
            month = e.date[:7]
            out.print(f"\n[bold]{month}[/bold]")
        arrow = f"{e.source or '?'} → {e.target or '·'}"
        line = Text(f"  {e.date:<10} {_act(e):<14} {arrow:<20} ")
        line.append(_short(e.quote, 90), style="dim")
        out.print(line, no_wrap=True, overflow="ellipsis")
    if not rows:
        out.print("no dated events to show: ingest documents with `dyadwatch ingest PATH`, or loosen the filters "
                  "(--min-confidence 0 keeps every event)")


def _act(e: queries.EventRow) -> str:
    """An event's type as a one-line listing shows it: 'not AGREE' for an act told as not done."""
    return f"not {e.type}" if e.negated else e.type


@app.command()
@friendly
def show(event_id: Annotated[str, typer.Argument(help="an event id from `dyadwatch events`")],
         db: DbOption = None) -> None:
    """One event with its evidence highlighted inside its paragraph."""
    store = open_store(db)
    e = queries.event(store, event_id)
    paragraph, offset = queries.paragraph_around(store, e.doc, e.start, e.end)
    text = Text(paragraph)
    text.stylize("bold yellow", e.start - offset, e.end - offset)
    if e.trigger_start is not None and e.trigger_end is not None:
        text.stylize("bold red underline", e.trigger_start - offset, e.trigger_end - offset)
    out.print(f"[bold]{e.type}[/bold] {e.source or '?'} → {e.target or '·'}  date {e.date or 'unknown'}"
              f" ({e.date_precision or '-'})  domain {e.domain}{'  NEGATED' if e.negated else ''}"
              f"  confidence {e.confidence:.2f}")
    out.print(f"date from: {escape(e.date_source or 'unknown')}")
    out.print(f"document {e.doc} (dated {e.doc_date or 'unknown'}), characters {e.start}–{e.end}\n")
    out.print(text)


@app.command()
@friendly
def figures(db: DbOption = None, doc: Annotated[str | None, typer.Option()] = None,
            unit: Annotated[str | None, typer.Option()] = None, limit: LimitOption = None,
    as_json: JsonOption = False) -> None:
    """List figures: value, unit, what they measure, when."""
    from dyadwatch.store.record_listing import figure_page

    page = figure_page(open_store(db), doc, unit, limit)
    rows = page.rows
    if as_json:
        return _print_json(rows)
    table = Table("id", "value", "unit", "measure", "date", "evidence", title=f"{len(rows)} of {page.total} figures")
    for q in rows:
        table.add_row(q.id, plain_number(q.value), q.unit, q.measure, q.date or "", _short(q.quote, 60))
    print_table(table)


@app.command()
@friendly
def claims(db: DbOption = None, doc: Annotated[str | None, typer.Option()] = None,
           kind: Annotated[str | None, typer.Option(help="forecast or recommendation")] = None,
           limit: LimitOption = None,
    as_json: JsonOption = False) -> None:
    """List forecasts and recommendations with their holder and horizon."""
    from dyadwatch.store.record_listing import claim_page

    page = claim_page(open_store(db), doc, kind, limit)
    rows = page.rows
    if as_json:
        return _print_json(rows)
    table = Table("id", "kind", "holder", "horizon", "claim", title=f"{len(rows)} of {page.total} claims")
    for c in rows:
        table.add_row(c.id, c.kind, c.holder, c.horizon or "", _short(c.quote, 100))
    print_table(table)


@app.command()
@friendly
def search(text: Annotated[str, typer.Argument(help="words or a question")], db: DbOption = None,
           limit: Annotated[int, typer.Option()] = 10, knowledge: KnowledgeOption = None,
           as_json: JsonOption = False,
           ranked_at_most: Annotated[int, typer.Option(
               min=1, help="rank at most this many matching sentences, those stored last")] = DEFAULT_RANKED_AT_MOST
           ) -> None:
    """Answer a question with the sentences that prove it (ranked, cited), and the events and figures in them."""
    from dyadwatch.knowledge import load_knowledge
    from dyadwatch.search import answer

    found = answer(open_store(db), text, load_knowledge([str(k) for k in knowledge or []]), limit, ranked_at_most)
    if as_json:
        return _print_json(found.sentences)
    table = Table("score", "doc", "date", "offsets", "sentence", title=f"{len(found.sentences)} sentences")
    for hit in found.sentences:
        table.add_row(f"{hit.score:.2f}", hit.doc, hit.date or "", f"{hit.start}–{hit.end}", _short(hit.text, 110))
    print_table(table)
    if found.partial:
        out.print(f"{plain_number(found.partial.matching)} sentences hold these words; the "
                  f"{plain_number(found.partial.ranked)} stored last were ranked (the search_ranked_at_most setting)",
                  highlight=False)
    for e in found.events:
        out.print(f"  event {e.id}: {_act(e)} {e.source or '?'} → {e.target or '·'} {e.date or ''}", highlight=False)
    for q in found.figures:
        out.print(f"  figure {q.id}: {plain_number(q.value)} {q.unit} {q.measure} {q.date or ''}", highlight=False)


@app.command()
@friendly
def export(format: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet | plover")] = "jsonl",
           out_dir: Annotated[Path, typer.Option("--out", help="folder to write")] = Path("export"),
           db: DbOption = None, min_confidence: MinConfidenceOption = None) -> None:
    """Write the records to files: jsonl (the gold schema), csv, parquet or PLOVER jsonl."""
    for path in exporting.export(open_store(db), format, out_dir, min_confidence):
        err.print(f"wrote {path}")


@app.command("eval")
@friendly
def eval_(gold: Annotated[Path, typer.Option(help="folder with events/quantities/claims.jsonl", exists=True)],
          docs: Annotated[Path, typer.Option(help="folder of the documents the gold annotates", exists=True)],
          knowledge: KnowledgeOption = None, as_json: JsonOption = False) -> None:
    """Extract the documents into a fresh database and score its export as score.py does."""
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "eval.db"))
        _ingest_into(store, [docs], _ingest_options(knowledge, None))
        records = exporting.gold_records(store)
        store.close()
    report = evaluation.score(docs, gold, records)
    if as_json:
        sys.stdout.write(json.dumps({k: {lv: s.as_dict() for lv, s in v.items()} for k, v in report.items()}) + "\n")
        return
    for kind, levels in report.items():
        for level, s in levels.items():
            out.print(f"{kind:10} {level:18} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
                      f"  (gold {s.gold}, system {s.system}, matched {s.matched})", highlight=False)


@app.command()
@friendly
def stories(db: DbOption = None, type: Annotated[str | None, typer.Option(help="PLOVER type")] = None,
            domain: Annotated[str | None, typer.Option(help="domain, e.g. energy")] = None,
            actor: Annotated[str | None, typer.Option(help="actor code")] = None,
            min_sources: Annotated[int, typer.Option(help="only stories told by at least this many documents")] = 1,
            contested: Annotated[bool, typer.Option(help="only stories whose reports disagree (date, type, "
                                                         "source or figure)")] = False,
            min_confidence: MinConfidenceOption = None, limit: LimitOption = None,
            as_json: JsonOption = False) -> None:
    """Stories: one happening with all the documents that report it, most reported first."""
    from dyadwatch.reconcile.stories import StoryFilter
    from dyadwatch.reconcile.story_listing import story_listing

    rows = story_listing(open_store(db), StoryFilter(type, domain, actor, min_sources, contested), min_confidence,
                         limit=limit or None).stories
    if as_json:
        return _print_json(rows)
    table = Table("id", "date", "type", "source", "target", "neg", "sources", "reports", "contradictions", "evidence",
                  title=f"{len(rows)} stories")
    for s in rows:
        table.add_row(s.id, s.date or "", s.type, s.source or "", s.target or "", "not" if s.negated else "",
                      str(s.source_count), str(len(s.reports)), ", ".join(c.field for c in s.contradictions),
                      _short(s.reports[0].quote, 60))
    print_table(table)


@app.command()
@friendly
def story(story_id: Annotated[str, typer.Argument(help="a story id from `dyadwatch stories`")],
          db: DbOption = None, as_json: JsonOption = False) -> None:
    """One story: every report with its date as the source gives it, and where sources disagree."""
    from dyadwatch.reconcile.stories import story as find_story

    found = find_story(open_store(db), story_id)
    if found is None:
        raise DyadwatchError(Errors.E017, id=story_id)
    if as_json:
        return _print_json([found])
    out.print(f"[bold]{found.type}[/bold]{' NEGATED' if found.negated else ''} {found.source or '?'} → "
              f"{found.target or '·'}  date {found.date or '?'}"
              f"  domain {found.domain}  {found.source_count} source(s), {len(found.reports)} report(s)",
              highlight=False)
    for report in found.reports:
        out.print(f"  • {report.event_id} {report.doc} [{report.date or 'undated'}] {report.start}–{report.end}: "
                  f"{_short(report.quote, 140)}", highlight=False)
    for contradiction in found.contradictions:
        versions = "; ".join(f"{value} ({', '.join(docs)})" for value, docs in contradiction.versions.items())
        out.print(f"  [red]sources differ on {contradiction.field}:[/red] {versions}", highlight=False)


@app.command()
@friendly
def trend(db: DbOption = None, domain: Annotated[str | None, typer.Option()] = None,
          by: Annotated[str, typer.Option(help="month | year")] = "month",
          actors: Annotated[str | None, typer.Option(help="SOURCE,TARGET countries, e.g. EU,BLR")] = None,
          plot: Annotated[Path | None, typer.Option(help="write a PNG chart here")] = None,
          min_confidence: MinConfidenceOption = None, as_json: JsonOption = False) -> None:
    """The cooperation–conflict index per period and domain, from stories (each counted once)."""
    from dyadwatch.analysis.trends import plot_trend, story_trend

    if by not in ("month", "year"):
        raise typer.BadParameter("--by takes month or year")
    pair = tuple(c.strip().upper() for c in actors.split(",")) if actors else None
    points = story_trend(open_store(db), by, domain, pair, min_confidence)  # type: ignore[arg-type]
    if plot:
        plot_trend(points, str(plot))
        err.print(f"wrote {plot}")
    if as_json:
        return _print_json(points)
    table = Table(by, "domain", "index", "cooperation", "conflict", "events", title="cooperation–conflict index")
    for p in points:
        table.add_row(p.period, p.domain, f"{p.index:+.2f}", f"{p.cooperation:.1f}", f"{p.conflict:.1f}", str(p.events))
    print_table(table)


@app.command()
@friendly
def indicators(db: DbOption = None, min_points: Annotated[int, typer.Option(help="only series with at least this "
                                                                                 "many points")] = 1,
               limit: LimitOption = None,
    as_json: JsonOption = False) -> None:
    """Figures grouped by what they measure, as time series across documents."""
    from dyadwatch.reconcile.indicators import indicator_page

    page = indicator_page(open_store(db), min_points=min_points, limit=limit)
    if as_json:
        return _print_json(page.indicators)
    table = Table("key", "unit", "points", "first", "last", "documents",
                  title=f"{len(page.indicators)} of {page.total} indicators")
    for i in page.indicators:
        table.add_row(i.key, i.unit, str(i.count), i.first or "", i.last or "", str(i.documents))
    print_table(table)


@app.command()
@friendly
def indicator(key: Annotated[str, typer.Argument(help="a key from `dyadwatch indicators`")], db: DbOption = None,
              as_json: JsonOption = False) -> None:
    """One indicator's series: each figure with its date, value and evidence."""
    from dyadwatch.reconcile.indicators import indicator as find_indicator

    found = find_indicator(open_store(db), key, plot=False)
    if found is None:
        raise DyadwatchError(Errors.E018, key=key)
    if as_json:
        return _print_json(found.points)
    table = Table("date", "value", "bound", "doc", "evidence", title=f"{found.summary.measure} [{found.summary.unit}]")
    for p in found.points:
        table.add_row(p.date or "", plain_number(p.value), p.bound or "", p.doc, _short(p.quote, 70))
    print_table(table)


@app.command()
@friendly
def agreements(db: DbOption = None, limit: LimitOption = None,
    as_json: JsonOption = False) -> None:
    """Register of named treaties, agreements, programmes and institutions, with stages, status and sources."""
    from dyadwatch.reconcile.agreement_register import agreement_page

    page = agreement_page(open_store(db), limit=limit or None, events_listed=None if as_json else STAGES_SHOWN,
                          sources_listed=None if as_json else 0)
    rows = page.agreements
    if as_json:
        return _print_json(rows)
    shown = f"{len(rows)} of {page.total}" if len(rows) < page.total else f"{len(rows)}"
    table = Table("name", "kind", "parties", "status", "stages", "sources", title=f"{shown} agreements")
    for a in rows:
        stages = ", ".join(f"{e.stage} {e.date or ''}".strip() for e in a.events)
        table.add_row(a.name, a.kind, " ".join(a.parties), a.status, stages, str(a.source_count))
    print_table(table)


@app.command()
@friendly
def forecasts(db: DbOption = None, today: Annotated[str | None, typer.Option(
                  help="the date to judge horizons by [default: the latest document date]")] = None,
              limit: LimitOption = None,
              window_years: Annotated[int, typer.Option(
                  min=0, help="judge each forecast by the stories reported up to this many years after its horizon")
              ] = int(default("forecast_window_years")),
    as_json: JsonOption = False) -> None:
    """Forecasts tracked: holder, horizon, open or due (or the analyst's status), and later stories bearing on them."""
    from dyadwatch.analysis.forecasts import forecast_page

    page = forecast_page(open_store(db), today, limit=limit or None, window_years=window_years)
    rows = page.forecasts
    if as_json:
        return _print_json(rows)
    shown = f"{len(rows)} of {page.total}" if len(rows) < page.total else f"{len(rows)}"
    table = Table("id", "holder", "horizon", "status", "for", "against", "forecast", title=f"{shown} forecasts")
    for f in rows:
        table.add_row(f.claim_id, f.holder, f.horizon or "", f.status, str(f.supporting), str(f.contradicting),
                      _short(f.quote, 80))
    print_table(table)


@app.command()
@friendly
def sources(db: DbOption = None, by: Annotated[str, typer.Option(help="document | publisher")] = "document",
            limit: LimitOption = None,
    as_json: JsonOption = False) -> None:
    """Source profiles: domains covered, cooperation/conflict balance, forecasts, exclusive vs corroborated facts."""
    from dyadwatch.analysis.sources import publisher_profiles, source_profiles

    if by not in ("document", "publisher"):
        raise typer.BadParameter("--by takes document or publisher")
    store = open_store(db)
    profiles = (source_profiles(store, limit=limit or None) if by == "document" else  # the table names no document
                publisher_profiles(store, limit=limit or None, documents_listed=None if as_json else 0))
    rows = profiles.profiles
    if as_json:
        return _print_json(rows)
    shown = f"{len(rows)} of {profiles.total}" if len(rows) < profiles.total else f"{len(rows)}"
    table = Table(by, "stories", "balance", "forecasts", "alone", "corroborated", "domains", title=f"{shown} {by}s")
    for p in rows:
        domains = ", ".join(f"{d} {n}" for d, n in sorted(p.domains.items(), key=lambda kv: -kv[1])[:3])
        table.add_row(p.name, str(p.stories), f"{p.balance:+.1f}", str(p.forecasts), str(p.exclusive),
                      str(p.corroborated), domains)
    print_table(table)


@app.command()
@friendly
def network(out_file: Annotated[Path, typer.Option("--out", help="a .graphml or .gexf file")] = Path("network.graphml"),
            countries: Annotated[bool, typer.Option(help="merge actors into their countries")] = False,
            db: DbOption = None, as_json: JsonOption = False) -> None:
    """The actor network (who acts towards whom, how often and how), for Gephi or networkx."""
    from dyadwatch.analysis.network import actor_network, write_network

    graph = actor_network(open_store(db), countries=countries)
    if as_json:
        return _print_json({"source": a, "target": b, **data} for a, b, data in graph.edges(data=True))
    if out_file.suffix not in (".graphml", ".gexf"):
        raise typer.BadParameter("--out must end in .graphml or .gexf")
    write_network(graph, out_file)
    err.print(f"wrote {out_file}: {graph.number_of_nodes()} actors, {graph.number_of_edges()} relations")


@app.command()
@friendly
def review(record_id: Annotated[str | None, typer.Argument(
               help="an event, figure or claim id, d:NAME for a document's title, authors, publisher or date, "
                    "or a story id")] = None,
           action: Annotated[str | None, typer.Argument(
               help="confirm | correct | reject; for a story, merge | split")] = None,
           set_: Annotated[list[str] | None, typer.Option("--set", help="FIELD=VALUE to correct (repeatable), "
                                                          "e.g. --set type=AID --set source=RUS-GOV; a story's "
                                                          "merge takes --set into=s3, its split --set "
                                                          "events=e1,e2 (the events that leave it)")] = None,
           note: Annotated[str, typer.Option(help="why")] = "",
           author: Annotated[str, typer.Option(help="who reviews")] = "",
           queue: Annotated[bool, typer.Option("--queue", help="list the events to review, least certain first")]
           = False,
           limit: Annotated[int, typer.Option(help="how many events --queue lists")] = 20,
           db: DbOption = None, as_json: JsonOption = False) -> None:
    """Confirm, correct or reject a record, or merge or split a story; kept apart from machine output and
    re-applied after every re-run. With --queue: the events no one has reviewed yet, least certain first."""
    from dyadwatch.store.reviews import add_review

    if queue:
        rows = queries.review_queue(open_store(db), limit)
        return _print_json(rows) if as_json else _print_events(rows, f"review queue: {len(rows)} least certain")
    if record_id is None or action is None:
        raise typer.BadParameter("give a record id and an action (confirm, correct or reject; merge or split for a "
                                 "story), or --queue")
    changes = dict(_field_text(pair) for pair in set_ or [])
    stored = add_review(open_store(db), record_id, action, changes, note, author)
    if as_json:
        return _print_json([stored.__dict__])
    err.print(f"{stored.action} {record_id}" + (f": {stored.changes}" if stored.changes else ""), highlight=False)


def _field_text(pair: str) -> tuple[str, str]:
    """FIELD=VALUE as given; the library reads and validates the value."""
    field, equals, value = pair.partition("=")
    if not equals:
        raise typer.BadParameter(f"--set takes FIELD=VALUE, not {pair!r}")
    return field.strip(), value


@app.command()
@friendly
def code(sentence: Annotated[str | None, typer.Argument(help="the sentence")] = None,
         source: Annotated[str | None, typer.Option(help="the text of the acting actor, as in the sentence")] = None,
         target: Annotated[str | None, typer.Option(help="the text of the actor acted upon")] = None,
         batch: Annotated[Path | None, typer.Option(
             "--batch", exists=True, dir_okay=False,
             help='a JSONL file of {"id", "text", "source": [start, end], "target": [start, end]}; writes one '
                  '{"id", "type", "mode", "negated", "confidence"} line per input to stdout')] = None,
         knowledge: KnowledgeOption = None, coder: CoderOption = DEFAULT_CODER, as_json: JsonOption = False) -> None:
    """The PLOVER type, mode and intensity of what the marked source does to the marked target."""
    from dyadwatch.coding import code_pair, code_pairs, read_pairs, write_codings
    from dyadwatch.pipeline import Extractor

    extractor = Extractor([str(k) for k in knowledge or []], coder=coder.value)
    if batch is not None:
        count = write_codings(code_pairs(extractor, read_pairs(batch)), sys.stdout)
        err.print(f"coded {count} pairs")
        return
    if sentence is None or source is None or target is None:
        raise typer.BadParameter("give a sentence with --source and --target, or --batch FILE.jsonl")
    coded = code_pair(extractor, sentence, source, target)
    if as_json:
        sys.stdout.write(json.dumps(None if coded is None else coded.as_dict()) + "\n")
    elif coded is None:
        out.print("no event from the marked source to the marked target")
    else:
        out.print(f"{coded.type}{' (negated)' if coded.negated else ''}  mode {coded.mode or '-'}  "
                  f"intensity {coded.intensity:+.1f}  confidence {coded.confidence:.2f}  trigger '{coded.trigger}'",
                  highlight=False)


@app.command()
@friendly
def report(out_file: Annotated[Path, typer.Option("--out", help="the HTML file to write")] = Path("report.html"),
           title: Annotated[str, typer.Option()] = "dyadwatch report", db: DbOption = None) -> None:
    """One self-contained HTML report (charts inline) to e-mail: stories, disagreements, figures, claims."""
    from dyadwatch.report import write_report

    err.print(f"wrote {write_report(open_store(db), out_file, title)}")


@app.command()
@friendly
def serve(db: DbOption = None,
          host: Annotated[str, typer.Option(help="address to bind (loopback by default; any other exposes the "
                                                 "documents and needs --read-token or --public, and --allowed-host)")]
          = "127.0.0.1",
          port: Annotated[int, typer.Option()] = 8000,
          token: Annotated[str | None, typer.Option(help="write token for reviews [default: $DYADWATCH_TOKEN]; "
                                                          "without one the app is read-only")] = None,
          read_token: Annotated[str | None, typer.Option(
              "--read-token", envvar="DYADWATCH_READ_TOKEN", show_envvar=True,
              help="token every page and API route then asks for (login form or 'Authorization: Bearer'); "
                   "at least 16 characters")] = None,
          public: Annotated[bool, typer.Option("--public", help="serve a non-loopback address without a read "
                                                                "token, to anyone who can reach it")] = False,
          allowed_host: Annotated[list[str] | None, typer.Option(
              "--allowed-host", help="a host name clients use to reach the server (repeatable); other Host "
                                     "headers are refused")] = None) -> None:
    """The web app: overview, timeline, stories, documents, actors, figures, claims, search, reviews."""
    from dyadwatch.web.app import plan_exposure, run

    exposure = plan_exposure(host, read_token, public, allowed_host or [])
    reading = "reading needs the read token" if exposure.read_token else (
        "this machine only" if exposure.loopback else "open to anyone who can reach it")
    writing = "reviews need the write token" if token else "read-only"
    err.print(f"dyadwatch on http://{host}:{port}/ ({reading}; {writing})", highlight=False)
    run(_database(db), exposure, port=port, token=token)


@app.command()
@friendly
def demo(db: DbOption = None) -> None:
    """Ingest the bundled Belarus–Russia demo briefs and print a summary and the timeline."""
    folder = _demo_folder()
    store = open_store(db, create=True)
    _ingest_into(store, [folder], _ingest_options(None, None, workers=None))
    totals = queries.counts(store)
    out.print("  ".join(f"{name}: {n}" for name, n in totals.items()))
    timeline(db=db, domain=None, actor=None, as_json=False)


def _demo_folder() -> Path:
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (base / DEMO_FOLDER).is_dir():
            return base / DEMO_FOLDER
    raise typer.BadParameter(f"demo corpus not found: run from the repository root ({DEMO_FOLDER})")


def _short(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


if __name__ == "__main__":
    app()
