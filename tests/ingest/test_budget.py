"""The time budget of one file's work: it stops the work even when its first alarm is swallowed."""

from __future__ import annotations

import threading
import time

import pytest

from dyadwatch.ingest.budget import REPEAT_S, BudgetExceeded, time_budget


def busy_swallowing_the_first_alarm(started: float, swallowed: list[int]) -> None:
    """Work for five seconds that swallows the first BudgetExceeded (counted in `swallowed`) and not the second."""
    while time.monotonic() - started < 5:
        try:
            while time.monotonic() - started < 5:
                pass
        except BudgetExceeded:
            swallowed.append(1)
            if len(swallowed) > 1:
                raise


def test_the_budget_rings_again_when_its_first_exception_is_swallowed():
    """As when the alarm lands in a garbage-collector callback, whose exceptions Python discards."""
    swallowed: list[int] = []
    started = time.monotonic()
    with pytest.raises(BudgetExceeded), time_budget(0.2):
        busy_swallowing_the_first_alarm(started, swallowed)
    assert len(swallowed) == 2 and time.monotonic() - started < 0.2 + 5 * REPEAT_S


def test_work_within_its_budget_is_left_alone():
    with time_budget(5):
        time.sleep(0.05)
    time.sleep(REPEAT_S * 2)  # no alarm rings after the block


def test_off_the_main_thread_the_budget_interrupts_the_work_and_rings_again():
    """As on a Ray actor's worker thread, where no signal arrives."""
    outcome: dict[str, float | int] = {}

    def work() -> None:
        swallowed: list[int] = []
        started = time.monotonic()
        try:
            with time_budget(0.2):
                busy_swallowing_the_first_alarm(started, swallowed)
        except BudgetExceeded as exceeded:
            outcome.update(seconds=exceeded.seconds, swallowed=len(swallowed), took=time.monotonic() - started)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert outcome["seconds"] == 0.2 and outcome["swallowed"] == 2
    assert outcome["took"] < 0.2 + 5 * REPEAT_S


def test_off_the_main_thread_work_within_its_budget_is_left_alone():
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                with time_budget(REPEAT_S / 2):
                    time.sleep(REPEAT_S / 10)
            time.sleep(REPEAT_S * 2)  # no alarm rings after the blocks
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert errors == [] and not thread.is_alive()
