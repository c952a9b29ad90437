"""A time budget for reading and extracting one file (or one batch of files)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

REPEAT_S = 0.1  # how soon the alarm rings again if its exception was swallowed


class BudgetExceeded(BaseException):
    """Raised inside the work when its time budget runs out. Not an Exception: library code that catches
    those (a reader's fallback, say) must not swallow it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"over the budget of {seconds:g} s")


def can_enforce() -> bool:
    """A budget is enforced with SIGALRM, which only the main thread of a process on a POSIX system receives."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with BudgetExceeded after `seconds` (none: no limit; not enforced off the main thread).

    The alarm interrupts Python code, and C code that checks for signals (the regular expression engine
    does); code that holds on in C longer is stopped from outside: the worker pool kills its process."""
    if not seconds or not can_enforce():
        yield
        return

    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    # Then again every REPEAT_S: an exception raised while a garbage-collector callback runs is discarded
    # by Python ("Exception ignored in ..."), and the work would go on past its budget.
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
