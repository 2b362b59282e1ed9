"""Figures the document benchmarks take: peak memory, CPU time, and goals against LibreOffice."""

from __future__ import annotations

import contextlib
import os
import resource
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock


def rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory (MiB) of this process, or of its largest child that has ended."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


class _Workers:
    """The render workers' peak memory and CPU time, read from /proc as each pool closes.

    A fork server's workers are its children, not ours: getrusage(RUSAGE_CHILDREN) never
    counts them. So each pool's workers are read just before it lets them go (they are idle
    then, every result in): the peak (VmHWM) of each, and the CPU time of those that are not
    our children (ours are counted by RUSAGE_CHILDREN once they end).
    """

    peak_kib = 0
    cpu_seconds = 0.0

    @classmethod
    def read(cls, pids: list[int]) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    cls.peak_kib = max(cls.peak_kib, int(line.split()[1]))
            if int(stat[1]) != os.getpid():  # ppid: a fork server's worker
                cls.cpu_seconds += (int(stat[11]) + int(stat[12])) / ticks  # utime, stime


@contextlib.contextmanager
def reading_workers() -> Iterator[None]:
    """Within it, every pool's workers are read as it closes (workers_peak_mib, cpu_seconds)."""
    from reports.documents.workers import Pool

    close = Pool.close

    def read_then_close(pool: Pool) -> None:
        if pool.executor is not None:
            _Workers.read(list(getattr(pool.executor, "_processes", {})))
        close(pool)

    with mock.patch.object(Pool, "close", read_then_close):
        yield


def workers_peak_mib() -> float:
    """Peak resident memory (MiB) of the largest render worker so far, forked or not."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(children, _Workers.peak_kib) / 1024, 1)


def cpus() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def has_harfbuzz_subset() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz (fast) when libharfbuzz-subset0 is installed."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


def package_version(package: str) -> str:
    """The installed version, recorded with the figures it may explain."""
    from importlib.metadata import version

    return version(package)


def ratio_goal(seconds: float, libreoffice: float, ratio: float, what: str) -> dict[str, Any]:
    """A goal set as a ratio to LibreOffice's time on the same content, MET or not."""
    return {
        "goal": f"{what} in at most {ratio} x LibreOffice's time",
        "seconds": round(seconds, 2),
        "libreoffice_seconds": round(libreoffice, 2),
        "ratio": round(seconds / libreoffice, 2),
        "met": seconds <= ratio * libreoffice,
    }


def cpu_seconds() -> float:
    """CPU time of this process, of its children that have ended (workers, soffice) and of the
    fork server's workers read so far (reading_workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _Workers.cpu_seconds
    )


def sample_figures(values: list[tuple[float, float]]) -> dict[str, list[float]]:
    """(seconds, CPU seconds) pairs as two rounded lists, every run kept in the report."""
    return {
        "seconds": [round(s, 2) for s, _ in values],
        "cpu_seconds": [round(c, 2) for _, c in values],
    }
