"""Numbers as analysts write them: thousands separators, no exponent."""

from __future__ import annotations

import math


def plain_number(value: float) -> str:
    """5000000 -> '5,000,000', 1234567.5 -> '1,234,567.5', 0.000012 -> '0.000012': about six significant
    digits, never scientific notation, which reads as a typo in a table of loans and prices."""
    if float(value).is_integer():
        return f"{int(value):,}"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = min(12, max(2, 5 - magnitude))
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
