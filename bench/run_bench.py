"""make bench: a decade of records in PostgreSQL, served by gunicorn, loaded by wrk.

Every figure is compared with a floor measured in the same run (a trivial view, /health/),
because absolute times drift from run to run on a shared machine: each page's wrk run comes
between two floor runs at the same concurrency, and its ratios are to their mean. Steps:

1. (Re)create the PostgreSQL database `vru_bench`, migrate, collect the static files.
2. Generate the decade (manage.py generate_scale_data), import it with the real importer and
   export it again, each timed with its peak memory.
3. Create a secretary and a partner, start gunicorn (DEBUG off, persistent connections),
   sign both in over HTTP.
4. wrk against /health/ (the floor) and the measured pages; then publishing a 54-page pack
   (bench_publish.py: the Publish POST, and the time until every document is frozen). The
   figures, goals, ratios and MET / NOT MET go to var/bench/results.json and results.md, with
   the PDF figures that `manage.py bench_documents` wrote to var/bench/documents.json before.

Traffic goes to 127.0.0.1 only; every wrk run is bounded in time. The parts live beside this
script: bench_wrk.py (wrk runs and the floor), bench_http.py (GET and signing in),
bench_report.py (the goals and results.md) and bench_common.py (paths and the log).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import bench_publish
from bench_common import GUNICORN, LOGS, OUT, PY, ROOT, log
from bench_http import free_port, http_get, redis_reachable, sign_in
from bench_report import report
from bench_wrk import Run, compare, ensure_wrk, search_paths, wrk_floor, wrk_run


def step(name: str, command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run a command to its end: wall seconds and its own peak memory; its output to a log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    logfile = LOGS / f"{name}.log"
    log(f"{name}: {' '.join(command[1:])}")
    started = time.perf_counter()
    with logfile.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = logfile.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{name} failed (exit {process.returncode}); {logfile}:\n{tail}")
    result = {
        "seconds": round(seconds, 2),
        # The process's own CPU time: wall time minus waiting (for PostgreSQL, or for the CPU
        # while other work runs on the machine).
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    log(f"{name}: {result['seconds']} s ({result['cpu_seconds']} s CPU), "
        f"peak {result['peak_rss_mib']} MiB")  # fmt: skip
    return result


def recreate_database(name: str) -> None:
    import psycopg2

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Not a database name for the bench: {name!r}")
    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def worker_peaks(master: int) -> list[float]:
    """Peak resident memory (MiB) of each gunicorn worker, from /proc."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        hwm = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
        if ppid and hwm and int(ppid.group(1)) == master:
            peaks.append(round(int(hwm.group(1)) / 1024, 1))
    return sorted(peaks)


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def query_counts(pages: list[Any], users: dict[str, Any]) -> dict[str, int]:
    """Queries per measured page on the full decade, as a miss of the page cache costs them
    (tests/records/test_scale_data.py checks that they do not grow with the records)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        for page in pages:
            client = Client(HTTP_HOST="127.0.0.1")
            if page.who != "public":
                client.force_login(users[page.who])
            client.get(page.url, secure=True)  # warm the session
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page.url, secure=True)
            counts[page.name] = len(ctx.captured_queries) if response.status_code == 200 else -1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = a decade of five bodies")
    parser.add_argument("--database", default="vru_bench")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="floor and public pages")
    parser.add_argument("--signed-in-connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--started-file", help="when make bench started (seconds since epoch)")
    args = parser.parse_args()
    started = time.time()
    if args.started_file and Path(args.started_file).is_file():
        started = float(Path(args.started_file).read_text().strip())
    OUT.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()

    wrk = ensure_wrk()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vru_governance.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "600",
        # Static files, media and the file cache of the bench, apart from a developer's.
        "VAR_DIR": str(OUT / "var"),
        # Hashed names without WhiteNoise's pre-compressed copies: wrk asks for no static
        # file, and Brotli over every file made collectstatic take a minute or two.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    cache = "files under var/bench/var/cache"
    if redis_reachable():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
        cache = "Redis (127.0.0.1:6379/3)"
    records = OUT / "records.json"
    steps: dict[str, dict[str, float]] = {}

    log(f"database {args.database}: dropped and created")
    recreate_database(args.database)
    steps["migrate"] = step("migrate", [PY, "manage.py", "migrate", "--no-input"], env)
    steps["collectstatic"] = step(
        "collectstatic", [PY, "manage.py", "collectstatic", "--no-input"], env
    )
    steps["generate"] = step(
        "generate",
        [PY, "manage.py", "generate_scale_data", "-o", str(records), "--scale", str(args.scale)],
        env,
    )
    steps["import"] = step("import", [PY, "manage.py", "import_records", str(records)], env)
    steps["export"] = step(
        "export", [PY, "manage.py", "export_records", "-o", str(OUT / "export.json")], env
    )
    steps["import"]["megabytes"] = round(records.stat().st_size / 2**20, 1)
    # As a server settles after a bulk import: the planner's statistics gathered and the
    # import's writes flushed, so that autovacuum and a checkpoint do not run (unmeasured,
    # and unevenly) under the pages measured next.
    steps["vacuum"] = step(
        "vacuum",
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", args.database,
         "-v", "ON_ERROR_STOP=1", "-c", "VACUUM (ANALYZE)", "-c", "CHECKPOINT"],
        env,
    )  # fmt: skip

    django_setup(env)
    from django.db import connections

    from actions.models import Action
    from meetings.models import AgendaItem, Meeting, MinuteParagraph
    from members.models import Person
    from reports.models import Paper
    from vru_governance.records import loadtest

    password = secrets.token_urlsafe(12)
    secretary, partner = loadtest.make_accounts(password)
    pages = loadtest.pages()
    data = {
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "minute paragraphs": MinuteParagraph.objects.count(),
        "actions": Action.objects.count(),
        "people": Person.objects.count(),
        "papers": Paper.objects.count(),
    }
    counts = query_counts(pages, {"secretary": secretary, "partner": partner})
    publish_case = bench_publish.prepare(loadtest.first_body().slug)
    connections.close_all()

    port = free_port()
    server_log = (LOGS / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            GUNICORN,
            "vru_governance.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=server_log,
        start_new_session=True,
    )
    runs: list[Run] = []
    try:
        for _ in range(100):
            try:
                if http_get(port, "/health/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer /health/; see var/bench/logs/gunicorn.log")
        log(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; cache: {cache}")
        cookies = {
            "public": "",
            "partner": sign_in(port, loadtest.PARTNER, password),
            "secretary": sign_in(port, loadtest.SECRETARY, password),
        }
        for page in pages:  # every page answers, and the public ones are in the page cache
            for _ in range(2):
                status = http_get(port, page.url, cookies[page.who])[0]
                if status != 200:
                    raise SystemExit(f"{page.url} as {page.who}: status {status}")
        c, s = args.connections, args.signed_in_connections
        # Published pages at the floor's concurrency, then search and the signed-in pages at 4.
        plan = []
        for page in pages:
            if page.name == "search":
                plan.append((page.name, page.url, page.who, s, search_paths(page.url)))
                plan.append(("search (one query)", page.url, page.who, s, [page.url]))
            else:
                plan.append((page.name, page.url, page.who, c if page.who == "public" else s,
                             [page.url]))  # fmt: skip
        plan.sort(key=lambda entry: -entry[3])
        # Every page runs between two floor runs at its concurrency: F P F P F ... F.
        floor: Run | None = None
        for name, url, who, connections_, paths in plan:
            if floor is None or floor.connections != connections_:
                floor = wrk_floor(wrk, port, connections_, args.seconds)
            run = wrk_run(
                wrk, port, Run(name, url, who, connections_), paths, cookies[who], args.seconds
            )
            after = wrk_floor(wrk, port, connections_, args.seconds)
            compare(run, [floor, after])
            runs.append(run)
            floor = after
        # Last, as it changes what the pages show: publishing the 54-page pack.
        publish = bench_publish.measure(port, cookies["secretary"], publish_case)
        peaks = worker_peaks(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()

    publish.update(bench_publish.verify(publish_case))
    report(args, started, load_before, cache, steps, data, counts, runs, peaks, publish)


if __name__ == "__main__":
    main()
