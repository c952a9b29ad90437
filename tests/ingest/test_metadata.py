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
