"""Group commit: concurrent jobs share transactions; each job's error reaches only its writer."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from yijianshi.services.applications.group_commit import GroupCommit


class Store:
    """A store that commits a batch whole or not at all, and refuses the job "bad"."""

    def __init__(self) -> None:
        self.committed: list[list[str]] = []
        self.first_may_finish = threading.Event()
        self.writing = threading.Event()

    def write(self, jobs: Sequence[str]) -> None:
        self.writing.set()
        if not self.committed:
            self.first_may_finish.wait(5)
        if "bad" in jobs:
            raise ValueError("bad job")
        self.committed.append(list(jobs))


def run_all(group: GroupCommit[str], store: Store, jobs: list[str]) -> dict[str, str]:
    outcome: dict[str, str] = {}

    def submit(job: str) -> None:
        try:
            group.submit(job)
        except ValueError as error:
            outcome[job] = str(error)
        else:
            outcome[job] = "committed"

    threads = [threading.Thread(target=submit, args=(job,)) for job in jobs]
    threads[0].start()
    assert store.writing.wait(5)  # the first writer is leading, inside its commit
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 5
    while len(group._queue) < len(jobs) - 1 and time.monotonic() < deadline:
        time.sleep(0.001)  # everyone else queued behind the first commit
    store.first_may_finish.set()
    for thread in threads:
        thread.join(5)
    return outcome


def test_writers_arriving_during_a_commit_share_the_next_one() -> None:
    store = Store()
    jobs = [f"job-{n}" for n in range(20)]
    outcome = run_all(GroupCommit(store.write), store, jobs)
    assert outcome == dict.fromkeys(jobs, "committed")
    assert sorted(j for batch in store.committed for j in batch) == sorted(jobs)
    assert [len(batch) for batch in store.committed] == [1, 19]


def test_a_failing_job_fails_alone_and_the_rest_of_its_batch_commits() -> None:
    store = Store()
    jobs = ["job-0", "job-1", "bad", "job-3"]
    outcome = run_all(GroupCommit(store.write), store, jobs)
    assert outcome == {"job-0": "committed", "job-1": "committed", "bad": "bad job", "job-3": "committed"}
    assert sorted(j for batch in store.committed for j in batch) == ["job-0", "job-1", "job-3"]


def test_a_batch_holds_at_most_max_batch_jobs() -> None:
    store = Store()
    jobs = [f"job-{n}" for n in range(11)]
    outcome = run_all(GroupCommit(store.write, max_batch=4), store, jobs)
    assert set(outcome.values()) == {"committed"}
    assert [len(batch) for batch in store.committed] == [1, 4, 4, 2]


def test_a_lone_writer_gets_its_own_error() -> None:
    store = Store()
    store.first_may_finish.set()
    with pytest.raises(ValueError, match="bad job"):
        GroupCommit(store.write).submit("bad")
    GroupCommit(store.write).submit("fine")
    assert store.committed == [["fine"]]
