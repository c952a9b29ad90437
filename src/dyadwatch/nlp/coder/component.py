"""The `dyadwatch_events` pipeline component: the learned coder's decisions as dated, typed events.

The model decides whether a word names an act, its PLOVER type, its negation, its source and its
target; a second learned model picks its date among those the text offers (`dating.py`); rules that
are general and strong give the domain
(`domains.py`), the mode and intensity (`events.yaml`). A user's CAMEO verb dictionary, when loaded,
types the verbs it codes: an analyst's explicit knowledge wins over the model's guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyadwatch.knowledge import Knowledge
from dyadwatch.nlp.cameo_coding import CameoVerbCoder
from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.dating import DateChooser, EarlierTimes, coordinated
from dyadwatch.nlp.coder.inputs import SentenceInput, actor_namer, document_inputs
from dyadwatch.nlp.coder.model import MODEL_DIR, Decision, EventModel
from dyadwatch.nlp.context import ActorMention, context_of, found_in
from dyadwatch.nlp.domains import DomainCues
from dyadwatch.nlp.syntax import verb_of, writer_advises
from dyadwatch.nlp.timex import TimeExpression
from dyadwatch.nlp.vocabulary import EventVocabulary

MAX_ADVICE_CLIMB = 4  # clauses up from a trigger to the verb of advising that governs it


@dataclass
class CodedEvent:
    """An event in paragraph-Doc character offsets (the pipeline maps them to the file)."""

    type: str
    mode: str
    source: ActorMention | None
    target: ActorMention | None
    trigger: tuple[int, int]
    clause: tuple[int, int]
    negated: bool
    date: str | None
    date_precision: str | None
    domain: str
    intensity: float
    confidence: float = 1.0
    date_source: str = ""  # where the date came from: its phrase, 'document date', 'no date in the text'
    date_begin: str | None = None  # the first and last day its phrase allows
    date_end: str | None = None


class LearnedEventCoder:
    """Finds events in each sentence of a paragraph Doc and stores them on `doc._.found.events`."""

    def __init__(self, knowledge: Knowledge, model_dir: str) -> None:
        cameo = CameoVerbCoder(knowledge.verb_dictionaries, knowledge.cameo_table) \
            if knowledge.verb_dictionaries else None
        self.vocabulary = EventVocabulary(knowledge.events, cameo, knowledge.sectors)
        self.known_names = {c.code: c.name for c in knowledge.countries} | {
            a.code: a.name for a in knowledge.actors if a.kind == "organisation"}
        self.domains = DomainCues(knowledge.domains)
        self.reporting = frozenset((knowledge.claims or {}).get("attribution") or [])  # verbs that report words
        self.model_dir = model_dir

    @property
    def event_model(self) -> EventModel:
        return load_model(self.model_dir)

    @property
    def name_table(self) -> dict[str, str]:
        """The name the encoder reads for each code of an actor the sentence leaves unnamed: the names the model
        was trained reading, and the knowledge's names for codes it never saw. Knowledge alone would let a user's
        folder that lists one more organisation under a shared code ('IGO') change what the encoder reads in
        every sentence with such an actor."""
        return self.known_names | self.event_model.trained_names

    @property
    def names(self) -> Callable[[str], str]:
        return actor_namer(self.name_table)

    @property
    def dates(self) -> DateChooser:
        return load_dates(self.model_dir, self.vocabulary.habitual_words, self.vocabulary.vague_past)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Sentences of many paragraphs go through the encoder together; actors named in earlier
        paragraphs of a document stay candidates."""
        stream = document_inputs(docs, self.vocabulary, self.names)
        earlier = EarlierTimes()  # dates named in the document's earlier paragraphs
        while batch := list(islice(stream, batch_size)):
            items = [item for _, inputs in batch for item in inputs]
            decisions = iter(self.event_model.decide(items) if items else [])
            for doc, inputs in batch:
                if context_of(doc).index == 0:
                    earlier.reset()
                found = found_in(doc)
                for item in inputs:
                    for decision in next(decisions):
                        found.events.extend(self._coded(decision, item, doc, earlier))
                self._date_figures(doc, earlier)
                earlier.add(found.time_expressions)
                yield doc

    def _date_figures(self, doc: Doc, earlier: EarlierTimes) -> None:
        """A figure is dated as an act would be, by the chooser, from the word it counts or measures: the nearest
        phrase of its sentence (the figures component's date, kept where the chooser finds none) misses the
        dates a paragraph or the document gives (README, "Figures")."""
        found, context = found_in(doc), context_of(doc)
        for figure in found.figures:
            span = doc.char_span(*figure.span, alignment_mode="expand")
            if span is None or figure.dated_by_table:
                continue
            word = span.root
            options = self.dates.options(word, clause_of(word, word.sent), word.sent, found.time_expressions, earlier,
                                         context)
            figure.date = self.dates.choose(options).value or figure.date

    def _coded(self, decision: Decision, item: SentenceInput, doc: Doc, earlier: EarlierTimes) -> list[CodedEvent]:
        sentence = item.sentence
        token = sentence[decision.token]
        if the_writers_advice(token, self.reporting):
            return []
        kind = self.vocabulary.dictionary_type(token) or decision.type
        clause = clause_of(token, sentence)
        context = context_of(doc)
        expressions = found_in(doc).time_expressions
        chosen = self.dates.choose(self.dates.options(token, clause, sentence, expressions, earlier, context))
        event = CodedEvent(
            type=kind, mode=self.vocabulary.mode(token, kind),
            source=_mention(decision.source, token),
            target=_mention(decision.target, token) if decision.target else None,
            trigger=(token.idx, token.idx + len(token.text)),
            clause=(clause[0].idx, clause[-1].idx + len(clause[-1].text)),
            negated=decision.negated or said_not_to_happen(token), date=chosen.value, date_precision=chosen.precision,
            domain=self.domains.domain_for(kind, clause, sentence, context.heading),
            intensity=self.vocabulary.intensity.get(kind, 0.0), confidence=round(decision.confidence, 4),
            date_source=chosen.source, **_days(chosen.expression))
        also = coordinated(chosen.expression, expressions, sentence) if chosen.expression is not None else []
        return [event, *(replace(event, date=t.value, date_precision=t.precision, date_source=t.text,
                                 **_days(t)) for t in also)]


def _days(expression: TimeExpression | None) -> dict[str, str | None]:
    """The first and last day the date's phrase allows; none without a phrase (the whole year, month or day of
    the date, as the rows read it)."""
    if expression is None:
        return {"date_begin": None, "date_end": None}
    return {"date_begin": expression.begin.isoformat(), "date_end": expression.end_date.isoformat()}


def _mention(candidate: Candidate, trigger: Token) -> ActorMention:
    """An actor the text names keeps its words; one it leaves unnamed stands at the trigger."""
    if candidate.named:
        return ActorMention(candidate.start, candidate.end, (candidate.code,), candidate.kind)
    return ActorMention(trigger.i, trigger.i, (candidate.code,), candidate.kind)


def said_not_to_happen(trigger: Token) -> bool:
    """A negation the parse marks on the trigger's verb ('did not sign', 'will never accept') or a 'no' before a
    noun trigger ('no agreement was reached'): grammar the model need not learn from examples."""
    verb = verb_of(trigger) or trigger
    return any(child.dep_ == "neg" for child in verb.children) or any(
        child.dep_ == "det" and child.lower_ == "no" for child in trigger.children)


def the_writers_advice(trigger: Token, reporting: frozenset[str]) -> bool:
    """Whether the act is what the writer advises ('We recommend that the embassy press both sides'): a verb of
    advising with 'we' or 'I' as its subject governs it (or is it), and no verb of saying above reports the whole
    as someone's words ('"We urge Lima to reopen the border," the minister said' is the minister's request).
    Advice is no report that an act happened (data/GUIDE.md), and a writer is no actor."""
    node, advised = verb_of(trigger) or trigger, False
    for _ in range(MAX_ADVICE_CLIMB):
        if writer_advises(node):
            advised = True
        elif advised and node.lemma_.lower() in reporting:
            return False
        if node.head.i == node.i:
            break
        node = node.head
    return advised


def clause_of(token: Token, sentence: Span) -> list[Token]:
    """The tokens of the clause a trigger stands in (its verb's subtree, within the sentence)."""
    verb = verb_of(token) or token
    tokens = [t for t in verb.subtree if sentence.start <= t.i < sentence.end]
    return tokens or [token]


@Language.factory("dyadwatch_events", default_config={"knowledge_dirs": [], "model_dir": ""})
def make_event_coder(nlp: Language, name: str, knowledge_dirs: list[str], model_dir: str) -> LearnedEventCoder:
    from dyadwatch.nlp.build import knowledge_for

    return LearnedEventCoder(knowledge_for(tuple(knowledge_dirs)), model_dir or str(MODEL_DIR))


@lru_cache(maxsize=4)
def load_dates(folder: str, habitual: frozenset[str], vague_past: tuple[str, ...]) -> DateChooser:
    return DateChooser.load(Path(folder) / "dating.npz", habitual, vague_past)


@lru_cache(maxsize=4)
def load_model(folder: str) -> EventModel:
    """One loaded model per folder and process, however many pipelines are built."""
    return EventModel(Path(folder))
