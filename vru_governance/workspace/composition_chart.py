"""The roster's chart of the composition ahead: the geometry of a server-drawn SVG step chart
(templates/workspace/members/_composition_ahead.html draws it; no JavaScript)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from members.forecast import Forecast

WIDTH = 720
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Band:
    """A stretch of the chart below the minimum, shaded."""

    x: float
    width: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: float
    plot_height: int
    path: str
    minimum_y: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    below: list[Band]


def _round(value: float) -> float:
    return round(value, 1)


def chart(ahead: Forecast) -> Chart:
    """Where the line, the minimum, the shaded shortfall and the axis labels go."""
    days = (ahead.end - ahead.start).days + 1

    def x(on: dt.date) -> float:
        return _round(LEFT + (on - ahead.start).days / days * PLOT_W)

    def y(share: float) -> float:
        return _round(TOP + (1 - share) * PLOT_H)

    one_day = dt.timedelta(days=1)
    parts: list[str] = []
    below: list[Band] = []
    for step in ahead.steps:
        level = y(float(step.composition.share))
        start, end = x(step.start), x(step.end + one_day)
        parts.append(f"{'M' if not parts else 'L'} {start} {level} H {end}")
        if not step.composition.meets_minimum:
            below.append(Band(start, _round(end - start)))
    x_ticks = []
    month = dt.date(ahead.start.year, ahead.start.month, 1)
    while month <= ahead.end:
        if month >= ahead.start:
            label = f"{month:%b}" if month.month != 1 else f"{month:%b %Y}"
            x_ticks.append(Tick(x(month), label))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    y_ticks = [Tick(y(p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        bottom=TOP + PLOT_H,
        right=LEFT + PLOT_W,
        plot_height=PLOT_H,
        path=" ".join(parts),
        minimum_y=y(float(ahead.minimum)),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        below=below,
    )
