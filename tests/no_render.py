"""A guard for the tests of "no request renders a PDF" (issue 16): inside `no_render()` every
way to lay out a document raises, so a view that would render fails the test at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock


class RenderInRequest(AssertionError):
    """A PDF was laid out where none may be."""


def _refuse(*args: object, **kwargs: object) -> None:
    raise RenderInRequest("a PDF was rendered")


@contextmanager
def no_render() -> Iterator[None]:
    """Every entry to WeasyPrint's layout raises (in this process and in forked workers)."""
    with (
        mock.patch("reports.documents.render.layout_html", _refuse),
        mock.patch("reports.documents.workers.layout_html", _refuse),
        mock.patch("reports.documents.workers.render_part", _refuse),
        mock.patch("reports.documents.parts.render_part", _refuse),
        mock.patch("reports.documents.annual_report.render_pdf", _refuse),
    ):
        yield
