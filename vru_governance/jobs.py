"""The embedded setup's job backend: jobs run one at a time in a thread of the web process.

Needs no service (`make run`), and the request that enqueues a job answers at once: the
immediate backend of django-tasks would run the job inside the request, after its commit, so a
Publish button would wait for the render. A job still queued when the process stops is lost;
what it was doing is recorded in the database (a publication shown as stalled, with "Try
again"; e-mails sent by `manage.py send_pending_mail`). Production runs an RQ worker instead.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Any

from django.db import close_old_connections, connections
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)


class ThreadBackend(ImmediateBackend):
    """django-tasks' immediate backend, run by one worker thread per process."""

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self._queue: queue.Queue[TaskResult] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        self._start()
        self._queue.put(result)
        return result

    def _start(self) -> None:
        with self._lock:
            # A forked process (a gunicorn worker) has the queue but not the thread.
            if self._pid != os.getpid():
                self._queue = queue.Queue()
                self._pid = os.getpid()
                self._thread = None
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="jobs", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            result = self._queue.get()
            close_old_connections()
            try:
                self._execute_task(result)
                if result.status == TaskResultStatus.FAILED and result.errors:
                    logger.error(
                        "Job %s (%s) failed:\n%s",
                        result.id,
                        result.task.name,
                        result.errors[-1].traceback,
                    )
            except Exception:  # the job's own failure is recorded by _execute_task
                logger.exception("Job %s could not run", result.id)
            finally:
                # The thread's own database connections: none left open between jobs.
                connections.close_all()
                self._queue.task_done()

    def wait(self) -> None:
        """Until every job queued so far has run (tests)."""
        if self._thread is not None and self._pid == os.getpid():
            self._queue.join()
