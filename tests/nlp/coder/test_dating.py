"""Date options: what the text offers for an act's date, and where each came from."""

from datetime import date

import numpy as np
import pytest

from dyadwatch.nlp.coder.dating import ACT_FEATURES, KINDS, OPTION_FEATURES, DateChooser, EarlierTimes, coordinated
from dyadwatch.nlp.context import ParagraphContext, found_in

CONTEXT = ParagraphContext(anchor=date(2021, 6, 5), anchor_value="2021-06-05", anchor_precision="day",
                           year_in_force=2019)


@pytest.fixture(scope="module")
def parse(extractor):
    def parsed(text, context=CONTEXT):
        doc = extractor.nlp.make_doc(text)
        doc._.context = context
        with extractor.nlp.select_pipes(disable=["dyadwatch_events", "dyadwatch_claims"]):
            for _, component in extractor.nlp.pipeline:
                doc = component(doc)
        return doc
    return parsed


def chooser(prefer: str | None = None) -> DateChooser:
    weights = np.zeros(OPTION_FEATURES, dtype=np.float32)
    if prefer is not None:  # the bias of one kind of option: its first act feature is always 1
        weights[KINDS.index(prefer) * ACT_FEATURES] = 1.0
    return DateChooser(weights, frozenset({"regularly"}), ("long ago",))


def options_for(doc, word, context=CONTEXT):
    token = next(t for t in doc if t.text == word)
    sentence = token.sent
    clause = list(token.subtree)
    return chooser().options(token, clause, sentence, found_in(doc).time_expressions, EarlierTimes(), context)


def test_the_text_offers_its_dates_the_document_date_and_none(parse):
    doc = parse("Lima recalled its envoy on 3 June after talks in May.")
    options = options_for(doc, "recalled")
    sources = [o.source for o in options]
    assert "3 June" in sources and "May" in sources
    assert {"document date", "document date (month)", "document date (year)", "no date in the text"} <= set(sources)
    assert next(o for o in options if o.kind == "none").value is None


def test_a_day_without_its_year_is_also_read_in_the_document_year(parse):
    doc = parse("Quito protested on 1 May.")
    values = sorted(o.value for o in options_for(doc, "protested") if o.kind == "expression")
    assert values == ["2019-05-01", "2021-05-01"]  # the year in force, and the document's own year


def test_a_day_that_a_later_year_in_force_puts_after_the_document_keeps_its_document_year_reading(parse):
    """A year named for a later thing ('the budget for 2022') may leave 2022 in force in a report of 2021: '1 May'
    read in 2022 is after the document and cannot date an act, but read in 2021 it can."""
    later = ParagraphContext(anchor=date(2021, 6, 5), anchor_value="2021-06-05", anchor_precision="day",
                             year_in_force=2022)
    doc = parse("Quito protested on 1 May.", later)
    values = [o.value for o in options_for(doc, "protested", later) if o.kind == "expression"]
    assert values == ["2021-05-01"]


def test_a_year_naming_the_act_itself_dates_it_but_not_another_act(parse):
    doc = parse("Quito turned down Lima's 2015 request after the 2010 treaty lapsed.")
    assert "2015" in [o.value for o in options_for(doc, "request") if o.kind == "expression"]
    assert "2015" not in [o.value for o in options_for(doc, "turned") if o.kind == "expression"]
    assert "2010" not in [o.value for o in options_for(doc, "lapsed") if o.kind == "expression"]


def test_the_chooser_takes_the_best_scored_option(parse):
    doc = parse("Lima recalled its envoy on 3 June.")
    options = options_for(doc, "recalled")
    assert chooser("document").choose(options).source == "document date"
    assert chooser("none").choose(options).value is None


def test_coordinated_dates_are_the_same_act_again(parse):
    doc = parse("Lima paid tranches in December 2020 and June 2021.")
    expressions = found_in(doc).time_expressions
    first = next(e for e in expressions if e.value == "2020-12")
    sentence = next(iter(doc.sents))
    assert [e.value for e in coordinated(first, expressions, sentence)] == ["2021-06"]
