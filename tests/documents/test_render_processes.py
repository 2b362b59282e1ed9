"""Render workers die with their parent, answer SIGTERM and are stopped past their time limit;
on PostgreSQL a web process killed mid-render leaves no orphan and no row lock behind, so the
next edit of the meeting is answered."""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection, transaction

from meetings.models import Meeting
from reports.documents import workers as workers_module
from reports.documents.worker_processes import RenderFailed
from reports.documents.workers import Pool
from tests.demo import ROOT
from tests.world import make_body

# A part that takes WeasyPrint several seconds: long enough to be killed in the middle of it.
LONG_PART = """
from reports.documents.workers import PartJob, Pool, render_part
PART = PartJob(
    html="<html><body>" + "".join(f"<p>Paragraph {i} of a long paper.</p>" for i in range(3000))
    + "</body></html>",
    tagged=False,
)
"""


# How long a signalled process may take to be gone: it dies when the kernel next runs it,
# which on a machine busy with parallel test processes and a browser can take seconds.
GRACE = 20.0


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to read its status is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def start(script: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, list[int]]:
    """Run a script that starts render workers and prints their pids; return both."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/bin"), "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], 90)
    if not ready:
        process.kill()
        pytest.fail("the script never started its workers")
    pids = [int(pid) for pid in process.stdout.readline().split()]
    assert pids and all(alive(pid) for pid in pids)
    return process, pids


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's /proc")


def test_render_workers_die_with_a_parent_killed_mid_render() -> None:
    parent, workers = start(
        LONG_PART
        + """
import signal, time
# A server's worker has handlers of its own (gunicorn's ignore SIGTERM in a child).
signal.signal(signal.SIGTERM, lambda *args: None)
pool = Pool(2)
pool.submit(render_part, PART)
pool.submit(render_part, PART)
print(*pool.executor._processes, flush=True)
time.sleep(120)
"""
    )
    time.sleep(1)  # mid-render
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    assert wait_until_gone(workers, GRACE) == [], "render workers outlived their parent"


def test_a_fork_servers_workers_die_with_the_process_they_render_for_and_the_server_too() -> None:
    # Their parent is the fork server, which would outlive the process that asked for them as
    # long as they live (each holds its "alive" pipe): they watch that process themselves.
    parent, pids = start(
        """
import signal, time
from multiprocessing import forkserver
from reports.documents.workers import Pool, start_fork_server
start_fork_server()
signal.signal(signal.SIGTERM, lambda *args: None)
pool = Pool(2)
pool.submit(time.sleep, 120)
pool.submit(time.sleep, 120)
print(*pool.executor._processes, forkserver._forkserver._forkserver_pid, flush=True)
time.sleep(120)
"""
    )
    *workers, server = pids
    try:
        assert all(_parent_of(pid) == server for pid in workers)
        time.sleep(1)  # the workers' initializer has run
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert wait_until_gone(workers, GRACE) == [], "fork-server workers outlived their owner"
        assert wait_until_gone([server], GRACE) == [], "the fork server outlived its owner"
    finally:  # left behind, they would idle for ever: each holds both ends of its queues
        for pid in [*workers, server]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.kill()
        parent.wait(10)


def test_a_fork_servers_worker_starts_without_the_memory_of_the_process_it_renders_for() -> None:
    # A forked worker starts with every page its parent has touched (Django, the records):
    # one from the fork server has only what rendering needs, whatever its owner holds.
    script = """
import os
from pathlib import Path
from reports.documents.workers import Pool, _context, start_fork_server
start_fork_server()
ballast = b"x" * (300 * 1024 * 1024)
with Pool(2) as pool:
    status = pool.submit(Path.read_text, Path("/proc/self/status"))()
    stat = pool.submit(Path.read_text, Path("/proc/self/stat"))()
parent = int(stat.rsplit(")", 1)[1].split()[1])
print(_context().get_start_method(), parent == os.getpid(), flush=True)
print(*(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
"""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/bin"), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    method, workers_parent, rss_kib = done.stdout.split()
    assert (method, workers_parent) == ("forkserver", "False")
    assert int(rss_kib) < 200 * 1024


def _blocked(pid: int) -> int:
    """The signal mask of a process's main thread."""
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("SigBlk:"))
    return int(line.split()[1], 16)


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.mark.parametrize("before_its_initializer", [False, True])
def test_a_render_worker_answers_sigterm_whatever_its_parent_does_with_it(
    before_its_initializer: bool,
) -> None:
    # Signalled before its initializer has given it the default handlers back, a worker forked
    # from a process that ignores SIGTERM holds the signal until then (signals_held), instead
    # of ignoring it as its parent would: the initializer is slowed down here to be sure.
    parent, workers = start(
        f"""
import signal, time
from reports.documents import worker_processes
from reports.documents.workers import Pool
signal.signal(signal.SIGTERM, lambda *args: None)
if {before_its_initializer}:
    start_worker = worker_processes.start_worker
    def slow_start(*args):
        time.sleep(3)
        start_worker(*args)
    worker_processes.start_worker = slow_start
pool = Pool(2)
pool.submit(time.sleep, 60)
print(*pool.executor._processes, flush=True)
time.sleep(60)
"""
    )
    try:
        os.kill(workers[0], signal.SIGTERM)
        assert wait_until_gone(workers[:1], GRACE) == []
        assert not _blocked(parent.pid) & (1 << (signal.SIGTERM - 1)), "held in the parent"
    finally:
        parent.kill()
        parent.wait(10)
    assert wait_until_gone(workers, GRACE) == []


@pytest.fixture(params=["fork", "fork server"])
def start_method(request: pytest.FixtureRequest) -> Iterator[str]:
    """Workers forked from this process (as if it had one thread: an earlier test may have left
    one behind), or from a fork server this process started."""
    owner = os.getpid() if request.param == "fork server" else None
    one_thread = mock.patch("reports.documents.workers.threading.active_count", return_value=1)
    with mock.patch.object(workers_module, "_fork_server_owner", owner), one_thread:
        yield "forkserver" if owner else "fork"


def test_a_render_past_its_time_limit_is_stopped_with_a_message_and_its_worker_killed(
    start_method: str,
) -> None:
    assert workers_module._context().get_start_method() == start_method
    with Pool(2, time_limit=1) as pool:
        result = pool.submit(time.sleep, 30)
        workers = list(pool.executor._processes)
        started = time.monotonic()
        with pytest.raises(RenderFailed, match="took more than 1 s to render and was stopped"):
            result()
        assert time.monotonic() - started < 5
    assert wait_until_gone(workers, GRACE) == []


@pytest.mark.django_db(transaction=True)
def test_a_web_process_killed_mid_render_leaves_no_orphan_and_no_lock_on_the_meeting() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and sessions left idle in transaction are PostgreSQL's")
    body, _ = make_body()
    meeting = Meeting.objects.create(
        body=body, key="2030-05-01", date=dt.date(2030, 5, 1), start_time=dt.time(14)
    )
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    # What publishing did: the meeting's row locked, then its documents rendered in workers.
    web, workers = start(
        LONG_PART
        + f"""
import time, django
django.setup()
from django.db import transaction
from meetings.models import Meeting
from reports.documents import workers as workers_module
with transaction.atomic():
    Meeting.objects.select_for_update().get(pk={meeting.pk})
    with Pool(2) as pool:
        pool.submit(render_part, PART)
        pool.submit(render_part, PART)
        print(*pool.executor._processes, flush=True)
        time.sleep(120)
""",
        env={
            "DJANGO_SETTINGS_MODULE": "vru_governance.settings",
            "DATABASE_URL": url,
            "DEBUG": "true",
            "VAR_DIR": "/tmp/vru-render-kill-test",
        },
    )
    time.sleep(1)
    assert _can_edit(meeting, lock_timeout="200ms") is False  # the lock is really held
    web.send_signal(signal.SIGKILL)
    web.wait(10)
    assert wait_until_gone(workers, GRACE) == [], "render workers outlived the web process"
    assert _can_edit(meeting, lock_timeout="5s") is True
    assert Meeting.objects.get(pk=meeting.pk).place == "Edited after the kill"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state LIKE 'idle in transaction%%'"
        )
        assert cursor.fetchone()[0] == 0


def _can_edit(meeting: Meeting, *, lock_timeout: str) -> bool:
    from django.db.utils import OperationalError

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            locked.place = "Edited after the kill"
            locked.save(update_fields=["place"])
    except OperationalError:
        return False
    return True
