"""Hostile input: script, HTML, Markdown-link and template-syntax payloads typed into every text
field (through the workspace's and the partners' forms, and through the importer) come out of
the HTML pages, the PDFs, the feeds and the JSON API only escaped or sanitised."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.http import HttpResponse
from django.test import Client, TestCase
from django.utils.html import escape
from icalendar import Calendar

from actions.models import Action, ActionUpdate
from meetings.models import Declaration, Dissent, Meeting
from members.models import Appointment, Interest
from reports.models import Paper, StoredDocument
from tests.jobs import run_jobs
from tests.pdfs import read_pdf
from tests.security.hostile.payloads import (
    HOSTILE,
    MARKDOWN_FORMS,
    MARKDOWN_IMPORTED,
    PAYLOADS,
    PLAIN_FORMS,
    PLAIN_IMPORTED,
    TEMPLATE,
    assert_inert,
    assert_shown,
    assert_shown_escaped,
    hostile,
    own_svg,
    pdf_problems,
)
from tests.security.hostile.pdfs import document_javascript, pdf_with
from tests.security.hostile.world import HostileWorld, page_of


def test_the_checks_flag_each_payload_left_unescaped() -> None:
    """The checks (tests/security/hostile/payloads.py) can fail: raw payloads and a PDF with script
    are caught."""
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[4], '<a href=" javascript:alert(1)">x</a>'):
        with pytest.raises(AssertionError):
            assert_inert(f"<p>{payload}</p>", "raw")
    assert_inert(f"<p>{escape(HOSTILE)}</p>", "escaped")
    with pytest.raises(AssertionError):
        assert_shown_escaped(f"<p>{HOSTILE}</p>", "raw", {"x": ""})
    assert pdf_problems(pdf_with(document_javascript)) == ["JavaScript"]
    assert pdf_problems(pdf_with()) == []


PUBLIC_PAGES = [
    "/",
    "/prg/",
    "/prg/meetings/",
    "/prg/meetings/2019-03-06/",
    "/prg/meetings/2019-03-06/minutes/",
    "/prg/meetings/2019-05-01/",
    "/prg/meetings/2019-05-01/minutes/",
    "/prg/meetings/2019-06-12/",
    "/prg/members/",
    "/prg/members/sadiq-khan/",
    "/prg/terms/",
    "/search/?q=HXITEMTITLE",
    "/search/?q=HXMINUTE",
    "/search/?q=HXPAPERTITLE",
    "/search/?q=HXFORMITEM",
    "/search/?q=HXFORMMINUTE",
    "/search/?q=HXFORMSUMMARY",
    "/search/?q=HXPAPERSUMMARY",
    "/search/?q=HXPAPEREQUALITY",
    "/search/?q=HXFORMEQUALITY",
]


def assert_api_answer_is_inert(response: HttpResponse, url: str, payload: str) -> None:
    """The API refuses a malformed parameter with a 400 problem (issue 14), never a 500, and
    never hands back the payload's markup unescaped."""
    where = (url, payload, response.status_code)
    assert response.status_code in (200, 400, 404), where
    body = response.content.decode()
    assert not [p for p in PAYLOADS if "<" in p and p in body], where
    data = json.loads(body)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/json", where
    else:
        assert response["Content-Type"] == "application/problem+json", where
        assert data["status"] == response.status_code and data["detail"], where


class HostileOutputTests(HostileWorld, TestCase):
    """Everything typed above comes out inert, wherever it is shown."""

    def form_paper(self) -> Paper:
        return Paper.objects.get(title=hostile(PLAIN_FORMS["paper_title"]))

    def pages(self, client: Client, urls: list[str]) -> str:
        texts = []
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            text = page_of(response)
            assert_inert(text, url)
            texts.append(text)
        return "\n".join(texts)

    def test_public_pages_show_every_payload_escaped_or_sanitised(self) -> None:
        urls = [*PUBLIC_PAGES, f"/prg/members/{self.form_person.key}/"]
        text = self.pages(Client(), urls)
        # Action texts are not on the public pages (they are in the PDFs and the API).
        plain = {k: m for k, m in PLAIN_IMPORTED.items() if not k.startswith(("action", "upd"))}
        shown = ("person_name", "person_role", "exception", "place", "item_title", "presenter")
        shown += ("paper_title", "declaration", "attendee", "correction")
        typed = {k: PLAIN_FORMS[k] for k in shown}
        assert_shown_escaped(text, "public pages", plain, typed)
        assert_shown(text, "public pages", MARKDOWN_IMPORTED, MARKDOWN_FORMS)
        assert TEMPLATE in text

    def test_workspace_pages_show_every_payload_escaped_or_sanitised(self) -> None:
        client = Client()
        client.force_login(self.secretary)
        may = Meeting.objects.get(key="2019-05-01")
        action = Action.objects.get(item__meeting=may)
        march_action = Action.objects.get(key="2019-03-06-1-1")
        urls = [
            "/manage/",
            "/manage/prg/",
            "/manage/prg/members/",
            "/manage/prg/people/",
            "/manage/prg/people/sadiq-khan/",
            f"/manage/prg/people/{self.form_person.key}/",
            "/manage/prg/people/jake-ferguson/",
            "/manage/prg/forward-plan/",
            "/manage/prg/terms/2019-interim/",
            "/manage/prg/actions/",
            "/manage/actions/",
            f"/manage/prg/actions/2019-05-01/{action.key}/",
            f"/manage/prg/actions/2019-03-06/{march_action.key}/",
        ]
        for key in ("2019-03-06", "2019-05-01", "2019-06-12"):
            base = f"/manage/prg/meetings/{key}/"
            urls += [f"{base}{p}" for p in ("agenda/", "publish/", "attendance/", "minutes/")]
            urls += [f"{base}minutes/preview/", f"{base}history/"]
        urls += [
            "/manage/prg/meetings/2019-03-06/agenda/items/4/",
            "/manage/prg/meetings/2019-03-06/agenda/items/4/papers/hostile-paper/",
            "/manage/prg/meetings/2019-03-06/minutes/items/4/",
            "/manage/prg/meetings/2019-03-06/minutes/items/5/",
            "/manage/prg/meetings/2019-05-01/minutes/items/5/",
            "/manage/prg/meetings/2019-06-12/agenda/items/5/",
            f"/manage/prg/meetings/2019-06-12/agenda/items/5/papers/{self.form_paper().key}/",
        ]
        text = self.pages(client, urls)
        # The roster's own chart is drawn from dates and numbers only: no typed text, escaped
        # or not, reaches its labels or titles.
        chart = own_svg(page_of(client.get("/manage/prg/members/")))
        assert "<title" in chart and "minimum" in chart
        assert not [m for m in (*PLAIN_IMPORTED.values(), *PLAIN_FORMS.values()) if m in chart]
        assert not [p for p in PAYLOADS if p in chart or escape(p) in chart]
        assert_shown_escaped(text, "workspace pages", PLAIN_IMPORTED, PLAIN_FORMS)
        assert_shown(text, "workspace pages", MARKDOWN_IMPORTED, MARKDOWN_FORMS)
        assert TEMPLATE in text

    def test_partner_pages_show_every_payload_escaped_or_sanitised(self) -> None:
        client = Client()
        client.force_login(self.partner)
        interest = Interest.objects.get(description=hostile(PLAIN_FORMS["partner_interest"]))
        urls = [
            "/partners/",
            f"/partners/interests/{interest.pk}/",
            "/prg/meetings/2019-05-01/",
            "/prg/meetings/2019-06-12/",
            "/prg/members/sadiq-khan/",
        ]
        text = self.pages(client, urls)
        wanted = ("partner_update", "partner_interest", "action", "item_title", "place")
        assert_shown_escaped(text, "partner pages", {k: PLAIN_FORMS[k] for k in wanted})

    def test_every_workflow_went_through_with_the_payloads(self) -> None:
        assert Meeting.objects.get(key="2019-05-01").status == "minutes_published"
        assert Meeting.objects.get(key="2019-06-12").status == "agenda_published"
        assert Appointment.objects.filter(person=self.form_person).exists()
        assert ActionUpdate.objects.filter(note=hostile(PLAIN_FORMS["partner_update"])).exists()
        assert Declaration.objects.filter(interest=hostile(PLAIN_FORMS["declaration"])).exists()
        assert Dissent.objects.filter(text=hostile(MARKDOWN_FORMS["dissent"])).exists()
        stored = StoredDocument.objects.filter(meeting__key__in=["2019-05-01", "2019-06-12"])
        assert {"minutes", "agenda", "pack"} <= set(stored.values_list("kind", flat=True))

    def test_the_atom_feed_escapes_its_html_summaries(self) -> None:
        response = Client().get("/prg/feed.atom")
        assert response.status_code == 200
        atom = "{http://www.w3.org/2005/Atom}"
        root = ET.fromstring(response.content)  # well-formed: nothing typed broke the XML
        summaries = []
        for entry in root.iter(f"{atom}entry"):
            for element in entry:
                if element.get("type") == "html":
                    # A feed reader renders this as HTML: it must be inert HTML.
                    assert_inert(element.text or "", f"feed {element.tag}")
                    summaries.append(element.text or "")
        html = "\n".join(summaries)
        plain = ("place", "paper_title")
        assert_shown_escaped(html, "feed", {k: PLAIN_IMPORTED[k] for k in plain})
        assert_shown_escaped(html, "feed", {k: PLAIN_FORMS[k] for k in plain})
        titles = [e.text or "" for e in root.iter(f"{atom}title")]
        assert hostile(PLAIN_IMPORTED["paper_title"]) in "\n".join(titles)  # as text, not HTML

    def test_the_calendar_keeps_a_place_with_line_breaks_in_one_property(self) -> None:
        response = Client().get("/prg/meetings.ics")
        assert response.status_code == 200
        raw = response.content.decode()
        assert not re.search(r"^(X-INJECTED|ATTACH)", raw, re.MULTILINE)
        calendar = Calendar.from_ical(response.content)
        places = {str(event.get("LOCATION")) for event in calendar.walk("VEVENT")}
        for key in ("2019-03-06", "2019-06-12"):
            # The whole place, line breaks and all, is the value of one LOCATION property.
            assert Meeting.objects.get(key=key).place.replace("\r\n", "\n") in places
        for component in calendar.walk():
            assert "X-INJECTED" not in component and "ATTACH" not in component

    def test_the_api_returns_what_was_typed_as_json_strings(self) -> None:
        client = Client()
        strings: list[str] = []
        for url in (
            "/api/bodies/prg/",
            "/api/bodies/prg/meetings/",
            "/api/bodies/prg/meetings/2019-03-06/",
            "/api/bodies/prg/meetings/2019-05-01/",
            "/api/bodies/prg/meetings/2019-06-12/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("application/json")
            assert response["X-Content-Type-Options"] == "nosniff"
            strings += list(json_strings(response.json()))
        typed = {
            hostile(mark)
            for group in (PLAIN_IMPORTED, MARKDOWN_IMPORTED, PLAIN_FORMS, MARKDOWN_FORMS)
            for mark in group.values()
        }
        # Whatever the API renders itself (not a typed value) is inert.
        for value in strings:
            if "<" in value and not any(value.startswith(t) for t in typed):
                assert_inert(value, f"API string {value[:80]!r}")
        wanted = {k: PLAIN_IMPORTED[k] for k in ("person_name", "place", "item_title", "action")}
        wanted.update(minute=MARKDOWN_IMPORTED["minute"], form=MARKDOWN_FORMS["corrected"])
        missing = [m for m in wanted.values() if not any(s.startswith(hostile(m)) for s in strings)]
        assert not missing, f"not in the API as typed: {missing}"

    def test_the_pdfs_print_payloads_as_text_and_carry_no_script(self) -> None:
        client = Client()
        client.force_login(self.secretary)
        base = "/prg/meetings/"
        urls = [
            f"{base}2019-03-06/agenda.pdf",
            f"{base}2019-03-06/minutes.pdf",
            f"{base}2019-03-06/papers/hostile-paper.pdf",
            f"{base}2019-05-01/actions-arising.pdf",
            f"{base}2019-05-01/minutes.pdf",
            f"{base}2019-06-12/pack.pdf",
            f"{base}2019-06-12/partners-pack.pdf",
        ]
        texts = []
        for url in urls:
            with run_jobs():  # a published document never frozen is frozen by a job
                response = client.get(url)
            if response.status_code == 202:
                response = client.get(url)
            assert response.status_code == 200, url
            data = b"".join(response.streaming_content)
            assert not pdf_problems(data), f"{url}: {pdf_problems(data)}"
            texts.append(read_pdf(data).all_text())
        # Line breaks fall anywhere (even inside "](", where the text extractor adds a space).
        text = re.sub(r"\s+", "", "".join(texts))
        # Status updates are not printed (their latest note is, as the action's status).
        # Nor are the terms of reference (they have pages of their own).
        skip = ("update", "terms_title", "seat_label")
        plain = [m for k, m in PLAIN_IMPORTED.items() if k not in skip]
        printed = ("person_name", "place", "item_title", "paper_title", "attendee", "correction")
        plain += [PLAIN_FORMS[k] for k in printed]
        missing = [mark for mark in plain if re.sub(r"\s+", "", hostile(mark)) not in text]
        assert not missing, f"not printed as typed: {missing}"
        # The May paragraph was corrected after publication: its corrected text is printed.
        markdown = [m for k, m in MARKDOWN_IMPORTED.items() if k != "terms_text"]
        markdown += [m for k, m in MARKDOWN_FORMS.items() if k != "minute"]
        assert not [mark for mark in markdown if mark not in text]

    def test_payloads_in_query_strings_come_back_escaped_and_never_fail(self) -> None:
        secretary = Client()
        secretary.force_login(self.secretary)
        for payload in (*PAYLOADS, HOSTILE, "a\x00b", "²", "9" * 5000, "\ue000x\ue001"):
            for client, url, params in (
                (Client(), "/search/", {"q": payload, "year": payload, "body": payload}),
                (Client(), "/prg/meetings/", {"year": payload, "page": payload}),
                (Client(), "/api/bodies/prg/meetings/", {"year": payload, "page": payload}),
                (secretary, "/manage/prg/members/", {"on": payload}),
                (secretary, "/manage/prg/actions/", {"owner": payload, "sort": payload}),
                (secretary, "/manage/prg/actions/2019-03-06/2019-03-06-1-1/", {"next": payload}),
            ):
                response = client.get(url, params)
                if url.startswith("/api/"):
                    assert_api_answer_is_inert(response, url, payload)
                    continue
                assert response.status_code in (200, 404), (url, payload, response.status_code)
                if response["Content-Type"].startswith("text/html"):
                    assert_inert(page_of(response), f"{url} {payload!r}")
        page = page_of(Client().get("/search/", {"q": HOSTILE}))
        assert escape(HOSTILE) in page  # the query is shown back, escaped

    def test_an_id_no_database_column_can_hold_is_an_invalid_choice(self) -> None:
        client = Client()
        client.force_login(self.secretary)
        huge = "9" * 25
        for url, data in (
            ("/manage/prg/meetings/", {"date": "2019-07-24", "start_time": "14:00"}),
            ("/manage/prg/meetings/2019-05-01/minutes/items/5/declarations/", {}),
            ("/manage/prg/forward-plan/", {"title": "Plan"}),
            ("/manage/prg/members/appoint/", {"seat_key": "community", "start": "2019-02-01"}),
        ):
            fields = ("planned", "decl-person", "proposed_by", "target_meeting", "person")
            response = client.post(url, {**data, **{name: huge for name in fields}})
            assert response.status_code == 200, url
            assert "Select a valid choice" in page_of(response) or "is not a valid value" in (
                page_of(response)
            ), url
        assert not Meeting.objects.filter(key="2019-07-24").exists()

    def test_an_item_number_in_the_url_is_any_text_and_never_fails(self) -> None:
        client = Client()
        client.force_login(self.secretary)
        for number in ("%00", "a%00b", "%3Cscript%3E", "9" * 500, "%E2%80%AE"):
            for part in ("agenda", "minutes"):
                url = f"/manage/prg/meetings/2019-05-01/{part}/items/{number}/"
                assert client.get(url).status_code == 404, url
                assert client.post(url, {"title": HOSTILE}).status_code == 404, url


def json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []
