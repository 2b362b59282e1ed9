"""The bench's goals and its report: var/bench/results.json and results.md, MET or NOT MET."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from dataclasses import asdict
from typing import Any

import bench_publish
from bench_common import OUT, log
from bench_wrk import Run

# Goals of the issue.
PUBLIC_RPS_SHARE = 0.5  # published public pages: at least half the floor's requests/s ...
PUBLIC_P99_RATIO = 3.0  # ... with a p99 at most three times the floor's
SIGNED_IN_P99_MS = 150.0  # at 4 concurrent clients
SEARCH_P95_MS = 50.0
IMPORT_SECONDS = 60.0
WHOLE_MINUTES = 15.0


def goal(text: str, measured: str, met: bool) -> dict[str, Any]:
    return {"goal": text, "measured": measured, "met": met}


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
    publish: dict[str, Any] | None = None,
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
    if publish:
        goals += bench_publish.goals(publish)
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
        "publish": publish or {},
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
    publish = results.get("publish") or {}
    if publish:
        lines += [
            "",
            "## Publishing an agenda (54-page pack, papers' parts rendered ahead)",
            "",
            "| Publish POST ms | POST to every document frozen s | documents frozen "
            "| pack pages | partners' pack pages | papers' parts rendered ahead in s |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| {publish['request_ms']:.0f} | {publish['seconds_to_published']:.2f} "
            f"| {publish['documents_frozen']} | {publish['pack_pages']} "
            f"| {publish['partners_pack_pages']} | {publish['render_ahead_seconds']:.1f} |",
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
        "Queries per page on the decade (tests/records/test_scale_data.py checks they stay the "
        "same as the records double): "
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
