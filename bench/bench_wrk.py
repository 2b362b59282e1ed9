"""wrk runs against one page, each compared with the floor (/health/) measured around it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass

from bench_common import FORWARDED, OUT, log

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
