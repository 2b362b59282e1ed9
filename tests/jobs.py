"""Running the jobs a test's request enqueues, as the site does once the request commits.

A test runs inside a transaction that never commits, so the callbacks a request registers
with transaction.on_commit (publishing an agenda, e-mails, parts rendered ahead) never run on
their own; inside `run_jobs()` they run when the request is done, with the immediate backend
the tests use, so the test sees the agenda published as a secretary would a moment later.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase


@contextmanager
def run_jobs() -> Iterator[list]:
    """Run what the block enqueues on commit (and what those jobs enqueue) when it ends."""
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks
