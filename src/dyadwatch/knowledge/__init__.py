"""Loading the knowledge files (YAML an analyst can read and extend) into typed objects."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.knowledge.cameo import VerbDictionary, read_cameo_table, read_verb_dictionary
from dyadwatch.model import PLOVER_TYPES

BUNDLED = Path(__file__).parent
SECTORS = ("GOV", "MIL", "SEC", "BUS", "OPP", "MED", "REL")
# libyaml's safe loader where PyYAML was built with it: the world files read in a tenth of the time
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CODE_PATTERN = re.compile(r"^[A-Z]{2,5}(-(GOV|MIL|SEC|BUS|OPP|MED|REL))?$")


@dataclass(frozen=True)
class Role:
    title: str
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    kind: str = "organisation"
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    demonyms: tuple[str, ...] = ()  # adjectives naming a bloc's members ('Western governments')

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Furniture:
    """Patterns of page furniture lines (see furniture.yaml)."""

    lines: tuple[re.Pattern[str], ...] = ()
    blocks: tuple[re.Pattern[str], ...] = ()

    def is_line(self, line: str) -> bool:
        return any(p.fullmatch(line) for p in self.lines)

    def starts_block(self, line: str) -> bool:
        return any(p.fullmatch(line) for p in self.blocks)


@dataclass(frozen=True)
class Knowledge:
    actors: tuple[Actor, ...]
    countries: tuple[Country, ...]
    sectors: dict[str, str]
    events: dict[str, Any]
    domains: dict[str, tuple[str, ...]]
    claims: dict[str, Any]
    furniture: Furniture
    version: str
    sources: tuple[str, ...] = field(default=())
    verb_dictionaries: tuple[VerbDictionary, ...] = field(default=())
    cameo_table: dict[str, str] = field(default_factory=dict)  # CAMEO code -> PLOVER type


def load_knowledge(extra_dirs: Sequence[str | Path] = ()) -> Knowledge:
    """The bundled knowledge plus the user's folders (later entries win on the same alias)."""
    folders = [BUNDLED, *(Path(d) for d in extra_dirs)]
    files = _knowledge_files(folders)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    actors: list[Actor] = []
    countries: list[Country] = []
    sectors: dict[str, str] = {}
    events: dict[str, Any] = {}
    domains: dict[str, tuple[str, ...]] = {}
    claims: dict[str, Any] = {}
    furniture_lines: list[re.Pattern[str]] = []
    furniture_blocks: list[re.Pattern[str]] = []
    verb_dictionaries: list[VerbDictionary] = []
    cameo_table: dict[str, str] = {}
    for path in files:
        if path.name.endswith(".actors.txt"):
            actors.extend(read_cameo_actors(path))
            continue
        if path.name.endswith(".verbs.txt"):
            verb_dictionaries.append(read_verb_dictionary(path))
            continue
        if path.name.startswith("CAMEO2PLOVER"):
            cameo_table.update(read_cameo_table(path))
            continue
        data = _read_yaml(path)
        if path.name == "countries.yaml":
            countries.extend(_country(path, entry) for entry in data or [])
        elif path.name == "sectors.yaml":
            sectors.update({noun.lower(): sector for sector, nouns in data.items() for noun in nouns})
        elif path.name == "events.yaml":
            _merge_events(events, data)
        elif path.name == "domains.yaml":
            domains.update({d: tuple(cues) for d, cues in data.items()})
        elif path.name == "cameo.yaml":
            cameo_table.update(_cameo_entries(path, data))
        elif path.name == "claims.yaml":
            claims.update(data)
        elif path.name == "furniture.yaml":
            furniture_lines.extend(_patterns(path, data.get("line", [])))
            furniture_blocks.extend(_patterns(path, data.get("block", [])))
        elif path.parent.name == "actors" or path.name.endswith("actors.yaml"):
            actors.extend(_actor(path, entry) for entry in data or [])
    return Knowledge(
        actors=tuple(actors),
        countries=tuple(countries),
        sectors=sectors,
        events=events,
        domains=domains,
        claims=claims,
        furniture=Furniture(tuple(furniture_lines), tuple(furniture_blocks)),
        version=digest.hexdigest()[:12],
        sources=tuple(str(p) for p in files),
        verb_dictionaries=tuple(verb_dictionaries),
        cameo_table=cameo_table,
    )


def _knowledge_files(folders: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            raise DyadwatchError(Errors.E008, path=folder, reason="not a folder")
        found = [*folder.glob("*.yaml"), *folder.glob("actors/*.yaml"), *folder.glob("*.actors.txt"),
                 *folder.glob("*.verbs.txt"), *folder.glob("CAMEO2PLOVER*.txt")]
        files.extend(sorted(found))
    return files


@lru_cache(maxsize=1)
def bundled_intensities() -> Mapping[str, float]:
    """Each PLOVER type's place on the cooperation (+) / conflict (-) scale, as the bundled `events.yaml` gives it
    (what a type an analyst corrects takes: see store/review_values.applied_fields); read once, read-only."""
    table = (_read_yaml(BUNDLED / "events.yaml") or {}).get("intensity") or {}
    return MappingProxyType({kind: float(value) for kind, value in table.items()})


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "unreadable"
        raise DyadwatchError(Errors.E008, path=path, reason=f"not valid YAML: {problem}{where}") from None
    except UnicodeDecodeError:
        raise DyadwatchError(Errors.E008, path=path, reason="not UTF-8 text") from None


def _patterns(path: Path, sources: list[str]) -> list[re.Pattern[str]]:
    try:
        return [re.compile(s, re.IGNORECASE) for s in sources]
    except re.error as error:
        raise DyadwatchError(Errors.E008, path=path, reason=f"bad regular expression ({error})") from error


def _as_date(value: Any) -> str | None:
    return None if value is None else str(value)


def _actor(path: Path, entry: dict[str, Any]) -> Actor:
    try:
        code, name = str(entry["code"]), str(entry["name"])
    except (KeyError, TypeError) as error:
        raise DyadwatchError(Errors.E008, path=path, reason=f"an actor needs code and name: {entry}") from error
    if not CODE_PATTERN.match(code):
        raise DyadwatchError(Errors.E008, path=path, reason=f"bad actor code {code!r} for {name}")
    roles = tuple(
        Role(str(r.get("title", "")), _as_date(r.get("start")), _as_date(r.get("end")))
        for r in entry.get("roles") or []
    )
    aliases = tuple(str(a) for a in entry.get("aliases") or [])
    demonyms = tuple(str(d) for d in entry.get("demonyms") or [])
    return Actor(code=code, name=name, kind=str(entry.get("kind", "organisation")), aliases=aliases, roles=roles,
                 demonyms=demonyms)


def _country(path: Path, entry: dict[str, Any]) -> Country:
    try:
        code, name = str(entry["code"]), str(entry["name"])
    except (KeyError, TypeError) as error:
        raise DyadwatchError(Errors.E008, path=path, reason=f"a country needs code and name: {entry}") from error
    capitals = [entry.get("capital"), *(entry.get("capital_aliases") or [])]
    return Country(
        code=code,
        name=name,
        aliases=tuple(str(a) for a in entry.get("aliases") or []),
        demonyms=tuple(str(d) for d in entry.get("demonyms") or []),
        capitals=tuple(str(c) for c in capitals if c),
        regions=tuple(str(r) for r in entry.get("regions") or []),
    )


def _cameo_entries(path: Path, data: Any) -> dict[str, str]:
    for code, kind in (data or {}).items():
        if not (isinstance(code, str) and code.isdigit()) or kind not in PLOVER_TYPES:
            raise DyadwatchError(Errors.E008, path=path, reason=f"{code}: {kind} is not a quoted CAMEO code and a "
                                 "PLOVER type; write codes in quotes ('04') so YAML keeps their leading zero")
    return dict(data or {})


def _merge_events(into: dict[str, Any], data: dict[str, Any]) -> None:
    """A user's events.yaml adds to the bundled one: words join the lists they name, tables are updated."""
    for key, value in (data or {}).items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merged = dict(into[key])
            _merge_events(merged, value)
            into[key] = merged
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = [*into[key], *value]
        else:
            into[key] = value


CAMEO_LINE = re.compile(r"^\s*([^\[]+?)\s*\[([^\]]*)\]")


def read_cameo_actors(path: Path) -> list[Actor]:
    """Actors from a CAMEO/PETRARCH dictionary: `NAME [CODE]` lines, synonyms on `+` lines.

    Words are joined by underscores. A name that does not end in an underscore
    matches as a prefix of its last word (ARGENTIN matches Argentina and
    Argentinian); it is written here with a trailing `*`, which the actor
    matcher reads the same way. Null codes (`[---]`) and comments are skipped.
    """
    actors: list[Actor] = []
    text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.DOTALL)
    names: list[str] = []
    code = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("+") and code:
            names.append(_cameo_name(line[1:]))
            continue
        match = CAMEO_LINE.match(line)
        if not match:
            continue
        if code and names:
            actors.append(Actor(code=code, name=names[0], kind="cameo", aliases=tuple(names[1:])))
        code = _cameo_code(match.group(2))
        names = [_cameo_name(match.group(1))]
    if code and names:
        actors.append(Actor(code=code, name=names[0], kind="cameo", aliases=tuple(names[1:])))
    return actors


def _cameo_name(raw: str) -> str:
    raw = raw.strip()
    words = " ".join(raw.strip("_").replace("_", " ").split()).title()
    return words if raw.endswith("_") else f"{words}*"


def _cameo_code(raw: str) -> str:
    code = raw.strip().split()[0].lstrip("~").upper() if raw.strip() else ""
    return "" if set(code) <= {"-"} else code
