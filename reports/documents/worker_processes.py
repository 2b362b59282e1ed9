"""The render workers' hygiene: they die with their parent, hold none of its connections,
answer signals, and are bounded in time and memory (used by workers.Pool).

A web worker that dies mid-render (a timeout, `kill -9`) must not leave its render processes
behind: they would keep burning CPU and, holding a copy of its PostgreSQL socket, keep its
session "idle in transaction" with the meeting's row lock, so that every later edit of the
meeting hangs. So each worker asks the kernel to kill it when its parent dies
(PR_SET_PDEATHSIG; a fork server's worker, whose parent is the server, also watches the
process it renders for and kills itself when that one ends), closes its copies of the
parent's database sockets, takes back the default signal handlers (a gunicorn worker's own
would make it ignore SIGTERM), and runs under an address-space limit. Nothing here needs
Django's settings (a worker may run without them).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import select
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Signals a server may have taken over in the parent; a render worker keeps none of them.
RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGABRT")
DEFAULT_TIME_LIMIT = 60  # seconds one part may take to render (below gunicorn's --timeout)
DEFAULT_MEMORY_MB = 2048  # MiB a worker may grow by

# The parent's database connections, kept (never finalised) in a worker: see forget_parent.
_INHERITED: list[Any] = []


class RenderFailed(ValidationError):
    """A part could not be rendered: its worker ran out of time or died. A ValidationError,
    so that the publication (or correction) asking for it is refused with the message and
    rolled back, wherever it was asked from."""


def setting(name: str, default: int) -> int:
    """A Django setting when Django is configured here, else the default."""
    conf = sys.modules.get("django.conf")
    try:
        return int(getattr(conf.settings, name, default)) if conf else default
    except Exception:  # noqa: BLE001 — settings not configured (a bare worker, a script)
        return default


def start_worker(owner: int, memory_mb: int, forked: bool) -> None:
    """The pool's initializer, run first in every worker: `owner` is the process that renders
    in it, its parent when `forked`, else the one that asked the fork server for it."""
    _die_with_parent(owner if forked else None)
    if not forked:
        _die_with_owner(owner)
    for name in RESET_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    # Held since the fork (signals_held): one that came before the line above is taken now,
    # by the default handler, not by the parent's (which may ignore it).
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _reset_signals())
    forget_parent()
    _limit_memory(memory_mb)


def _reset_signals() -> set[signal.Signals]:
    return {getattr(signal, name) for name in RESET_SIGNALS if hasattr(signal, name)}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Block the signals a worker resets while workers are forked here, so that a worker
    signalled before its initializer has run keeps the signal pending until its default
    handler is back, instead of running the parent's (a gunicorn worker ignores SIGTERM)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _reset_signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _die_with_parent(parent: int | None) -> None:
    """Ask Linux to SIGKILL this process when the one that started it ends."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        except (OSError, AttributeError) as exc:
            logger.warning("A render worker cannot be tied to its parent: %s", exc)
    # The parent may have died before the request above was made: nothing would kill us then.
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _die_with_owner(owner: int) -> None:
    """SIGKILL this process when `owner`, which is not its parent, ends.

    A fork server's worker is the server's child, and the server outlives the process that
    asked for the worker as long as the worker lives (each worker holds the server's "alive"
    pipe): so a thread waits on the owner's pidfd, which becomes readable when it ends.
    """
    try:
        pidfd = os.pidfd_open(owner)
    except ProcessLookupError:  # it has already ended
        os._exit(1)
    except (OSError, AttributeError) as exc:  # not Linux 5.3+
        logger.warning("A render worker cannot be tied to its owner: %s", exc)
        return

    def watch() -> None:
        ended = select.poll()
        ended.register(pidfd, select.POLLIN)
        ended.poll()
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def forget_parent() -> None:
    """Close this worker's copies of the parent's database sockets, without a word on them.

    Closing the connections would end the parent's sessions (the goodbye goes over the shared
    socket); keeping the sockets open would keep a dead parent's session, and its locks, alive
    for as long as this worker lives. So only the file descriptors are closed, and the
    connection objects stay referenced in _INHERITED, never finalised (a worker
    ends with os._exit), so that nothing is ever written to those descriptor numbers.
    """
    db = sys.modules.get("django.db")
    if db is None:  # a fork-server worker: nothing was inherited
        return
    try:
        connections = list(db.connections.all(initialized_only=True))
    except Exception:  # noqa: BLE001 — settings not configured: nothing was inherited
        return
    for connection in connections:
        raw, connection.connection = connection.connection, None
        if raw is None:
            continue
        _INHERITED.append(raw)
        fileno = getattr(raw, "fileno", None)
        if fileno is None:  # SQLite: a file, no session to keep alive
            continue
        try:
            os.close(fileno())
        except Exception:  # noqa: BLE001 — already closed, or not a socket we can name
            pass


def _limit_memory(memory_mb: int) -> None:
    """Let the worker grow by memory_mb MiB of address space at most: a hostile document
    then fails with MemoryError in the worker instead of swapping the server."""
    if memory_mb <= 0:
        return
    try:
        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: no way to know where we stand, so no limit
    limit = now + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def kill_workers(executor: ProcessPoolExecutor) -> None:
    """Stop every worker now (SIGKILL) and reap them: for a render past its time limit, or a
    parent leaving in a hurry (an error, gunicorn's timeout)."""
    processes = list(getattr(executor, "_processes", {}).values())
    for process in processes:
        try:
            process.kill()
        except Exception:  # noqa: BLE001 — already gone
            pass
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2)
