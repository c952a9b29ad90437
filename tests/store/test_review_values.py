"""The rules a correction's values must pass, and properties that hold for any value given to them."""

from __future__ import annotations

import math
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.analysis.forecasts import forecast_status
from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.knowledge import bundled_intensities
from dyadwatch.model import DOMAINS, PLOVER_TYPES
from dyadwatch.periods import first_day, last_day
from dyadwatch.store.review_values import (
    CORRECTABLE,
    ReviewValueError,
    applied_fields,
    checked_changes,
    date_precision,
    review_value,
)
from tests.review_profiles import REVIEW_PROFILE

EVENT, FIGURE, CLAIM, DOCUMENT = "e0123456789", "q0123456789", "c0123456789", "d:2021/brief.txt"
RECORDS = {"e": EVENT, "q": FIGURE, "c": CLAIM, "d": DOCUMENT}
FIELDS = [(RECORDS[kind], field) for kind, fields in CORRECTABLE.items() for field in fields]


@pytest.mark.parametrize(("record", "field", "given", "expected"), [
    (EVENT, "date", "2021", "2021"), (EVENT, "date", "2021-06", "2021-06"),
    (EVENT, "date", " 2020-02-29 ", "2020-02-29"),
    (EVENT, "date", "none", None), (EVENT, "date", "", None), (EVENT, "date", None, None),
    (EVENT, "type", "aid", "AID"), (EVENT, "domain", "Energy", "energy"),
    (EVENT, "source", "rus-gov", "RUS-GOV"), (EVENT, "source", "EU", "EU"), (EVENT, "target", "IGO", "IGO"),
    (EVENT, "target", "null", None), (EVENT, "negated", "yes", True), (EVENT, "negated", "0", False),
    (EVENT, "negated", True, True), (FIGURE, "value", "2.5", 2.5), (FIGURE, "value", 42, 42.0),
    (FIGURE, "value", "-1e3", -1000.0), (FIGURE, "unit", "USD", "USD"),
    (FIGURE, "unit", "cubic  metres", "cubic metres"),
    (FIGURE, "unit", "%", "%"), (FIGURE, "measure", "", ""), (FIGURE, "date", "2019-12", "2019-12"),
    (CLAIM, "kind", "Forecast", "forecast"), (CLAIM, "holder", "author", "author"),
    (CLAIM, "holder", "blr-gov", "BLR-GOV"), (CLAIM, "horizon", "2025", "2025"), (CLAIM, "status", "", ""),
    (CLAIM, "status", "partly fulfilled", "partly fulfilled"),
    (DOCUMENT, "title", "Border brief", "Border brief"), (DOCUMENT, "date", "2021-05", "2021-05"),
    (DOCUMENT, "authors", "Ana Ruiz,  Luis Gómez ", '["Ana Ruiz", "Luis Gómez"]'),
    (DOCUMENT, "authors", '["Ana Ruiz"]', '["Ana Ruiz"]'), (DOCUMENT, "publisher", "", ""),
])
def test_allowed_values_are_kept_in_canonical_form(record: str, field: str, given: object, expected: object):
    assert review_value(record, field, given) == expected


@pytest.mark.parametrize(("record", "field", "given", "reason"), [
    (EVENT, "date", "garbage", "not a date"), (EVENT, "date", "2021-02-30", "no such date"),
    (EVENT, "date", "2021-13", "no such date"), (EVENT, "date", "0000", "no such date"),
    (EVENT, "date", "21-06-01", "not a date"), (EVENT, "date", "2021/06/01", "not a date"),
    (EVENT, "date", "٢٠٢١", "not a date"), (EVENT, "date", 2021, "expected text"),
    (EVENT, "type", "HUG", "not one of the choices"), (EVENT, "type", "", "not one of the choices"),
    (EVENT, "domain", "sports", "not one of the choices"), (EVENT, "source", "RUS-XYZ", "not an actor code"),
    (EVENT, "source", "R", "not an actor code"), (EVENT, "target", "RUS GOV", "not an actor code"),
    (EVENT, "negated", "maybe", "not yes or no"), (EVENT, "negated", None, "expected text"),
    (FIGURE, "value", "nan", "not a number"), (FIGURE, "value", "1e999", "not a finite number"),
    (FIGURE, "value", float("inf"), "not a finite number"), (FIGURE, "value", 10**400, "not a finite number"),
    (FIGURE, "value", True, "expected a number"), (FIGURE, "value", "12 million", "not a number"),
    (FIGURE, "unit", "", "empty"), (FIGURE, "unit", "   ", "empty"), (FIGURE, "unit", "1 USD", "not a short unit"),
    (FIGURE, "unit", "a b c d", "not a short unit"), (FIGURE, "unit", "x" * 40, "not a short unit"),
    (FIGURE, "measure", "line\nbreak", "control characters"), (FIGURE, "measure", "m" * 201, "longer than 200"),
    (CLAIM, "kind", "prophecy", "not one of the choices"), (CLAIM, "holder", "", "not an actor code"),
    (CLAIM, "status", "x" * 61, "longer than 60"), (CLAIM, "horizon", "soon", "not a date"),
])
def test_refused_values_say_what_is_wrong_and_what_is_allowed(record: str, field: str, given: object, reason: str):
    with pytest.raises(ReviewValueError) as refused:
        review_value(record, field, given)
    message = str(refused.value)
    assert message.startswith(f"[E021] cannot correct {field}=") and reason in message
    assert f"{field} takes " in message and refused.value.field == field


def test_allowed_lists_name_the_choices():
    with pytest.raises(ReviewValueError, match="AGREE, CONSULT"):
        review_value(EVENT, "type", "HUG")
    with pytest.raises(ReviewValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        review_value(EVENT, "date", "garbage")
    with pytest.raises(ReviewValueError, match="GOV, MIL, SEC"):
        review_value(EVENT, "source", "RUS-XYZ")


def test_unknown_fields_and_empty_corrections_are_e016():
    for changes in ({"colour": "red"}, {}, {"unit": "USD"}):
        with pytest.raises(DyadwatchError) as refused:
            checked_changes(EVENT, changes)
        assert refused.value.code is Errors.E016
    assert checked_changes(FIGURE, {"unit": " USD ", "value": "7"}) == {"unit": "USD", "value": 7.0}


def test_a_long_rejected_value_is_shortened_in_the_message():
    with pytest.raises(ReviewValueError) as refused:
        review_value(EVENT, "date", "9" * 10_000 + "\x00")
    assert len(str(refused.value)) < 400 and "\x00" not in str(refused.value)


def test_a_corrected_event_date_brings_its_precision_and_allows_all_its_days():
    whole = {"date_begin": None, "date_end": None}
    assert applied_fields(EVENT, {"date": "2021-06"}) == {"date": "2021-06", "date_precision": "month", **whole}
    assert applied_fields(EVENT, {"date": None}) == {"date": None, "date_precision": None, **whole}
    assert applied_fields(FIGURE, {"date": "2021"}) == {"date": "2021"}
    assert [date_precision(d) for d in ("2021", "2021-06", "2021-06-02")] == ["year", "month", "day"]


def test_a_corrected_event_type_brings_its_place_on_the_cooperation_conflict_scale():
    table = bundled_intensities()
    assert set(table) == set(PLOVER_TYPES)
    assert table["AID"] > 0 > table["ASSAULT"]
    assert applied_fields(EVENT, {"type": "ASSAULT"}) == {"type": "ASSAULT", "intensity": table["ASSAULT"]}
    both = applied_fields(EVENT, {"type": "AID", "date": "2021"})
    assert (both["intensity"], both["date_precision"]) == (table["AID"], "year")
    assert "intensity" not in applied_fields(EVENT, {"domain": "energy"})


# Properties ------------------------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=6)
FIELD_TEXT = st.text() | st.sampled_from(["2021-02-29", "2020-02-29", "RUS-GOV", "EU", "true", "1e308", "-0",
                                          "nan", "inf", "USD", "cubic metres", " none ", "AID", "energy", "author"])


@REVIEW_PROFILE
@pytest.mark.review_fuzz
@given(field=st.sampled_from(FIELDS), given=JSON_VALUES | FIELD_TEXT)
def test_any_value_is_either_accepted_in_canonical_form_or_refused_with_e030(field: tuple[str, str], given: object):
    record, name = field
    try:
        value = review_value(record, name, given)
    except ReviewValueError as refused:
        assert refused.code is Errors.E021 and refused.field == name
        return
    assert review_value(record, name, value) == value, "a canonical value is accepted as it is"
    if value is not None and isinstance(value, float):
        assert math.isfinite(value)


DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
PRECISION_LENGTHS = st.sampled_from([4, 7, 10])


@REVIEW_PROFILE
@pytest.mark.review_fuzz
@given(day=DATES, length=PRECISION_LENGTHS, today=DATES)
def test_every_real_date_at_every_precision_is_accepted_and_readable_downstream(day: date, length: int, today: date):
    text = day.isoformat()[:length]
    assert review_value(EVENT, "date", text) == text and review_value(CLAIM, "horizon", text) == text
    assert date_precision(text) == {4: "year", 7: "month", 10: "day"}[length]
    assert first_day(text) <= last_day(text)
    assert forecast_status(text, today.isoformat()) in ("open", "due")


@REVIEW_PROFILE
@pytest.mark.review_fuzz
@given(text=st.text(alphabet=string.digits + "-", max_size=12))
def test_a_date_is_accepted_only_when_it_names_a_real_day_month_or_year(text: str):
    try:
        accepted = review_value(EVENT, "date", text)
    except ReviewValueError:
        return
    if accepted is None:
        assert text.strip() == ""
        return
    year, month, day = (int(part) for part in (accepted + "-01-01"[len(accepted) - 4:])[:10].split("-"))
    assert date(year, month, day) and len(accepted) in (4, 7, 10)


@REVIEW_PROFILE
@pytest.mark.review_fuzz
@given(kind=st.sampled_from(["e", "q", "c", "d"]),
       changes=st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4))
def test_any_change_set_is_checked_whole_or_refused_with_a_code(kind: str, changes: dict[str, object]):
    try:
        checked = checked_changes(RECORDS[kind], changes)
    except DyadwatchError as refused:
        assert refused.code in (Errors.E016, Errors.E021)
        return
    assert set(checked) == set(changes) <= set(CORRECTABLE[kind])
    assert checked_changes(RECORDS[kind], checked) == checked
    if "type" in checked:
        assert checked["type"] in PLOVER_TYPES
    if "domain" in checked:
        assert checked["domain"] in DOMAINS
