"""The board's annual report in Debian's Chromium, as a reader finds it: from the meetings of
2019 to the report's page, whose every chart is an SVG picture with its numbers in a table
beside it, then to the same report as a PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_secretary_journeys import load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_finds_the_annual_report_reads_its_charts_and_downloads_its_pdf(
    live_server: LiveServer, page: Page
) -> None:
    load(without_march=False)
    base = live_server.url

    page.goto(f"{base}/prg/meetings/?year=2019")
    page.get_by_role("link", name="The board's annual report for 2019").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual report 2019")
    expect(page.locator("main")).to_contain_text("from its published records only")

    charts = page.locator("figure.annual-chart")
    assert charts.count() >= 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        title = chart.locator("h2").inner_text()
        if chart.locator("svg").count() == 0:
            expect(chart).to_contain_text("Nothing to show for 2019")
            continue
        # The picture is named for screen readers, and its numbers are in the table beside it.
        expect(chart.locator("svg title")).to_contain_text(title)
        expect(chart.locator("table caption")).to_have_text(f"{title} (numbers)")
        assert chart.locator("table tbody tr").count() == chart.locator("svg rect").count() // 2

    with page.expect_download() as download_info:
        # "(PDF)" until its first render is stored, then "(PDF, 52 KB, 9 pages)".
        page.get_by_role("link", name=re.compile(r"^Annual report 2019 \(PDF")).click(
            modifiers=["Alt"]
        )
    path = download_info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF-")
