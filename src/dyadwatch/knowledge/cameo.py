"""The CAMEO coding community's dictionary formats (PETRARCH, TABARI), read into typed objects.

- Verb dictionaries (`*.verbs.txt`): blocks of verbs under a default CAMEO code, each with
  patterns of words before and after the verb that give a more specific code.
- CAMEO -> PLOVER tables: `cameo.yaml` in the bundled knowledge, or the PLOVER project's own
  `CAMEO2PLOVER*.txt` dropped into a knowledge folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import DyadwatchError, Errors

# A pattern word that stands for an actor or a skipped phrase: source, target, compound, skip.
ACTOR_MARKERS = {"$", "+", "%", "^"}
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BLOCK_HEADER = re.compile(r"^---\s*([^\s\[]+)\s*(?:\[([^\]]*)\])?")
CODE = re.compile(r"\[([^\]]*)\]")
UNCOMMENT = re.compile(r"#(?![^\[]*\]).*$")  # a '#' not inside a [code] ('[###]') starts a comment
PHRASE_MARKS = re.compile(r"[{}()]")
TABLE_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([A-Z]+)")

Slot = tuple[tuple[str, ...], ...]  # alternatives for one position, each a run of words
Run = tuple[Slot, ...]  # slots that must stand next to each other


@dataclass(frozen=True)
class VerbPattern:
    """`- BEFORE * AFTER [code]`: runs in order before and after the verb, gaps allowed between runs."""

    before: tuple[Run, ...]
    after: tuple[Run, ...]
    before_touches: bool  # 'FAILED_TO_*': the last run ends right before the verb
    after_touches: bool  # '*_UPON': the first run starts right after it
    code: str
    order: int

    @property
    def weight(self) -> int:
        return sum(len(run) for run in (*self.before, *self.after))


@dataclass(frozen=True)
class VerbForm:
    """One verb of a block: its head word's forms and the words that stand next to it ('BREAK_DOWN')."""

    heads: frozenset[str]
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str


@dataclass(frozen=True)
class VerbBlock:
    name: str
    code: str
    forms: tuple[VerbForm, ...]
    patterns: tuple[VerbPattern, ...]  # most specific first


@dataclass(frozen=True)
class VerbDictionary:
    path: str
    blocks: tuple[VerbBlock, ...]


def read_verb_dictionary(path: Path) -> VerbDictionary:
    """A PETRARCH/TABARI verb dictionary: synsets (`&NAME` then `+WORD` lines), then blocks
    (`--- VERB [code] ---`, verb lines with `{irregular forms}`, `- pattern [code]` lines)."""
    try:
        text = COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    except OSError as error:
        raise DyadwatchError(Errors.E008, path=path, reason=f"unreadable ({error.strerror})") from None
    lines = [UNCOMMENT.sub("", raw).rstrip() for raw in text.splitlines()]
    synsets, synset_lines = _synsets(lines)
    blocks: list[VerbBlock] = []
    header: tuple[str, str] | None = None
    forms: list[VerbForm] = []
    patterns: list[VerbPattern] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if match := BLOCK_HEADER.match(stripped):
            if header:
                blocks.append(_block(header, forms, patterns))
            header, forms, patterns = (match.group(1), _code(match.group(2) or "")), [], []
        elif header is None or not stripped or number in synset_lines:
            continue
        elif stripped.startswith("-"):
            patterns.append(_pattern(path, number, stripped[1:], synsets, len(patterns)))
        else:
            forms.append(_form(stripped))
    if header:
        blocks.append(_block(header, forms, patterns))
    if not blocks:
        raise DyadwatchError(Errors.E008, path=path, reason="no '--- VERB [code] ---' block: not a verb dictionary")
    return VerbDictionary(str(path), tuple(blocks))


def _block(header: tuple[str, str], forms: list[VerbForm], patterns: list[VerbPattern]) -> VerbBlock:
    ordered = sorted(patterns, key=lambda p: (-p.weight, p.order))
    return VerbBlock(header[0], header[1], tuple(forms), tuple(ordered))


def _synsets(lines: list[str]) -> tuple[dict[str, list[str]], set[int]]:
    """`&NAME` followed by `+ALTERNATIVE` lines (an alternative may itself name a synset), and the numbers of
    the lines they take, so that a verb line such as `+BREAK_DOWN` is not read as one."""
    raw: dict[str, list[str]] = {}
    taken: set[int] = set()
    current = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("&"):
            current = stripped.split()[0]
            raw[current] = []
            taken.add(number)
        elif stripped.startswith("+") and current:
            raw[current].append(stripped[1:].strip())
            taken.add(number)
        elif stripped:
            current = None
    return raw, taken


def _code(raw: str) -> str:
    return raw.strip().split(":")[0].strip()


def _form(line: str) -> VerbForm:
    code_match = CODE.search(line)
    code = _code(code_match.group(1)) if code_match else ""
    line = CODE.sub("", line)
    irregular = re.search(r"\{([^}]*)\}", line)
    base = line[: irregular.start()] if irregular else line
    words = base.split()[0].split("_") if base.split() else [""]
    head_at = next((i for i, w in enumerate(words) if w.startswith("+")), 0)
    head = words[head_at].lstrip("+")
    heads = {*_inflections(head)}
    for extra in (irregular.group(1).split() if irregular else []):
        parts = extra.split("_")
        heads.add(next((p for p in parts if p.startswith("+")), parts[min(head_at, len(parts) - 1)]).lstrip("+"))
    return VerbForm(frozenset(heads), tuple(words[:head_at]), tuple(w.lstrip("+") for w in words[head_at + 1:]), code)


def _inflections(word: str) -> list[str]:
    """The regular forms PETRARCH generates: -S/-ES, -ED, -ING."""
    if word.endswith("E"):
        return [word, word + "S", word + "D", word[:-1] + "ING"]
    if word.endswith("Y") and word[-2:-1] not in "AEIOU":
        return [word, word[:-1] + "IES", word[:-1] + "IED", word + "ING"]
    plural = word + ("ES" if word.endswith(("S", "SH", "CH", "X", "Z")) else "S")
    return [word, plural, word + "ED", word + "ING"]


def _pattern(path: Path, number: int, body: str, synsets: dict[str, list[str]], order: int) -> VerbPattern:
    code_match = CODE.search(body)
    if not code_match or body.count("*") != 1:
        raise DyadwatchError(Errors.E008, path=path, reason=f"line {number}: a pattern needs one '*' and a [code]")
    before, after = CODE.sub("", body).split("*")
    return VerbPattern(
        before=_runs(before, synsets), after=_runs(after, synsets),
        before_touches=before.endswith("_"), after_touches=after.startswith("_"),
        code=_code(code_match.group(1)), order=order)


def _runs(text: str, synsets: dict[str, list[str]]) -> tuple[Run, ...]:
    """Runs of adjacent words. PETRARCH's noun-phrase braces and prepositional-phrase parentheses
    ('* (FOR {MEDICAL TREATMENT})') are read as the words they hold, in order."""
    runs = []
    for chunk in PHRASE_MARKS.sub(" ", text).split():
        slots = tuple(_slot(word, synsets) for word in chunk.split("_") if word and word not in ACTOR_MARKERS)
        if slots:
            runs.append(slots)
    return tuple(runs)


def _slot(word: str, synsets: dict[str, list[str]], depth: int = 0) -> Slot:
    if not word.startswith("&") or depth > 5:
        return (tuple(word.split()),)
    alternatives: list[tuple[str, ...]] = []
    for entry in synsets.get(word, [word]):
        if entry.startswith("&"):
            alternatives.extend(_slot(entry, synsets, depth + 1))
        else:
            alternatives.append(tuple(entry.replace("_", " ").split()))
    return tuple(alternatives)


def read_cameo_table(path: Path) -> dict[str, str]:
    """CAMEO code -> PLOVER type from the PLOVER project's CAMEO2PLOVER text (`030: AGREE, ...` lines)."""
    table = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if match := TABLE_LINE.match(line):
            table[match.group(1)] = match.group(2)
    return table


def plover_type_of(cameo: str, table: dict[str, str]) -> str | None:
    """The PLOVER type of a CAMEO code: its own entry, else its three- or two-digit root's."""
    for length in (len(cameo), 3, 2):
        if cameo[:length] in table:
            return table[cameo[:length]]
    return None
