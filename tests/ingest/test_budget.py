"""The time budget of one file's work: it stops the work even when its first alarm is swallowed."""

from __future__ import annotations

import time

import pytest

from dyadwatch.ingest.budget import REPEAT_S, BudgetExceeded, time_budget


def test_the_budget_rings_again_when_its_first_exception_is_swallowed():
    """As when the alarm lands in a garbage-collector callback, whose exceptions Python discards."""
    swallowed = 0
    started = time.monotonic()
    with pytest.raises(BudgetExceeded), time_budget(0.2):
        while time.monotonic() - started < 5:
            try:
                while time.monotonic() - started < 5:
                    pass
            except BudgetExceeded:
                swallowed += 1
                if swallowed > 1:
                    raise
    assert swallowed == 2 and time.monotonic() - started < 0.2 + 5 * REPEAT_S


def test_work_within_its_budget_is_left_alone():
    with time_budget(5):
        time.sleep(0.05)
    time.sleep(REPEAT_S * 2)  # no alarm rings after the block
