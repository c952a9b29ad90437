"""A synthetic corpus for the scale benchmark: N short dated reports of varied, templated sentences.

    python benchmarks/synthetic_corpus.py --documents 10000 --out /tmp/corpus [--seed 7]

Sentences are filled from templates over the actor knowledge (country names, capitals, demonyms,
heads of state and government with the years they held office), never copied text. Each document
(about 400 words) follows one pair of countries through a dated story: meetings, agreements, loans,
sanctions, accusations, figures, a forecast and a recommendation, so that every stage of the
pipeline and every view has work to do. Its byline names one of a few writers of one of N / 100
made-up publishers (at least five), as a think tank's or a news desk's would. The same seed gives
the same corpus.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dyadwatch.knowledge import Actor, Country, load_knowledge

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
EVENTS = (
    "{A} and {B} signed an agreement on {topic} in {city} on {day}.",
    "{Aleader} met {Bleader} in {city} on {day} to discuss {topic}.",
    "On {day}, {A} extended a loan of USD {amount} million to {B}.",
    "{A} imposed new restrictions on imports from {B} in {month}.",
    "The {Adem} foreign ministry accused {B} of violating the {topic} agreement.",
    "{Bleader} rejected the proposal put forward by {A} on {day}.",
    "{A} urged {B} to resume talks on {topic}.",
    "In {month}, {Adem} and {Bdem} troops held a joint exercise near the border.",
    "{A} withdrew its ambassador from {Bcap} on {day}.",
    "{Bleader} praised the support of {A} in a speech on {day}.",
    "{Adem} police detained {count} {Bdem} citizens in {Acap} in {month}.",
    "{A} agreed to lift the ban on {topic} after talks in {Bcap}.",
    "Protesters gathered outside the {Bdem} embassy in {Acap} on {day}.",
    "{A} deployed additional units along the border with {B} in {month}.",
    "{A} threatened to cut supplies of {topic} to {B}.",
)
FIGURES = (
    "Trade between the two countries reached USD {amount} million in {year}.",
    "Exports of {topic} to {B} grew by {percent}% in {year}.",
    "{B} owes {A} about USD {amount} million.",
)
CLAIMS = (
    "{A} is likely to press for a new deal on {topic} before the end of {next_year}.",
    "{B} should diversify its partners in {topic} over the coming years.",
)
BACKGROUND = (
    "Relations between {Acap} and {Bcap} have been uneven for years.",
    "The {topic} question remains the most sensitive issue on the agenda.",
    "Officials in both capitals describe the talks as difficult but necessary.",
    "Analysts note that neither side has an interest in an open confrontation.",
)
PUBLISHER_WORDS = (("Meridian", "Northern", "Harbour", "Lakeside", "Summit", "Crossroads", "Frontier", "Riverside",
                    "Highland", "Coastal"),
                   ("Review", "Monitor", "Digest", "Journal", "Forum", "Observatory", "Brief", "Notes", "Desk",
                    "Press"))
GIVEN_NAMES = ("Ada", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas", "Katya",
               "Lars", "Mira", "Nikolai", "Olga", "Pavel")
FAMILY_NAMES = ("Aldana", "Brandt", "Costa", "Dunmore", "Eklund", "Fischer", "Garin", "Holm", "Ivers", "Jansen",
                "Keller", "Lindqvist", "Moreau", "Novak", "Ortega", "Petrenko")
WRITERS_EACH = 4  # the writers of one publisher
TOPICS = ("gas transit", "grain exports", "electricity", "border crossings", "fisheries", "rail freight",
          "customs duties", "water sharing", "fertiliser", "visa rules", "air services", "steel")


@dataclass(frozen=True)
class Publisher:
    name: str
    writers: tuple[str, ...]


def publishers(rng: random.Random, count: int) -> list[Publisher]:
    """`count` made-up publishers (numbered once the word pairs run out), each with its few writers."""
    first, second = PUBLISHER_WORDS
    names = [f"{a} {b}" for a in first for b in second]
    rng.shuffle(names)
    made = [names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "") for i in range(count)]
    return [Publisher(name, tuple(f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
                                  for _ in range(WRITERS_EACH))) for name in made]


@dataclass(frozen=True)
class Party:
    country: Country
    leaders: tuple[tuple[str, str, str], ...]  # (name, start, end) of heads of state or government

    def leader(self, when: date) -> str:
        day = when.isoformat()
        serving = [name for name, start, end in self.leaders if start <= day and (not end or day <= end)]
        return serving[0] if serving else f"the {self.country.demonyms[0]} president"


def parties(knowledge) -> list[Party]:
    people: dict[str, list[tuple[str, str, str]]] = {}
    for actor in knowledge.actors:
        for role in _roles(actor):
            people.setdefault(actor.code.split("-")[0], []).append(role)
    return [Party(c, tuple(people.get(c.code, ()))) for c in knowledge.countries if c.demonyms and c.capitals]


def _roles(actor: Actor) -> list[tuple[str, str, str]]:
    if actor.kind != "person" or not actor.code.endswith("-GOV"):
        return []
    return [(actor.name, r.start or "", r.end or "") for r in actor.roles if r.start]


def document(rng: random.Random, pair: tuple[Party, Party], number: int, publisher: Publisher,
             bylines: random.Random) -> tuple[str, str]:
    first, second = pair
    when = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    events = rng.sample(EVENTS, len(EVENTS))

    def fill(templates: tuple[str, ...] | list[str], count: int) -> list[str]:
        return [_capitalised(t.format(**_values(rng, first, second, when))) for t in rng.sample(templates, count)]

    paragraphs = []
    for _ in range(rng.randint(4, 5)):
        taken, events = events[:3], events[3:]
        paragraphs.append(fill(taken, len(taken)) + fill(BACKGROUND, 2))
    paragraphs.append(fill(FIGURES, 2))
    paragraphs.append(fill(CLAIMS, 2))
    title = f"{first.country.name} and {second.country.name}: {rng.choice(TOPICS)} in focus"
    byline = (f"By {bylines.choice(publisher.writers)} — {publisher.name} — "
              f"{when.day} {MONTHS[when.month - 1]} {when.year}")
    head = f"{title}\n\n{byline}\n\n"
    name = f"{when.year}/{first.country.code.lower()}-{second.country.code.lower()}-{number:06d}.txt"
    return name, head + "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


def _values(rng: random.Random, first: Party, second: Party, when: date) -> dict[str, str]:
    day = when - timedelta(days=rng.randrange(1, 60))
    return {
        "A": first.country.name, "B": second.country.name, "Acap": first.country.capitals[0],
        "Bcap": second.country.capitals[0], "Adem": first.country.demonyms[0], "Bdem": second.country.demonyms[0],
        "Aleader": first.leader(when), "Bleader": second.leader(when), "city": rng.choice(
            (first.country.capitals[0], second.country.capitals[0])),
        "day": f"{day.day} {MONTHS[day.month - 1]}", "month": MONTHS[day.month - 1], "year": str(when.year - 1),
        "next_year": str(when.year + 1), "amount": str(rng.randrange(50, 5000, 10)),
        "percent": str(rng.randrange(2, 40)), "count": str(rng.randrange(2, 40)), "topic": rng.choice(TOPICS),
    }


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def write_corpus(out: Path, documents: int, seed: int = 7) -> list[Path]:
    """Write `documents` reports under `out` (in one folder per year) and return their paths."""
    rng = random.Random(seed)
    pool = parties(load_knowledge())
    dyads = [tuple(rng.sample(pool, 2)) for _ in range(max(20, documents // 50))]
    bylines = random.Random(seed + 1)  # apart from the texts' draws, which stay those of corpora without bylines
    desks = publishers(bylines, max(5, documents // 100))
    written = []
    for number in range(documents):
        name, text = document(rng, rng.choice(dyads), number, bylines.choice(desks), bylines)
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.documents, args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"wrote {len(paths)} documents, {words} words, under {args.out}")


if __name__ == "__main__":
    main()
