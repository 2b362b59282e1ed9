"""Figures the document benchmarks take: peak memory, CPU time, and goals against LibreOffice."""

from __future__ import annotations

import resource
from typing import Any


def rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory (MiB) of this process, or of its largest child that has ended."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


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
    """CPU time of this process and of its children that have ended (workers, soffice)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def sample_figures(values: list[tuple[float, float]]) -> dict[str, list[float]]:
    """(seconds, CPU seconds) pairs as two rounded lists, every run kept in the report."""
    return {
        "seconds": [round(s, 2) for s, _ in values],
        "cpu_seconds": [round(c, 2) for _, c in values],
    }
