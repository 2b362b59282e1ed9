"""The product as deployed: gunicorn app servers sharing one PostgreSQL, one cache and one
storage. A publication on one server is seen at once on the other; when PostgreSQL stops
under load, requests fail with a plain page, nothing is written half-way, and the servers
recover by themselves when it returns.

PostgreSQL only (these tests stop and start the local cluster, so they also need root and
pg_ctlcluster); .ci/run runs them. They run last: stopping the cluster drops every
connection, the test run's own included, which they close before they end.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
import pytest
import requests
from django.conf import settings
from django.db import connections

from tests.demo import ROOT

DATABASE = settings.DATABASES["default"]
ON_POSTGRES = DATABASE["ENGINE"].endswith("postgresql")
PASSWORD = "servers-test-password-1"
pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not ON_POSTGRES, reason="app servers sharing PostgreSQL: DATABASE_URL"),
]


def cluster() -> list[str] | None:
    """The pg_ctlcluster arguments for the local cluster, when this process may use them."""
    if not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
        return None
    if DATABASE.get("HOST") not in ("127.0.0.1", "localhost", ""):
        return None
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    return (
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"] if versions else None
    )


def admin_sql(*statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) outside any transaction."""
    conn = psycopg2.connect(
        host=DATABASE["HOST"] or "127.0.0.1",
        port=DATABASE["PORT"] or 5432,
        user=DATABASE["USER"],
        password=DATABASE["PASSWORD"] or None,
        dbname="postgres",
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_url() -> str | None:
    """A Redis database for the shared cache, when one runs here (the deployment's choice)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return f"redis://127.0.0.1:6379/{8 + os.getpid() % 8}"
    except OSError:
        return None


@dataclass
class Deployment:
    env: dict[str, str]
    dbname: str
    servers: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start_server(self) -> str:
        port = free_port()
        log = open(Path(self.env["VAR_DIR"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "vru_governance.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if requests.get(f"{url}/accounts/login/", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            pytest.fail(f"gunicorn on {port} did not start")
        self.servers.append(url)
        return url

    def sign_in(self, server: str, username: str) -> requests.Session:
        session = requests.Session()
        page = session.get(f"{server}/accounts/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = session.post(
            f"{server}/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            timeout=10,
        )
        assert response.ok and "sessionid" in session.cookies, response.text[:500]
        return session


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    dbname = f"vru_servers_{os.getpid()}"
    admin_sql(f'DROP DATABASE IF EXISTS "{dbname}"', f'CREATE DATABASE "{dbname}"')
    var = Path(tempfile.mkdtemp(prefix="vru-servers-"))
    url = urlparse(os.environ.get("DATABASE_URL", ""))._replace(path=f"/{dbname}").geturl()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "servers-test-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "CONN_MAX_AGE": "600",
        "VAR_DIR": str(var),
        # One storage for every server, as object storage would be.
        "STORAGE_OPTIONS": f'{{"location": "{var / "media"}"}}',
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Hashed static names as in production, without a minute of Brotli compression.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    }
    if redis := redis_url():
        env["REDIS_URL"] = redis
    deployment = Deployment(env=env, dbname=dbname)
    deployment.manage("migrate", "--no-input", "-v0")
    deployment.manage("collectstatic", "--no-input", "-v0")
    deployment.manage(
        "load_demo",
        str(ROOT / "docs" / "demo-records.json"),
        "--password",
        PASSWORD,
        "--no-documents",
    )
    if redis:
        subprocess.run(
            ["redis-cli", "-n", redis.rsplit("/", 1)[1], "flushdb"],
            capture_output=True,
            check=False,
        )
    try:
        deployment.start_server()
        deployment.start_server()
        yield deployment
    finally:
        for process in deployment.processes:
            process.terminate()
        for process in deployment.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)


def test_a_publication_on_one_server_is_seen_at_once_on_the_other(
    deployment: Deployment,
) -> None:
    one, two = deployment.servers
    june = "/prg/meetings/2019-06-12/"
    listing = "/prg/meetings/?year=2019"
    # The public reads both servers first, so each has the list cached without June.
    assert requests.get(two + june, timeout=10).status_code == 404
    for server in (one, two):
        requests.get(server + listing, timeout=10)
        cached = requests.get(server + listing, timeout=10)
        assert cached.headers["X-Page-Cache"] == "hit"
        assert "12 June 2019" not in cached.text

    secretary = deployment.sign_in(one, "secretary")
    publish = f"{one}/manage/prg/meetings/2019-06-12/publish/"
    response = secretary.post(
        publish,
        data={
            "csrfmiddlewaretoken": csrf(secretary, publish),
            "notice": "Re-created from the paper records.",
            "composition": "The Mayor is recruiting community members.",
            "interval": "Agreed at the last meeting.",
            "equality": "Equality comments follow with the papers.",
        },
        timeout=120,
    )
    assert response.ok, response.text[:500]
    # A job of server one publishes it (its thread): the Publish page shows how far it is.
    assert response.url == publish, response.url
    deadline = time.monotonic() + 120
    while 'data-state="done"' not in (progress := secretary.get(publish, timeout=10).text):
        assert 'data-state="failed"' not in progress, progress[:2000]
        assert time.monotonic() < deadline, "the publication job did not finish"
        time.sleep(0.2)
    assert "Every document is frozen" in progress

    page = requests.get(two + june, timeout=10)
    assert page.status_code == 200 and "12 June 2019" in page.text
    fresh = requests.get(two + listing, timeout=10)
    assert fresh.headers["X-Page-Cache"] == "miss" and "12 June 2019" in fresh.text
    # The documents frozen by server one are served by server two from the shared storage.
    agenda = requests.get(f"{two}{june}agenda.pdf", timeout=30)
    assert agenda.status_code == 200 and agenda.content.startswith(b"%PDF-")


@dataclass
class Load:
    """Readers and a writer hammering one server; every answer recorded."""

    server: str
    secretary: requests.Session
    statuses: list[tuple[float, str, int, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def record(self, kind: str, response: requests.Response | None, error: str = "") -> None:
        status = response.status_code if response is not None else 0
        body = response.text if response is not None else error
        self.statuses.append((time.monotonic(), kind, status, body))

    def read(self) -> None:
        i = 0
        while not self.stop.is_set():
            i += 1
            try:  # A new query string each time: past the page cache, to the database.
                self.record(
                    "read", requests.get(f"{self.server}/prg/meetings/?year=2019&n={i}", timeout=10)
                )
            except requests.RequestException as exc:
                self.record("read", None, str(exc))
            time.sleep(0.05)

    def write(self) -> None:
        url = f"{self.server}/manage/prg/meetings/"
        token = csrf(self.secretary, url)
        day = dt.date(2031, 1, 1)
        while not self.stop.is_set():
            day += dt.timedelta(days=1)
            try:
                response = self.secretary.post(
                    url,
                    data={
                        "csrfmiddlewaretoken": token,
                        "date": day.isoformat(),
                        "start_time": "14:00",
                        "place": "City Hall",
                    },
                    timeout=15,
                    allow_redirects=False,
                )
                self.record("write", response)
                if response.status_code == 302:
                    self.created.append(day.isoformat())
            except requests.RequestException as exc:
                self.record("write", None, str(exc))
            time.sleep(0.1)


def test_the_servers_survive_postgresql_stopping_and_starting_under_load(
    deployment: Deployment,
) -> None:
    control = cluster()
    if control is None:
        pytest.skip("needs root and pg_ctlcluster for the local PostgreSQL cluster")
    server = deployment.servers[0]
    load = Load(server, deployment.sign_in(server, "secretary"))
    threads = [threading.Thread(target=load.read), threading.Thread(target=load.write)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        stopped_at = time.monotonic()
        subprocess.run([*control, "stop", "-m", "fast"], check=True, timeout=60)
        time.sleep(3)
        subprocess.run([*control, "start"], check=True, timeout=60)
        started_at = time.monotonic()
        # Recovery by itself: within a few seconds, reads and writes succeed again.
        deadline = started_at + 30
        while time.monotonic() < deadline:
            succeeded = {k for t, k, s, _ in load.statuses if t > started_at and s in (200, 302)}
            if {"read", "write"} <= succeeded:
                break
            time.sleep(0.5)
        recovered_at = time.monotonic()
        time.sleep(2)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        # Whatever happened, the cluster runs again (already running: no harm done).
        subprocess.run([*control, "start"], check=False, timeout=60, capture_output=True)
        connections.close_all()  # This process's own connections died with the cluster.

    during = [(k, s, b) for t, k, s, b in load.statuses if stopped_at < t < started_at]
    after = [(k, s) for t, k, s, _ in load.statuses if t > recovered_at]
    assert recovered_at - started_at < 30, "the servers did not recover by themselves"
    assert during, "the load ran while PostgreSQL was down"
    failed = [(k, s, b) for k, s, b in during if s not in (200, 302)]
    assert failed, "requests needing the database failed while it was down"
    for kind, status, body in failed:
        assert status in (500, 503), (kind, status, body[:300])
        assert "Traceback" not in body and "psycopg2" not in body and 'File "' not in body
        assert "unavailable for a moment" in body or "Something went wrong" in body, body[:300]
    # Mostly the 503 of the view that lost the database; a request whose connection broke
    # while its response was being finished may end in the plain 500 page instead.
    assert sum(status == 503 for _, status, _ in failed) >= len(failed) / 2, failed
    assert after and all(s in (200, 302) for _, s in after), after[-10:]

    # Nothing half-written: every meeting created has its whole standard agenda, and each
    # one the server confirmed (302) exists.
    with (
        psycopg2.connect(
            deployment.env["DATABASE_URL"].replace("postgres://", "postgresql://")
        ) as conn,
        conn.cursor() as cur,
    ):
        cur.execute(
            "SELECT m.key, count(i.id) FROM meetings_meeting m "
            "LEFT JOIN meetings_agendaitem i ON i.meeting_id = m.id "
            "WHERE m.date >= '2031-01-01' GROUP BY m.key"
        )
        items = dict(cur.fetchall())
    conn.close()
    assert set(load.created) <= set(items), "a confirmed meeting was lost"
    assert len(set(items.values())) == 1 and min(items.values()) >= 5, items
