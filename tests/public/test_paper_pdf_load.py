"""No request renders a published paper: 40 requests of public paper PDFs, 8 at a time, to
gunicorn as deployed (sync workers) are served from the frozen copies, and /health/ keeps
answering as fast as when idle (rendering them took its median from 0.16 s to 3.2 s)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports.models import Paper, StoredDocument
from tests.demo import ROOT, load_demo

READERS = """
import sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return f"{response.status}:{response.read()[:5].decode()}"
with ThreadPoolExecutor(int(sys.argv[1])) as pool:
    print(*pool.map(get, sys.argv[2:]), sep="\\n")
"""
REQUESTS = 40
CONCURRENCY = 8
# Scheduling noise on a small, busy machine: a few milliseconds whatever the server does.
NOISE_SECONDS = 0.005


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 — our live server
        return response.status, response.read()


def _get_when_frozen(url: str, seconds: float = 120) -> tuple[int, bytes]:
    """A paper never frozen is answered 202 while the job its request asked for freezes it
    (reports/freeze_jobs.py, a thread of the web process here): asked again until served."""
    deadline = time.monotonic() + seconds
    status, body = _get(url)
    while status == 202 and time.monotonic() < deadline:
        time.sleep(0.5)
        status, body = _get(url)
    return status, body


def _health_p50(base: str, samples: int, *, until: threading.Event | None = None) -> float:
    times = []
    while len(times) < samples or (until is not None and not until.is_set()):
        started = time.perf_counter()
        status, body = _get(f"{base}/health/")
        times.append(time.perf_counter() - started)
        assert (status, body) == (200, b"ok")
        if until is None and len(times) >= samples:
            break
    return statistics.median(times)


def _health_p50_under(base: str, urls: list[str]) -> tuple[float, str]:
    """/health/'s median while another process reads `urls`, CONCURRENCY at a time."""
    readers = subprocess.Popen(
        [sys.executable, "-c", READERS, str(CONCURRENCY), *urls],
        stdout=subprocess.PIPE,
        text=True,
    )
    results: list[float] = []
    done = threading.Event()
    measuring = threading.Thread(target=lambda: results.append(_health_p50(base, 5, until=done)))
    measuring.start()
    out, _ = readers.communicate(timeout=60)
    done.set()
    measuring.join()
    assert readers.returncode == 0
    return results[0], out


@pytest.fixture
def app_server(transactional_db: None) -> Iterator[str]:
    """gunicorn as deployed (sync workers) on this test's database and storage."""
    if connection.vendor != "postgresql":
        pytest.skip("an app server in another process shares the test database: PostgreSQL")
    db = connection.settings_dict
    port = free_port()
    var = Path(tempfile.mkdtemp(prefix="vru-paper-load-"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DEBUG": "false",
        "SECRET_KEY": "paper-load-test-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(var),
        "STORAGE_OPTIONS": json.dumps(settings.STORAGES["default"].get("OPTIONS", {})),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "vru_governance.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                _get(f"{base}/health/")
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(20)
        shutil.rmtree(var, ignore_errors=True)


def test_forty_concurrent_paper_pdfs_leave_health_within_twice_its_idle_median(
    app_server: str,
) -> None:
    load_demo()
    public = [
        paper
        for paper in Paper.objects.select_related("item__meeting__body").order_by("pk")
        if paper.item.meeting.agenda_is_public and not paper.is_exempt
    ]
    assert public, "the demo has public papers of published agendas"
    base = app_server
    urls = [
        f"{base}/{p.item.meeting.body.slug}/meetings/{p.item.meeting.key}/papers/{p.key}.pdf"
        for p in public
    ]
    for url in urls:  # never frozen (imported): frozen once, by the job the request asks for
        status, pdf = _get_when_frozen(url)
        assert status == 200 and pdf.startswith(b"%PDF-")
    stored = StoredDocument.objects.count()

    idle = _health_p50(base, 30)
    loaded, out = _health_p50_under(base, [urls[i % len(urls)] for i in range(REQUESTS)])
    assert out.split() == ["200:%PDF-"] * REQUESTS, out
    assert StoredDocument.objects.count() == stored, "a request froze (rendered) a paper"
    assert loaded <= 2 * idle + NOISE_SECONDS, f"/health/ p50 {loaded:.4f}s, idle {idle:.4f}s"
