"""make bench: a decade of records in PostgreSQL, served by gunicorn, loaded by wrk.

Every figure is compared with a floor measured in the same run (a trivial view, /health/),
because absolute times drift from run to run on a shared machine: each page's wrk run comes
between two floor runs at the same concurrency, and its ratios are to their mean. Steps:

1. (Re)create the PostgreSQL database `vru_bench`, migrate, collect the static files.
2. Generate the decade (manage.py generate_scale_data), import it with the real importer and
   export it again, each timed with its peak memory.
3. Create a secretary and a partner, start gunicorn (DEBUG off, persistent connections),
   sign both in over HTTP.
4. wrk against /health/ (the floor) and the measured pages; the figures, goals, ratios and
   MET / NOT MET go to var/bench/results.json and var/bench/results.md, with the PDF figures
   that `manage.py bench_documents` wrote to var/bench/documents.json just before.

Traffic goes to 127.0.0.1 only; every wrk run is bounded in time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
LOGS = OUT / "logs"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
FORWARDED = {"X-Forwarded-Proto": "https"}  # as from the TLS proxy in front of production

# Goals of the issue.
PUBLIC_RPS_SHARE = 0.5  # published public pages: at least half the floor's requests/s ...
PUBLIC_P99_RATIO = 3.0  # ... with a p99 at most three times the floor's
SIGNED_IN_P99_MS = 150.0  # at 4 concurrent clients
SEARCH_P95_MS = 50.0
IMPORT_SECONDS = 60.0
WHOLE_MINUTES = 15.0

SEARCH_WORDS = [
    "knife crime", "youth services", "school exclusions", "domestic abuse", "county lines",
    "mentoring", "community grants", "data sharing", "parenting support", "victim support",
    "summer programme", "mental health", "stop and search", "exploitation", "evaluation",
]  # fmt: skip
BOROUGHS = ["Hackney", "Croydon", "Newham", "Lambeth", "Brent", "Enfield", "Camden", ""]

LUA = r"""
local paths = {PATHS}
local headers = {HEADERS}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  n, not_ok, hits = 0, 0, 0
  for k, v in pairs(headers) do wrk.headers[k] = v end
end
function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
function response(status, hdrs, body)
  if status ~= 200 then not_ok = not_ok + 1 end
  if hdrs["X-Page-Cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local bad, hit = 0, 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_ok"); hit = hit + t:get("hits") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "not_200": %d, "cache_hits": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, bad, hit,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass
class Run:
    """One wrk run against one page."""

    name: str
    url: str
    who: str
    connections: int
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    requests: int = 0
    not_200: int = 0
    socket_errors: int = 0
    cache_hits: int = 0
    distinct_urls: int = 1
    # Against the floor runs just before and just after it (same concurrency), their mean.
    floor_requests_per_s: float = 0.0
    floor_p99_ms: float = 0.0
    rps_vs_floor: float = 0.0
    p99_vs_floor: float = 0.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


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


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: sudo apt-get install -y wrk")
    log("installing wrk from Debian")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# HTTP, by hand: the session cookie is Secure (production settings), which a cookie jar would
# keep from a plain-HTTP request to 127.0.0.1.


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {**FORWARDED, **({"Cookie": cookie} if cookie else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    found = {k.lower(): v for k, v in response.getheaders()}
    cookies = "; ".join(
        v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"
    )
    found["set-cookie"] = cookies
    connection.close()
    return response.status, found, body


def sign_in(port: int, username: str, password: str) -> str:
    """The session cookie after signing in through the real sign-in form."""
    status, headers, body = http_get(port, "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    cookie = headers["set-cookie"]
    if status != 200 or token is None or "csrftoken=" not in cookie:
        raise RuntimeError(f"sign-in page: status {status}")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            **FORWARDED,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"https://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = [
        v.split(";", 1)[0]
        for k, v in response.getheaders()
        if k.lower() == "set-cookie" and v.startswith("sessionid=")
    ]
    connection.close()
    if response.status != 302 or not session:
        raise RuntimeError(f"sign-in as {username}: status {response.status}, no session")
    return session[0]


def wrk_run(wrk: str, port: int, run: Run, paths: list[str], cookie: str, seconds: int) -> Run:
    headers = {**FORWARDED, **({"Cookie": cookie} if cookie else {})}
    lua_paths = ", ".join(json.dumps(p) for p in paths)
    lua_headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    lua = LUA.replace("{PATHS}", "{" + lua_paths + "}").replace(
        "{HEADERS}", "{" + lua_headers + "}"
    )
    script = OUT / "wrk.lua"
    script.write_text(lua)
    command = [
        wrk, "-t2", f"-c{run.connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(script), f"http://127.0.0.1:{port}{paths[0]}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {run.url}:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    run.requests = data["requests"]
    run.requests_per_s = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    for p in ("p50", "p90", "p95", "p99", "max"):
        setattr(run, f"{p}_ms", round(data[f"{p}_us"] / 1000, 2))
    run.not_200 = data["not_200"]
    run.socket_errors = data["socket_errors"]
    run.cache_hits = data["cache_hits"]
    run.distinct_urls = len(set(paths))
    log(
        f"{run.name:22} c={run.connections}  {run.requests_per_s:8.1f} req/s  "
        f"p50 {run.p50_ms:7.2f} ms  p95 {run.p95_ms:7.2f}  p99 {run.p99_ms:7.2f}  "
        f"not-200 {run.not_200}  cache hits {run.cache_hits}"
    )
    return run


def wrk_floor(wrk: str, port: int, connections: int, seconds: int) -> Run:
    floor = Run("floor", "/health/", "public", connections)
    return wrk_run(wrk, port, floor, ["/health/"], "", seconds)


def compare(run: Run, floors: list[Run]) -> None:
    """Ratios to the floor runs just before and just after (their mean)."""
    run.floor_requests_per_s = round(sum(f.requests_per_s for f in floors) / len(floors), 1)
    run.floor_p99_ms = round(sum(f.p99_ms for f in floors) / len(floors), 2)
    run.rps_vs_floor = round(run.requests_per_s / run.floor_requests_per_s, 3)
    run.p99_vs_floor = round(run.p99_ms / run.floor_p99_ms, 2)


def search_paths(first: str) -> list[str]:
    """Many different searches, as readers make them (each new one misses the page cache)."""
    paths = [first]
    for word in SEARCH_WORDS:
        for borough in BOROUGHS:
            query = f"{word} {borough}".strip()
            paths.append("/search/?q=" + urllib.parse.quote_plus(query))
    return list(dict.fromkeys(paths))


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
    (tests/test_scale_data.py checks that they do not grow with the records)."""
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


def goal(text: str, measured: str, met: bool) -> dict[str, Any]:
    return {"goal": text, "measured": measured, "met": met}


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

    django_setup(env)
    from django.db import connections

    from actions.models import Action
    from meetings.models import AgendaItem, Meeting, MinuteParagraph
    from members.models import Person
    from members.records import loadtest
    from reports.models import Paper

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
        peaks = worker_peaks(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()

    report(args, started, load_before, cache, steps, data, counts, runs, peaks)


def report(
    args: argparse.Namespace,
    started: float,
    load_before: tuple[float, float, float],
    cache: str,
    steps: dict[str, dict[str, float]],
    data: dict[str, int],
    counts: dict[str, int],
    runs: list[Run],
    peaks: list[float],
) -> None:
    def find(name: str) -> Run:
        return next(r for r in runs if r.name == name)

    c, s = args.connections, args.signed_in_connections
    goals = []
    for name in ("meeting page", "meetings list"):
        run = find(name)
        goals.append(
            goal(
                f"{name}: requests/s at least {PUBLIC_RPS_SHARE:.0%} of the floor's "
                f"({c} connections)",
                f"{run.requests_per_s:.0f} vs {run.floor_requests_per_s:.0f} = "
                f"{run.rps_vs_floor:.2f}",
                run.rps_vs_floor >= PUBLIC_RPS_SHARE and run.not_200 == 0,
            )
        )
        goals.append(
            goal(
                f"{name}: p99 at most {PUBLIC_P99_RATIO:.0f}x the floor's",
                f"{run.p99_ms:.1f} ms vs {run.floor_p99_ms:.1f} ms = {run.p99_vs_floor:.1f}x",
                run.p99_vs_floor <= PUBLIC_P99_RATIO and run.not_200 == 0,
            )
        )
    for name in ("partner dashboard", "attendance page", "minutes editor"):
        run = find(name)
        goals.append(
            goal(
                f"{name} (signed in): p99 under {SIGNED_IN_P99_MS:.0f} ms at {s} clients",
                f"{run.p99_ms:.1f} ms",
                run.p99_ms < SIGNED_IN_P99_MS and run.not_200 == 0,
            )
        )
    search = find("search")
    goals.append(
        goal(
            f"search: p95 under {SEARCH_P95_MS:.0f} ms ({search.distinct_urls} different "
            f"queries, {s} clients)",
            f"{search.p95_ms:.1f} ms",
            search.p95_ms < SEARCH_P95_MS and search.not_200 == 0,
        )
    )
    goals.append(
        goal(
            f"the decade imports in under {IMPORT_SECONDS:.0f} s",
            f"{steps['import']['seconds']:.1f} s ({steps['import']['cpu_seconds']:.1f} s of "
            f"CPU; load average {steps['import']['load_average']})",
            steps["import"]["seconds"] < IMPORT_SECONDS,
        )
    )
    documents = _documents()
    total_minutes = (time.time() - started) / 60
    goals.append(
        goal(
            f"make bench runs end to end in under {WHOLE_MINUTES:.0f} minutes",
            f"{total_minutes:.1f} min",
            total_minutes < WHOLE_MINUTES,
        )
    )
    results = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "scale": args.scale,
            "gunicorn_workers": args.workers,
            "connections_public": c,
            "connections_signed_in": s,
            "seconds_per_run": args.seconds,
            "page_cache": cache,
            "conn_max_age": 600,
        },
        "data": data,
        "steps": steps,
        "runs": [asdict(r) for r in runs],
        "queries_per_page_on_the_decade": counts,
        "gunicorn_worker_peak_rss_mib": peaks,
        "documents": documents,
        "goals": goals,
        "total_minutes": round(total_minutes, 1),
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (OUT / "results.md").write_text(markdown(results), encoding="utf-8")
    met = sum(g["met"] for g in goals)
    log(f"{met} of {len(goals)} goals met; var/bench/results.md")
    print(markdown(results))


def _documents() -> dict[str, Any]:
    path = OUT / "documents.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def markdown(results: dict[str, Any]) -> str:
    settings, machine = results["settings"], results["machine"]
    lines = [
        "# make bench results",
        "",
        f"{results['generated_at']}, {machine['cpus']} cores, Python {machine['python']}; "
        f"load average {machine['load_average_before'][0]} before, "
        f"{machine['load_average_after'][0]} after (other work on the machine skews the "
        "absolute figures: read the ratios).",
        f"gunicorn {settings['gunicorn_workers']} sync workers, CONN_MAX_AGE "
        f"{settings['conn_max_age']}, DEBUG off; page cache: {settings['page_cache']}; "
        f"wrk {settings['seconds_per_run']} s per run.",
        "",
        "## Goals",
        "",
        "| goal | measured | |",
        "| --- | --- | --- |",
    ]
    for g in results["goals"]:
        lines.append(f"| {g['goal']} | {g['measured']} | {'MET' if g['met'] else 'NOT MET'} |")
    lines += [
        "",
        "## Pages (wrk, 127.0.0.1)",
        "",
        "Each page between two floor runs (/health/) at the same concurrency; the floor "
        "columns are their mean, the ratios are to it.",
        "",
        "| page | who | conns | req/s | p50 ms | p95 ms | p99 ms | floor req/s | floor p99 ms "
        "| req/s vs floor | p99 vs floor | not 200 | cache hits |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results["runs"]:
        lines.append(
            f"| {r['name']} | {r['who']} | {r['connections']} | {r['requests_per_s']:.0f} "
            f"| {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['floor_requests_per_s']:.0f} | {r['floor_p99_ms']:.1f} "
            f"| {r['rps_vs_floor']:.2f} | {r['p99_vs_floor']:.1f}x | {r['not_200']} "
            f"| {r['cache_hits']} |"
        )
    lines += ["", "Pages measured:", ""]
    lines += [
        f"- {r['name']}: `{r['url']}`"
        + (f" (and {r['distinct_urls'] - 1} other searches)" if r["distinct_urls"] > 1 else "")
        for r in results["runs"]
    ]
    lines += [
        "",
        "## Records, import and export",
        "",
        ", ".join(f"{n:,} {kind}" for kind, n in results["data"].items()) + ".",
        "",
        "| step | seconds | CPU seconds | peak memory MiB | load average after |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, s in results["steps"].items():
        lines.append(
            f"| {name} | {s['seconds']:.1f} | {s['cpu_seconds']:.1f} | {s['peak_rss_mib']:.0f} "
            f"| {s['load_average']} |"
        )
    lines += [
        "",
        "Queries per page on the decade (tests/test_scale_data.py checks they stay the same "
        "as the records double): "
        + ", ".join(f"{k} {v}" for k, v in results["queries_per_page_on_the_decade"].items())
        + ".",
        "",
        "Peak memory of each gunicorn worker (MiB): "
        + ", ".join(str(p) for p in results["gunicorn_worker_peak_rss_mib"])
        + ".",
        "",
        "## Documents (manage.py bench_documents, var/bench/documents.json)",
        "",
    ]
    documents = results["documents"].get("documents", [])
    if not documents:
        lines.append("Not measured (var/bench/documents.json is missing).")
    else:
        lines += [
            "| document | pages | first s | warm s | peak MiB | goals |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for d in documents:
            verdicts = "; ".join(
                f"{name} {'MET' if g.get('met') else 'NOT MET' if g.get('met') is False else '-'}"
                for name, g in d.get("goals", {}).items()
            )
            lines.append(
                f"| {d.get('name')} | {d.get('pages', '')} | {d.get('seconds_first', '')} "
                f"| {d.get('seconds_warm', '')} | {d.get('peak_rss_mib', '')} | {verdicts} |"
            )
    lines += ["", f"Whole run: {results['total_minutes']} minutes.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
