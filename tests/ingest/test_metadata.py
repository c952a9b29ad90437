import pytest

from dyadwatch.ingest.metadata import read_metadata


def test_title_authors_publisher_and_stated_date():
    text = ("Gas Prices and the Union State\n\nJane Doe and Ivan Petrov\nEastern Policy Institute\n"
            "14.02.2020\n\nOn 3 February the two governments met in Sochi.")
    meta = read_metadata(text)
    assert meta.title == "Gas Prices and the Union State"
    assert meta.authors == ["Jane Doe", "Ivan Petrov"]
    assert meta.publisher == "Eastern Policy Institute"
    assert (meta.date, meta.date_precision, meta.date_inferred) == ("2020-02-14", "day", False)
    assert meta.language == "en"


def test_without_a_date_line_the_latest_mentioned_date_is_inferred_but_not_a_horizon():
    text = ("A brief\n\nIn March 2019 the talks stalled. In June 2019 they resumed. "
            "The plant will be finished by 2030.")
    meta = read_metadata(text)
    assert (meta.date, meta.date_inferred) == ("2019-06", True)


def test_a_year_that_names_a_thing_does_not_date_the_text_where_other_years_do():
    text = ("A brief\n\nIn 2021 talks went on. Lima agreed last week: the 2022 tariff stays at this year's level, "
            "roughly. They met on 14 June.")
    assert read_metadata(text).date == "2021-06-14"
    assert read_metadata("A brief\n\nThey signed the 2010 accord. Talks resumed on 14 June.").date == "2010-06-14"


@pytest.mark.parametrize("byline", [
    "*By Ana Ruiz and Luis Gómez — Andean Monitor — 3 June 2021*",
    "By Ana Ruiz and Luis Gómez | Andean Monitor | 3 June 2021",
    "By Ana Ruiz, Luis Gómez - Andean Monitor - June 3, 2021",
])
def test_a_byline_gives_authors_publisher_and_date(byline):
    meta = read_metadata(f"# Border Talks Resume\n\n{byline}\n\nPeru and Ecuador met in Lima on Friday.\n")
    assert meta.title == "Border Talks Resume"
    assert meta.authors == ["Ana Ruiz", "Luis Gómez"]
    assert meta.publisher == "Andean Monitor"
    assert (meta.date, meta.date_inferred) == ("2021-06-03", False)


@pytest.mark.parametrize(("head", "title", "date"), [
    ("Peru and Ecuador: weekly brief, 3 June 2021", "Peru and Ecuador: weekly brief", "2021-06-03"),
    ("Andean border monitor — June 3, 2021", "Andean border monitor", "2021-06-03"),
    ("*Andean border monitor | June 2021*", "Andean border monitor", "2021-06"),
])
def test_a_head_line_ending_with_a_date_gives_the_date_and_keeps_the_title(head, title, date):
    meta = read_metadata(f"{head}\n\nOn 1 May the two navies met. Talks may resume in December 2021.\n")
    assert (meta.title, meta.date, meta.date_inferred) == (title, date, False)


def test_a_publisher_line_ending_with_the_date_gives_both():
    meta = read_metadata("Border Talks Resume\n\n**Andean Policy Institute | 3 June 2021**\n\nThe envoys met.\n")
    assert (meta.title, meta.publisher, meta.date, meta.date_inferred) == (
        "Border Talks Resume", "Andean Policy Institute", "2021-06-03", False)


@pytest.mark.parametrize("head", [
    "Peru and Ecuador, 2021",  # a year alone names the subject more often than the time of writing
    "Peru and Ecuador: a brief, 3 June",  # no year: the date cannot be read
    "The talks ended on 3 June 2021.",  # a sentence, not a head line
])
def test_no_date_from_a_head_line_without_a_full_date(head):
    assert read_metadata(f"{head}\n\nIn March 2019 the talks stalled.\n").date_inferred


def test_a_head_line_date_gives_way_to_an_earlier_date_line():
    meta = read_metadata("12 May 2021\n\nBorder monitor, 3 June 2021\n\nThe talks resumed.\n")
    assert meta.date == "2021-05-12"


@pytest.mark.parametrize("horizon", [
    "The treaty is unlikely to be ratified before the end of the year.",
    "Lima intends to finish the bridge by the end of the year.",
])
def test_a_horizon_before_the_end_of_the_year_is_not_the_time_of_writing(horizon):
    meta = read_metadata(f"A brief\n\nOn 3 June 2021 the talks stalled. {horizon}\n")
    assert (meta.date, meta.date_inferred) == ("2021-06-03", True)


def test_a_memo_header_gives_title_and_author_and_its_addressee_is_neither():
    meta = read_metadata("INTERNAL MEMO\n\nTo: Head, Andean Section\nFrom: Border Analysis Cell\nDate: 3 June 2021\n"
                         "Subject: Peru–Ecuador: the fisheries dispute after the May incident\n\n"
                         "The coast guards of both countries met in Tumbes on Friday.\n")
    assert meta.title == "Peru–Ecuador: the fisheries dispute after the May incident"
    assert meta.authors == ["Border Analysis Cell"]
    assert "Section" not in meta.publisher
    assert (meta.date, meta.date_inferred) == ("2021-06-03", False)
