"""Tests for dyadwatch.nlp.timex. Every sentence here is made up for the test."""

import dataclasses
import itertools
from datetime import date

import pytest

from dyadwatch.model import Document
from dyadwatch.nlp.timex import TimeExpression, date_line, explicit_years, find_time_expressions, resolve

ANCHOR = date(2021, 10, 28)  # a writer's "now" in the autumn of 2021


def only(text: str, anchor: date | None = None, year_in_force: int | None = None) -> TimeExpression:
    """The single expression in `text`; fails when there are none or several."""
    found = find_time_expressions(text, anchor, year_in_force)
    assert len(found) == 1, found
    return found[0]


def summary(expression: TimeExpression) -> tuple[str, str, date, date]:
    return expression.value, expression.precision, expression.begin, expression.end_date


# --- days -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year_in_force", "phrase"),
    [
        ("The envoys met on 3 June to talk about tariffs.", 2021, "3 June"),
        ("The envoys met on June 3, 2021 to talk about tariffs.", None, "June 3, 2021"),
        ("The envoys met on 3 June 2021 to talk about tariffs.", None, "3 June 2021"),
        ("The envoys met on the 3rd of June 2021 in Grodno.", None, "3rd of June 2021"),
        ("Report filed 2021-06-03 by the mission.", None, "2021-06-03"),
        ("Report filed 03.06.2021 by the mission.", None, "03.06.2021"),
        ("The ministers spoke on Thursday, 3 June 2021.", None, "3 June 2021"),
        ("The treaty was ratified on JUNE 3, 2021.", None, "JUNE 3, 2021"),
        ("The treaty was ratified on june 3, 2021.", None, "june 3, 2021"),
    ],
)
def test_day_expressions(text: str, year_in_force: int | None, phrase: str) -> None:
    expression = only(text, year_in_force=year_in_force)
    assert expression.text == phrase
    assert text[expression.start : expression.end] == phrase
    assert summary(expression) == ("2021-06-03", "day", date(2021, 6, 3), date(2021, 6, 3))


def test_day_without_year_is_relative_to_the_year_in_force() -> None:
    assert only("On 3 June the board convened.", year_in_force=2021).relative
    assert not only("On 3 June 2021 the board convened.").relative


def test_day_without_year_falls_back_to_the_anchor_year_then_is_skipped() -> None:
    assert only("On 3 June the board convened.", anchor=ANCHOR).value == "2021-06-03"
    assert find_time_expressions("On 3 June the board convened.") == []


def test_numeric_date_is_read_day_first_unless_impossible() -> None:
    assert only("Signed 04/02/2020 in Minsk.").value == "2020-02-04"
    assert only("Signed 02/14/2020 in Minsk.").value == "2020-02-14"


def test_impossible_day_leaves_the_month() -> None:
    assert only("Filed on 31 February 2021.").value == "2021-02"
    assert only("Filed on 2021-02-30.").value == "2021"


# --- day ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The leaders held talks on 14–15 March in Batumi.",
        "The leaders held talks on 14-15 March in Batumi.",
        "The leaders held talks on 14 to 15 March in Batumi.",
        "The leaders held talks on 14 - 15 March in Batumi.",
        "The leaders held talks on March 14–15 in Batumi.",
    ],
)
def test_day_range_is_one_expression_starting_on_its_first_day(text: str) -> None:
    expression = only(text, year_in_force=2021)
    assert summary(expression) == ("2021-03-14", "day", date(2021, 3, 14), date(2021, 3, 15))
    assert expression.relative


def test_day_range_is_never_read_as_a_year() -> None:
    found = find_time_expressions("Talks on 14–15 March ended early.", year_in_force=2021)
    assert all(e.begin.year == 2021 for e in found)
    assert not any("1915" in e.value for e in found)


def test_day_range_with_year_and_across_months() -> None:
    assert summary(only("The summit ran 14–15 March 2021.")) == (
        "2021-03-14",
        "day",
        date(2021, 3, 14),
        date(2021, 3, 15),
    )
    expression = only("Drills ran from 28 December 2020 to 3 January 2021.")
    assert (expression.begin, expression.end_date) == (date(2020, 12, 28), date(2021, 1, 3))


# --- months -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "begin", "end"),
    [
        ("The embargo was imposed in May.", "May", date(2021, 5, 1), date(2021, 5, 31)),
        ("The embargo was imposed in early May.", "early May", date(2021, 5, 1), date(2021, 5, 10)),
        ("The embargo was imposed in mid-May.", "mid-May", date(2021, 5, 11), date(2021, 5, 20)),
        ("The embargo was imposed in late May.", "late May", date(2021, 5, 21), date(2021, 5, 31)),
        ("The embargo was imposed at the end of May.", "end of May", date(2021, 5, 21), date(2021, 5, 31)),
        ("Flights have been halted since May.", "May", date(2021, 5, 1), date(2021, 5, 31)),
        ("The deal must be ready by May.", "May", date(2021, 5, 1), date(2021, 5, 31)),
        ("The freeze lasts until May.", "May", date(2021, 5, 1), date(2021, 5, 31)),
    ],
)
def test_month_with_a_preposition_or_modifier(text: str, phrase: str, begin: date, end: date) -> None:
    expression = only(text, year_in_force=2021)
    assert expression.text == phrase
    assert summary(expression) == ("2021-05", "month", begin, end)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Exports fell in May 2021.", "2021-05"),
        ("Exports fell in Sept. 2021.", "2021-09"),
        ("Exports fell in Dec 2020.", "2020-12"),
        ("Exports fell in September of 2020.", "2020-09"),
    ],
)
def test_month_with_year(text: str, value: str) -> None:
    expression = only(text)
    assert (expression.value, expression.precision, expression.relative) == (value, "month", False)


@pytest.mark.parametrize(
    "text",
    [
        "Minsk may decide to retaliate.",
        "May I add a further point?",
        "Theresa May said little about Belarus.",
        "Protesters march on the ministry.",
    ],
)
def test_month_words_that_are_not_dates(text: str) -> None:
    assert find_time_expressions(text, ANCHOR, 2021) == []


def test_month_range() -> None:
    expression = only("Gas prices were frozen from March to June 2021.")
    assert summary(expression) == ("2021-03", "month", date(2021, 3, 1), date(2021, 6, 30))


# --- years, quarters, halves ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Trade grew in 2021.", "2021 was a difficult year."])
def test_year(text: str) -> None:
    expression = only(text)
    assert expression.text == "2021"
    assert summary(expression) == ("2021", "year", date(2021, 1, 1), date(2021, 12, 31))
    assert not expression.relative


@pytest.mark.parametrize(
    ("text", "begin", "end"),
    [
        ("Shipments will slow in the third quarter of 2021.", date(2021, 7, 1), date(2021, 9, 30)),
        ("Shipments will slow in Q3 2021.", date(2021, 7, 1), date(2021, 9, 30)),
        ("Tourism recovered in the second half of 2021.", date(2021, 7, 1), date(2021, 12, 31)),
        ("Tourism recovered in H2 2021.", date(2021, 7, 1), date(2021, 12, 31)),
        ("Tourism recovered in the first five months of 2021.", date(2021, 1, 1), date(2021, 5, 31)),
        ("Output peaked in mid-2021.", date(2021, 5, 1), date(2021, 8, 31)),
    ],
)
def test_parts_of_a_year_keep_year_precision(text: str, begin: date, end: date) -> None:
    assert summary(only(text)) == ("2021", "year", begin, end)


@pytest.mark.parametrize(
    ("text", "anchor", "value"),
    [
        ("The tariff will be fixed at the end of the year.", ANCHOR, "2021-12"),
        ("The tariff will be fixed by the end of this year.", ANCHOR, "2021-12"),
        ("The lease will run until the end of 2023.", None, "2023-12"),
        ("Reserves were counted at year-end 2016.", None, "2016-12"),
    ],
)
def test_end_of_year_is_december(text: str, anchor: date | None, value: str) -> None:
    expression = only(text, anchor)
    assert (expression.value, expression.precision) == (value, "month")
    assert expression.end_date.month == 12 and expression.end_date.day == 31


@pytest.mark.parametrize("text", ["Talks resume at the beginning of 2022.", "Talks resume in early 2022."])
def test_beginning_of_year_is_the_year_from_january(text: str) -> None:
    expression = only(text)
    assert (expression.value, expression.precision, expression.begin) == ("2022", "year", date(2022, 1, 1))
    assert expression.end_date < date(2022, 12, 31)


# --- expressions that need the anchor ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision", "begin", "end"),
    [
        ("Exports fell last year.", "2020", "year", date(2020, 1, 1), date(2020, 12, 31)),
        ("Exports fell this year.", "2021", "year", date(2021, 1, 1), date(2021, 12, 31)),
        ("Exports will fall next year.", "2022", "year", date(2022, 1, 1), date(2022, 12, 31)),
        ("The deal was struck in December last year.", "2020-12", "month", date(2020, 12, 1), date(2020, 12, 31)),
        ("Exports fell last month.", "2021-09", "month", date(2021, 9, 1), date(2021, 9, 30)),
        ("Drills are held this autumn.", "2021", "year", date(2021, 9, 1), date(2021, 11, 30)),
        ("Drills were held this summer.", "2021", "year", date(2021, 6, 1), date(2021, 8, 31)),
        ("Talks stalled in the autumn of 2020.", "2020", "year", date(2020, 9, 1), date(2020, 11, 30)),
        ("Talks stalled in summer 2020.", "2020", "year", date(2020, 6, 1), date(2020, 8, 31)),
        ("The border closed yesterday.", "2021-10-27", "day", date(2021, 10, 27), date(2021, 10, 27)),
    ],
)
def test_deictic_and_seasonal_expressions(text: str, value: str, precision: str, begin: date, end: date) -> None:
    assert summary(only(text, ANCHOR)) == (value, precision, begin, end)


def test_deictic_expressions_are_relative_and_need_the_anchor() -> None:
    assert only("Exports fell last year.", ANCHOR).relative
    assert find_time_expressions("Exports fell last year.") == []
    assert find_time_expressions("The loan came in December last year.") == []


def test_the_last_year_is_a_duration_not_last_year() -> None:
    assert find_time_expressions("Ties deepened over the last year.", ANCHOR) == []


def test_previous_year_counts_back_from_the_year_in_force() -> None:
    assert only("Trade fell against the previous year.", ANCHOR, 2018).value == "2017"


# --- ranges of years, decades -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Fares rose in 2012-2016 every year.", "2012-2016"),
        ("Fares rose in 2012–2016 every year.", "2012–2016"),
        ("Fares rose from 2012 to 2016 every year.", "2012 to 2016"),
        ("Fares rose between 2012 and 2016 every year.", "2012 and 2016"),
    ],
)
def test_range_of_years_is_one_expression(text: str, phrase: str) -> None:
    expression = only(text)
    assert expression.text == phrase
    assert summary(expression) == ("2012", "year", date(2012, 1, 1), date(2016, 12, 31))


def test_a_year_and_a_smaller_number_are_no_range() -> None:
    assert only("Series 2021-06 was printed.").value == "2021"


def test_a_count_after_a_year_needs_no_preposition_before_it() -> None:
    assert only("In 2019 troops were sent north.").value == "2019"
    assert find_time_expressions("The army sent 2019 troops north.") == []


def test_two_years_joined_by_and_stay_two() -> None:
    assert [e.value for e in find_time_expressions("Fees were capped for 2023 and 2024.")] == ["2023", "2024"]


def test_month_to_end_of_year_is_two_expressions() -> None:
    found = find_time_expressions("Quotas will apply from March 2018 to the end of 2019.")
    assert [(e.text, e.value, e.precision) for e in found] == [
        ("March 2018", "2018-03", "month"),
        ("end of 2019", "2019-12", "month"),
    ]


def test_decade() -> None:
    expression = only("Integration began in the 1990s.")
    assert expression.text == "1990s"
    assert summary(expression) == ("1990", "year", date(1990, 1, 1), date(1999, 12, 31))


# --- what is not a date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "They adopted a five-year plan.",
        "Relations have soured over two decades.",
        "Ties have cooled over the past few years.",
        "The lease runs for 20 years.",
        "The alliance marked its 30th anniversary.",
        "The plant makes 1,880 types of parts.",
        "The fund holds USD 2021 million.",
        "The hotline is open 24/7.",
        "See the annex on page 2019.",
        "It was published as Working Paper No.512.",
        "Prices grew by 2020% in a decade.",
        "A bare 1000 is not a year, nor is 1899 or 2100.",
        "The army sent 2000 troops.",
        "Talks resumed recently and will end soon.",
        "Today the parties disagree.",
        "The ministers met on Monday.",
        "Consumption fell by 1.2–1.5 times.",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_time_expressions(text, ANCHOR, 2021) == []


# --- the year in force ------------------------------------------------------------------------


def test_explicit_year_in_the_text_takes_over_the_year_in_force() -> None:
    found = find_time_expressions("Sanctions came in May 2020. On 3 June talks failed.", ANCHOR, 2019)
    assert [e.value for e in found] == ["2020-05", "2020-06-03"]


def test_deadlines_ranges_and_asides_do_not_set_the_year_in_force() -> None:
    text = (
        "Output is due to double by 2030, exports fell (down from 2017) and the plan covers 2012-2016. "
        "On 9 April a plant opened."
    )
    assert find_time_expressions(text, ANCHOR, 2021)[-1].value == "2021-04-09"


def test_date_after_the_anchor_in_a_past_sentence_is_last_years() -> None:
    expression = only("The transit accord was ratified on November 14.", date(2021, 10, 28), 2021)
    assert expression.value == "2020-11-14"


def test_date_after_the_anchor_in_a_forward_sentence_stays() -> None:
    assert only("By December, shipments could be diverted.", date(2021, 10, 28), 2021).value == "2021-12"
    assert only("The summit will take place on 14 December.", date(2021, 10, 28), 2021).value == "2021-12-14"


# --- several expressions ----------------------------------------------------------------------


def test_expressions_are_ordered_non_overlapping_and_offsets_point_into_the_text() -> None:
    text = "On 17 September the envoys met; in October 2020 and in 2019 they had not; last year they did."
    found = find_time_expressions(text, ANCHOR, 2021)
    assert [e.value for e in found] == ["2021-09-17", "2020-10", "2019", "2020"]
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_time_expression_is_immutable() -> None:
    expression = only("Trade grew in 2021.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.value = "2020"  # type: ignore[misc]


# --- resolve ----------------------------------------------------------------------------------


def test_resolve_a_phrase() -> None:
    expression = resolve("in May", year_in_force=2021)
    assert expression is not None
    assert (expression.start, expression.end, expression.value) == (3, 6, "2021-05")


def test_resolve_accepts_a_month_word_alone() -> None:
    expression = resolve("May", year_in_force=2021)
    assert expression is not None and expression.value == "2021-05" and expression.relative


def test_resolve_returns_none_for_no_date() -> None:
    assert resolve("soon", ANCHOR, 2021) is None
    assert resolve("May") is None  # no year to give it


# --- explicit_years ---------------------------------------------------------------------------


def test_explicit_years() -> None:
    text = "In 2019 the fund held USD 2021 million; by 2030 it may double; on 03.06.2021 it grew."
    assert explicit_years(text) == [(text.index("2019"), 2019), (text.index("2021", 40), 2021)]


def test_explicit_years_leaves_out_decades_and_ranges() -> None:
    assert explicit_years("In the 1990s and in 2012-2016 fares rose.") == []


def test_a_year_a_lasting_state_began_in_leaves_the_year_in_force_alone() -> None:
    # 'since 2019' tells of a state that lasts to the time of writing, not of a time the text moves to
    assert explicit_years("Flights, suspended since August 2019, have not resumed.") == []
    assert explicit_years("Since 2019 the border has been closed.") == []


# --- date_line --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("30.06.2021", "2021-06-30"),
        ("September 2021", "2021-09"),
        ("3 June 2021", "2021-06-03"),
        ("June 3, 2021", "2021-06-03"),
        ("2021-12-22", "2021-12-22"),
        ("14/02/2020", "2020-02-14"),
        ("Published: 3 June 2021", "2021-06-03"),
        ("Thursday, June 3, 2021", "2021-06-03"),
        ("*September 2021*", "2021-09"),
        ("LIMA, 3 June 2021 (wire) — Peru recalled its envoy.", "2021-06-03"),
        ("QUITO, Ecuador, June 3, 2021 - The talks began.", "2021-06-03"),
    ],
)
def test_date_line(line: str, value: str) -> None:
    text = f"Relations Between Yerevan and Tbilisi in 2021\n\nA. Author\n{line}\n\nThe text begins on 1 May.\n"
    expression = date_line(text)
    assert expression is not None
    assert expression.value == value
    assert text[expression.start : expression.end] == expression.text
    assert expression.text in line


def test_no_date_line() -> None:
    assert date_line("Armenia–Georgia Relations in 2021\n\nThe talks of 3 June 2021 failed.\n2021\n") is None


def test_date_line_only_in_the_first_thirty_lines() -> None:
    assert date_line("line\n" * 30 + "3 June 2021\n") is None
    assert date_line("line\n" * 29 + "3 June 2021\n") is not None


def test_a_year_naming_a_thing_is_attributive_and_does_not_set_the_year_in_force():
    found = find_time_expressions("Beijing suspended concessions under the 2010 trade agreement in October.",
                                  year_in_force=2024)
    assert [(t.text, t.attributive) for t in found] == [("2010", True), ("October", False)]
    assert found[1].value == "2024-10"
    assert [t.attributive for t in find_time_expressions("In 2010 they met.")] == [False]


@pytest.mark.parametrize(("phrase", "value"), [
    ("Lima recalled its envoy on Thursday.", "2021-06-03"),  # the dateline is Saturday 5 June 2021
    ("Quito answered last Monday.", "2021-05-31"),
    ("The boats were stopped at the weekend.", "2021-06-05"),
    ("The talks will resume next Tuesday.", "2021-06-08"),
    ("The envoys met on Saturday.", "2021-06-05"),
    ("The envoys met last Saturday.", "2021-05-29"),
    ("The envoys meet next Saturday.", "2021-06-12"),
])
def test_weekdays_resolve_against_a_dateline_dated_to_the_day(phrase: str, value: str) -> None:
    found = find_time_expressions(phrase, date(2021, 6, 5), anchor_is_day=True)
    assert [e.value for e in found] == [value]


@pytest.mark.parametrize(("phrase", "anchor", "value", "monday"), [
    ("Lima recalled its envoy last week.", date(2021, 6, 5), "2021-05", date(2021, 5, 24)),
    ("The ministers met this week.", date(2021, 6, 5), "2021-06", date(2021, 5, 31)),  # Thursday is 3 June
    ("The talks resume next week.", date(2021, 6, 5), "2021-06", date(2021, 6, 7)),
    ("Quito answered last week.", date(2021, 6, 9), "2021-06", date(2021, 5, 31)),
])
def test_a_week_is_read_as_the_month_holding_most_of_its_days(phrase, anchor, value, monday) -> None:
    [found] = find_time_expressions(phrase, anchor, anchor_is_day=True)
    assert (found.text, found.value, found.precision, found.begin) == (phrase.split()[-2] + " week", value, "month",
                                                                       monday)


def test_a_week_in_a_document_dated_to_the_month_is_that_month_and_the_last_week_is_a_duration() -> None:
    assert [e.value for e in find_time_expressions("Quito answered last week.", date(2021, 6, 1))] == ["2021-06"]
    assert find_time_expressions("Prices rose over the last week.", date(2021, 6, 5), anchor_is_day=True) == []


def test_weekdays_need_a_document_dated_to_the_day() -> None:
    assert find_time_expressions("Lima recalled its envoy on Thursday.", date(2021, 6, 30)) == []


@pytest.mark.parametrize("text", ["The council acted under resolution 2046.", "Decree No. 1998 set the tariffs.",
                                  "Flight 1402 landed in Lima."])
def test_four_digits_that_number_a_document_or_a_thing_are_no_year(text: str) -> None:
    assert find_time_expressions(text, date(2024, 1, 1)) == []


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("On 3 February the ministers met. The following day they signed.", "The following day", "2024-02-04"),
    ("On 3 February the ministers met; the previous day Lima had protested.", "the previous day", "2024-02-02"),
    ("On 28 February talks began. Two weeks later they failed.", "Two weeks later", "2024-03-13"),
    ("On 3 February talks began. A month later Quito withdrew.", "A month later", "2024-03"),
    ("Exports fell in 2023, after a rise a year earlier.", "a year earlier", "2022"),
    ("In January Lima recalled its envoy. Three years later it sent one back.", "Three years later", "2027"),
])
def test_an_offset_counts_from_the_last_time_the_text_told_of(text: str, phrase: str, value: str) -> None:
    found = {e.text: e for e in find_time_expressions(text, date(2024, 3, 12), 2024)}
    assert found[phrase].value == value and found[phrase].relative


@pytest.mark.parametrize("text", [
    "In January Lima recalled its envoy. Two weeks later Quito expelled a diplomat.",  # no day to count from
    "Trade will double by 2030. A year later the treaty expires.",  # a deadline is not a time told of
    "Two days later the talks resumed.",  # nothing told before
])
def test_an_offset_without_a_time_of_its_precision_to_count_from_is_no_date(text: str) -> None:
    assert not [e for e in find_time_expressions(text, date(2024, 3, 12), 2024) if "later" in e.text.lower()]


def _dates_of_signed(extractor, text: str, name: str = "t.txt") -> set[str | None]:
    events = extractor.extract(Document(path=f"<{name}>", name=name, format="txt", text=text, sha256="")).events
    return {e.date for e in events if text[e.trigger.start:e.trigger.end] == "signed"}


@pytest.mark.parametrize(("text", "day"), [
    ("Coastal notes, 12 March 2024\n\nOn 3 February Chile and Peru met in Lima. The next day they signed a deal.\n",
     "2024-02-04"),  # a time a sentence before, in the paragraph
    ("Andean brief, 20 May 2024\n\nOn 6 April Ecuador and Colombia met in Quito.\n\n"
     "Three days later, Colombia signed a fishing accord with Ecuador.\n", "2024-04-09"),  # the paragraph before
])
def test_an_offset_counts_from_the_last_time_told(extractor, text: str, day: str) -> None:
    assert _dates_of_signed(extractor, text) == {day}


def test_the_time_told_does_not_carry_into_the_next_document(extractor) -> None:
    first = "Andean brief, 20 May 2024\n\nOn 6 April Ecuador and Colombia met in Quito.\n"
    second = "Andean brief, 21 May 2024\n\nThree days later, Colombia signed a fishing accord with Ecuador.\n"
    _dates_of_signed(extractor, first, "a.txt")
    dates = _dates_of_signed(extractor, second, "b.txt")
    assert dates and "2024-04-09" not in dates
