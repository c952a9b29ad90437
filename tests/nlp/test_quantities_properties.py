"""Properties of figures over generated text: no exception (huge numbers included), spans that hold their
text, finite values."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.nlp.quantities import find_figures

FIGURE_WORDS = st.sampled_from([
    "USD", "$", "€", "EUR", "RUB", "rubles", "million", "billion", "bn", "trillion", "thousand", "k", "%", "percent",
    "percentage points", "tonnes", "cubic metres", "bcm", "times", "a third", "half", "two-thirds", "one", "twelve",
    "dozen", "hundred", "1/3", "3:1", "x", "-", "–", "to", "between", "and", "about", "over", "up to", "nearly",
    "first", "2nd", "No.", "2021", ",", ".", " ", "\n", "(", ")", "1e22", "per cent", "years", "barrels", "km",
])
NUMBERS = st.one_of(st.integers(0, 10**30).map(str), st.decimals(allow_nan=False, allow_infinity=False).map(str),
                    st.integers(0, 10**6).map(lambda n: f"{n:,}"), st.just("9" * 400),
                    st.floats(0, 1e30, allow_nan=False).map(lambda f: f"{f:.2f}"))
TEXT = st.lists(st.one_of(FIGURE_WORDS, NUMBERS, st.text(max_size=4)), max_size=40).map(" ".join)


@given(TEXT)
def test_figures_hold_their_text_and_have_finite_values(text: str):
    for figure in find_figures(text):
        assert text[figure.start:figure.end] == figure.text
        assert math.isfinite(figure.value)
        assert figure.unit and figure.bound in (None, "lower", "upper", "approx")
