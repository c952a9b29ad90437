"""Figures print as analysts write them."""

import pytest

from dyadwatch.numbers import plain_number


@pytest.mark.parametrize("value, text", [
    (5_000_000, "5,000,000"), (5e6, "5,000,000"), (35e9, "35,000,000,000"), (1_234_567.5, "1,234,567.5"),
    (127.25, "127.25"), (2.75, "2.75"), (3.14159, "3.14159"), (0.000012, "0.000012"), (-1500.0, "-1,500"),
    (48.0, "48"),
])
def test_no_exponent_and_thousands_separated(value: float, text: str):
    assert plain_number(value) == text
