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
from pathlib import Path

import pytest
from django.db import connection, transaction

from meetings.models import Meeting
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


def test_a_render_worker_answers_sigterm_whatever_its_parent_does_with_it() -> None:
    parent, workers = start(
        """
import signal, time
from reports.documents.workers import Pool
signal.signal(signal.SIGTERM, lambda *args: None)
pool = Pool(2)
pool.submit(time.sleep, 60)
print(*pool.executor._processes, flush=True)
time.sleep(60)
"""
    )
    try:
        os.kill(workers[0], signal.SIGTERM)
        assert wait_until_gone(workers[:1], GRACE) == []
    finally:
        parent.kill()
        parent.wait(10)
    assert wait_until_gone(workers, GRACE) == []


def test_a_render_past_its_time_limit_is_stopped_with_a_message_and_its_worker_killed() -> None:
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
