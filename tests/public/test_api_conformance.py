"""Schemathesis, every check, against the API as deployed: gunicorn with DEBUG off, the demo
records in a fresh SQLite database, the OpenAPI document the server itself serves. Each
operation gets generated valid and invalid requests (malformed parameters, other methods);
every answer must be the status, content type and shape the document promises.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.demo import ROOT

# The server has a SQLite database of its own whatever the run's database: .ci/run runs it
# once, in its SQLite run of `make test`.
pytestmark = [
    pytest.mark.api_conformance,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="runs once, in the SQLite run",
    ),
]

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# Enough generated requests per operation to find what the checks look for, within ~30 s.
MAX_EXAMPLES = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(var: Path) -> dict[str, str]:
    """The settings of a deployment (DEBUG off), on a database of its own under ``var``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "api-conformance-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "VAR_DIR": str(var),
        # The API serves no static file: the unhashed storage spares a collectstatic.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }


@pytest.fixture(scope="module")
def api_server() -> Iterator[str]:
    # In memory where there is a tmpfs: SQLite's fsyncs make migrating on disk slow.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    var = Path(tempfile.mkdtemp(prefix="vru-api-", dir=shm))
    env = production_env(var)
    process: subprocess.Popen | None = None
    try:
        for args in (
            ["migrate", "--no-input", "-v0"],
            ["load_demo", str(ROOT / "docs" / "demo-records.json"), "--no-documents"],
        ):
            done = subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), *args],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stdout + done.stderr
        port = free_port()
        log = open(var / "gunicorn.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "vru_governance.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if requests.get(f"{url}/api/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            pytest.fail(f"gunicorn did not start: {(var / 'gunicorn.log').read_text()}")
        yield url
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(var, ignore_errors=True)


def test_schemathesis_finds_no_failure_with_every_check_against_a_production_server(
    api_server: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{api_server}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--workers",
            "4",
            "--seed",
            "1",
            "--no-color",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
        ],
        # Schemathesis keeps a .schemathesis/ cache in its working directory: not in the tree.
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout or " 0 failures" in result.stdout, result.stdout


def test_the_deployed_api_answers_problems_not_html_pages(api_server: str) -> None:
    """What Django's test client cannot show: the CSRF middleware and the error handlers of
    a server with DEBUG off."""
    posted = requests.post(f"{api_server}/api/bodies/", timeout=10)
    assert posted.status_code == 405
    assert posted.headers["Allow"] == "GET, HEAD"
    assert posted.headers["Content-Type"] == "application/problem+json"
    missing = requests.get(f"{api_server}/api/bodies/no-such-body/meetings/", timeout=10)
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not Found"
    unrouted = requests.get(f"{api_server}/api/bodies/a%20b/", timeout=10)
    assert unrouted.status_code == 404
    assert unrouted.headers["Content-Type"] == "application/problem+json"
