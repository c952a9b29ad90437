"""A time budget for reading and extracting one file (or one batch of files).

On a process's main thread the budget is SIGALRM (the local engine's workers). Elsewhere (Ray runs a batch on
an actor's worker thread, where no signal arrives) a timer thread raises the same exception in the working
thread through CPython's PyThreadState_SetAsyncExc. Both interrupt Python code between two bytecodes, and both
ring again every REPEAT_S until the block ends.
"""

from __future__ import annotations

import ctypes
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


def on_main_thread() -> bool:
    """SIGALRM is received only by the main thread of a process on a POSIX system."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with BudgetExceeded after `seconds` (none: no limit).

    The alarm interrupts Python code, and C code that checks for signals (the regular expression engine
    does); code that holds on in C longer is stopped from outside: the worker pool kills its process."""
    if not seconds:
        yield
    elif on_main_thread():
        with _signal_budget(seconds):
            yield
    else:
        with _thread_budget(seconds):
            yield


@contextmanager
def _signal_budget(seconds: float) -> Iterator[None]:
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


@contextmanager
def _thread_budget(seconds: float) -> Iterator[None]:
    alarm = _ThreadAlarm(threading.get_ident(), seconds)
    alarm.start()
    try:
        yield
    finally:
        alarm.stop()


class _ThreadAlarm:
    """Raises BudgetExceeded in one thread after `seconds`, then every REPEAT_S, until stopped."""

    def __init__(self, thread_id: int, seconds: float) -> None:
        self.thread_id = thread_id
        self.seconds = seconds
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.timer = threading.Thread(target=self._ring, name="dyadwatch-time-budget", daemon=True)

    def start(self) -> None:
        self.timer.start()

    def _ring(self) -> None:
        wait = self.seconds
        expired = _expired(self.seconds)
        while not self.stopped.wait(wait):
            with self.lock:
                if not self.stopped.is_set():
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id),
                                                               ctypes.py_object(expired))
            wait = REPEAT_S

    def stop(self) -> None:
        """Called by the working thread. An alarm that rings while it stops is raised here, and stopping starts
        again; once stopped, an exception set but not yet raised is withdrawn, so none lands after the block."""
        while True:
            try:
                with self.lock:
                    self.stopped.set()
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id), None)
                break
            except BudgetExceeded:
                continue
        self.timer.join()


def _expired(seconds: float) -> type[BudgetExceeded]:
    """BudgetExceeded for `seconds` as a class that needs no argument: an asynchronous exception is raised by
    calling its class bare."""

    class Expired(BudgetExceeded):
        def __init__(self) -> None:
            super().__init__(seconds)

    return Expired
