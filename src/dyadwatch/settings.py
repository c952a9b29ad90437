"""Settings a user may change, declared as a table of name, default and help (after datasette's)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: float | int | str
    help: str
    choices: tuple[str, ...] = ()  # the values allowed, where they are few (the CLI offers them by name)


SETTINGS = (
    # 0.2: chosen as the threshold with the best type+actors F1 on an earlier release's held-out table and kept;
    # the README gives what it buys with the shipped coder.
    Setting("min_confidence", 0.2,
            "events whose confidence is below this are left out of listings, exports, stories, trends and the "
            "web app (0 keeps every event; the README gives the precision and recall each threshold buys on "
            "the held-out set)"),
    Setting("forecast_window_years", 2, "a forecast is judged by the stories reported up to this many years after "
            "its horizon ends (after its document's date when it names no horizon)"),
    Setting("coder", "accurate", "the event coder an ingest uses: accurate (six encoder layers) or fast (three, "
            "distilled from an earlier accurate coder: about 60 % of the coder's time, less accurate; the README "
            "measures both)", choices=("accurate", "fast")),
    Setting("batch_size", 8, "files extracted and stored together by an ingest, in one transaction"),
    Setting("search_ranked_at_most", 20_000, "a question whose words match more sentences than this has the "
            "ones stored last, this many, ranked by the full-text engine before re-ranking, and its answer says "
            "so: ranking every match of common words costs hundreds of milliseconds at 100,000 documents"),
    Setting("seconds_per_file", 300.0, "the time budget to read and extract one file, after which it is an "
            "error (E033) and the ingest goes on"),
)


def setting(name: str) -> Setting:
    return next(s for s in SETTINGS if s.name == name)


def default(name: str) -> float | int | str:
    return setting(name).default


def help_text(name: str) -> str:
    return setting(name).help


def confidence_threshold(given: float | None) -> float:
    """The threshold asked for, or the setting's default when none is."""
    return given if given is not None else float(default("min_confidence"))
