"""Group commit: concurrent writers share one transaction and one durable commit.

A committed transaction costs a flush to disk (an fsync) and a round of statements; writers
that arrive while another commit is under way queue up, and the next of them writes the whole
queue in one transaction. Each writer returns only after the transaction holding its job has
committed, so an acknowledgement still means "durably stored". This is the writer queue of
LevelDB and of PostgreSQL's commit_delay, done above the database:

    thread A ──submit──► lead: write [A]         commit ──► A returns
    thread B ──submit──►   queue [B, C] (wait)             lead: write [B, C] commit ──► B, C return
    thread C ──submit──►   queue

When a batch fails (one job's idempotency key is taken, say), nothing of it is kept and each of
its jobs is written again alone, so one job's error is raised to that job's writer only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

J = TypeVar("J")


class _Slot(Generic[J]):
    __slots__ = ("error", "finished", "job", "lead", "wake")

    def __init__(self, job: J) -> None:
        self.job = job
        # released when finished, or when asked to lead; its writer waits by acquiring it. A
        # lock taken at birth is a one-shot signal much cheaper to give than an Event (no
        # condition, no list of waiters), and a commit gives one to every writer in its batch.
        self.wake = threading.Lock()
        self.wake.acquire()
        self.lead = False
        self.finished = False
        self.error: BaseException | None = None


class GroupCommit(Generic[J]):
    """Write jobs with `write(jobs)`, which must store them all in one transaction and commit,
    or raise and store none; at most `max_batch` jobs per transaction."""

    def __init__(self, write: Callable[[Sequence[J]], None], max_batch: int = 256) -> None:
        self._write = write
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Slot[J]] = []
        self._leading = False

    def submit(self, job: J) -> None:
        """Return once `job` is committed; raise what writing it alone raised."""
        slot = _Slot(job)
        with self._lock:
            self._queue.append(slot)
            if not self._leading:
                self._leading = slot.lead = True
        while not slot.finished:
            if slot.lead:
                self._lead()
            else:
                slot.wake.acquire()  # a slot is woken once to lead, and once when finished
        if slot.error is not None:
            raise slot.error

    def _lead(self) -> None:
        """Write the head of the queue (which holds the leader), then hand leadership on."""
        with self._lock:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
        try:
            self._commit(batch)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].lead = True
                    self._queue[0].wake.release()
                else:
                    self._leading = False

    def _commit(self, batch: list[_Slot[J]]) -> None:
        try:
            self._write([slot.job for slot in batch])
        except Exception as error:
            if len(batch) > 1:
                for slot in batch:
                    self._commit([slot])
                return
            batch[0].error = error
        except BaseException as error:  # an interrupt: nobody in the batch may wait for ever
            for slot in batch:
                slot.error = error
            self._finish(batch)
            raise
        self._finish(batch)

    @staticmethod
    def _finish(batch: list[_Slot[J]]) -> None:
        for slot in batch:
            slot.finished = True
            if slot.wake.locked():  # its writer waits, or will; the leader itself does not
                slot.wake.release()
