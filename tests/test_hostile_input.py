"""Hostile input: script, HTML, Markdown-link and template-syntax payloads typed into every text
field (through the workspace's and the partners' forms, and through the importer) come out of
the HTML pages, the PDFs, the feeds and the JSON API only escaped or sanitised; hostile
uploads and malformed import files are refused with a clear message, changing nothing."""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase, override_settings
from django.utils.html import escape
from icalendar import Calendar
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from actions.models import Action, ActionUpdate
from meetings.models import Declaration, Dissent, Meeting, MinuteParagraph
from members.accounts import ensure_groups
from members.models import Appointment, Body, Interest, Person
from members.records.importer import import_records
from reports.models import Paper, StoredDocument
from tests.conftest import DEMO_FILE
from tests.demo import demo_document
from tests.pdfs import TemporaryMedia, read_pdf

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ secret }}{% debug %}",
    '"><svg onload=alert(1)>',
)
HOSTILE = " ".join(PAYLOADS)
# Template syntax that must come out as typed, never evaluated.
TEMPLATE = "{{ secret }}{% debug %}"


def hostile(mark: str) -> str:
    """A field's value: a marker that says which field it is, then every payload."""
    return f"{mark} {HOSTILE}"


# Fields typed as plain text: they must come out with the whole payload escaped.
PLAIN_IMPORTED = {
    "person_name": "HXPERSONNAME",
    "person_role": "HXPERSONROLE",
    "place": "HXPLACE",
    "item_title": "HXITEMTITLE",
    "presenter": "HXPRESENTER",
    "action": "HXACTIONTEXT",
    "action_note": "HXACTIONNOTE",
    "update": "HXUPDATENOTE",
    "declaration": "HXDECLARATION",
    "paper_title": "HXPAPERTITLE",
    "paper_author": "HXPAPERAUTHOR",
    "terms_title": "HXTERMSTITLE",
    "seat_label": "HXSEATLABEL",
}
# Fields typed as Markdown: they come out sanitised (no script, no javascript: link).
MARKDOWN_IMPORTED = {
    "minute": "HXMINUTE",
    "dissent": "HXDISSENT",
    "paper_summary": "HXPAPERSUMMARY",
    "paper_equality": "HXPAPEREQUALITY",
    "terms_text": "HXTERMSTEXT",
}
PLAIN_FORMS = {
    "person_name": "HXFORMPERSON",
    "person_role": "HXFORMROLE",
    "interest": "HXFORMINTEREST",
    "exception": "HXFORMEXCEPTION",
    "place": "HXFORMPLACE",
    "item_title": "HXFORMITEM",
    "presenter": "HXFORMPRESENTER",
    "paper_title": "HXFORMPAPER",
    "reason": "HXFORMREASON",
    "action": "HXFORMACTION",
    "update": "HXFORMUPDATE",
    "declaration": "HXFORMDECL",
    "partner_update": "HXPARTNERUPDATE",
    "partner_interest": "HXPARTNERINTEREST",
    "proposal": "HXPARTNERPROPOSAL",
    "attendee": "HXFORMATTENDEE",
    "correction": "HXFORMCORRECTION",
}
MARKDOWN_FORMS = {
    "minute": "HXFORMMINUTE",
    "dissent": "HXFORMDISSENT",
    "paper_summary": "HXFORMSUMMARY",
    "paper_equality": "HXFORMEQUALITY",
    "corrected": "HXFORMCORRECTED",
}
# A line break in the place must not become a new property of the calendar.
ICAL_INJECTION = "\r\nX-INJECTED:yes\r\nATTACH:http://evil.example/"


# Checking output ---------------------------------------------------------------------------


class _Scan(HTMLParser):
    """Every element and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "svg", "iframe", "object", "embed", "math", "base"):
            self.problems.append(f"a live <{tag}> element")
        if tag == "img" and not any(
            k == "src" and (v or "").startswith(("/static/", "data:")) for k, v in attrs
        ):
            self.problems.append(f"an <img> loading {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler attribute {name}={value!r} on <{tag}>")
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value or "").lower()
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") and (
                squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))
            ):
                self.problems.append(f"a script URL {name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def assert_inert(html: str, where: str) -> None:
    """No element, attribute or URL of the page can run script."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    assert not scan.problems, f"{where}: {scan.problems}"
    # Template syntax typed into a field is never evaluated (a debug dump would show this).
    assert "sql_queries" not in html and "{'csrf_token'" not in html, where


def assert_shown_escaped(text: str, where: str, *marks: dict[str, str]) -> None:
    """Each plain-text field's whole value is on the page, escaped."""
    wanted = [mark for group in marks for mark in group.values()]
    missing = [mark for mark in wanted if escape(hostile(mark)) not in text]
    assert not missing, f"{where}: not shown escaped: {missing}"


def assert_shown(text: str, where: str, *marks: dict[str, str]) -> None:
    """Each Markdown field is on the page (its marker; the payloads are sanitised away)."""
    missing = [mark for group in marks for mark in group.values() if mark not in text]
    assert not missing, f"{where}: missing: {missing}"


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_problems(data: bytes) -> list[str]:
    """Anything in a rendered PDF that could run or fetch: script, launch, a javascript: link."""
    from reports.pdf_safety import active_content

    found = list(active_content(data))
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            uri = str(action.get_object().get("/URI", "")) if action else ""
            if uri and not uri.startswith(("http://", "https://", "mailto:")):
                found.append(f"a link to {uri!r}")
    return found


def test_the_checks_flag_each_payload_left_unescaped() -> None:
    """The checks above can fail: raw payloads and a PDF with script are caught."""
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[4], '<a href=" javascript:alert(1)">x</a>'):
        with pytest.raises(AssertionError):
            assert_inert(f"<p>{payload}</p>", "raw")
    assert_inert(f"<p>{escape(HOSTILE)}</p>", "escaped")
    with pytest.raises(AssertionError):
        assert_shown_escaped(f"<p>{HOSTILE}</p>", "raw", {"x": ""})
    assert pdf_problems(pdf_with(_document_javascript)) == ["JavaScript"]
    assert pdf_problems(pdf_with()) == []


# The world ---------------------------------------------------------------------------------


def hostile_records() -> dict:
    """The demo records with a payload in every text field of the March meeting."""
    doc = demo_document()
    body = doc["bodies"][0]
    sadiq = next(p for p in body["people"] if p["key"] == "sadiq-khan")
    sadiq["name"] = hostile(PLAIN_IMPORTED["person_name"])
    sadiq["role"] = hostile(PLAIN_IMPORTED["person_role"])
    terms = next(t for t in body["terms_of_reference"] if t["status"] == "endorsed")
    terms["title"] = hostile(PLAIN_IMPORTED["terms_title"])
    terms["text"] = hostile(MARKDOWN_IMPORTED["terms_text"])
    terms["seats"][0]["label"] = hostile(PLAIN_IMPORTED["seat_label"])
    march = next(m for m in body["meetings"] if m["key"] == "2019-03-06")
    march["place"] = hostile(PLAIN_IMPORTED["place"]) + ICAL_INJECTION
    item4 = next(i for i in march["items"] if i["number"] == "4")
    item4["title"] = hostile(PLAIN_IMPORTED["item_title"])
    item4["presenter"] = hostile(PLAIN_IMPORTED["presenter"])
    item4["minutes"][0] = hostile(MARKDOWN_IMPORTED["minute"])
    item4["papers"] = [
        {
            "key": "hostile-paper",
            "title": hostile(PLAIN_IMPORTED["paper_title"]),
            "author": hostile(PLAIN_IMPORTED["paper_author"]),
            "classification": "public",
            "final": True,
            "sections": {
                "executive_summary": hostile(MARKDOWN_IMPORTED["paper_summary"]),
                "equality_comments": hostile(MARKDOWN_IMPORTED["paper_equality"]),
            },
        }
    ]
    item5 = next(i for i in march["items"] if i["number"] == "5")
    item5["declarations"] = [
        {"person": "jake-ferguson", "interest": hostile(PLAIN_IMPORTED["declaration"])}
    ]
    item5["dissent"] = [{"person": "jake-ferguson", "text": hostile(MARKDOWN_IMPORTED["dissent"])}]
    action = next(i for i in march["items"] if i["number"] == "1")["actions"][0]
    action["description"] = hostile(PLAIN_IMPORTED["action"])
    action["status_note"] = hostile(PLAIN_IMPORTED["action_note"])
    action["updates"] = [
        {"date": "2019-03-20", "status": "open", "note": hostile(PLAIN_IMPORTED["update"])}
    ]
    return doc


def expect(client: Client, method: str, url: str, data: dict | None = None, code: int = 302):
    response = getattr(client, method)(url, data or {})
    if response.status_code != code:
        raise AssertionError(f"{method} {url}: {response.status_code}\n{page_of(response)[:4000]}")
    return response


def page_of(response) -> str:  # noqa: ANN001 — a test client response
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def paragraphs(*texts: str) -> dict[str, str]:
    data = {"p-TOTAL_FORMS": str(len(texts)), "p-INITIAL_FORMS": "0"}
    data.update({f"p-{i}-text": text for i, text in enumerate(texts)})
    return data


class HostileWorld(TemporaryMedia):
    """Mixin (before TestCase): payloads typed everywhere, then the records published."""

    secretary: User
    partner: User
    form_person: Person

    @classmethod
    def setUpTestData(cls) -> None:
        import_records(hostile_records(), base_dir=DEMO_FILE.parent)
        secretariat, partners = ensure_groups()
        body = Body.objects.get(slug="prg")
        cls.secretary = User.objects.create_user("secretary")
        cls.secretary.groups.add(secretariat)
        body.secretaries.add(cls.secretary)
        cls.partner = User.objects.create_user("partner")
        cls.partner.groups.add(partners)
        Person.objects.filter(key="jake-ferguson").update(user=cls.partner)
        secretary = Client()
        secretary.force_login(cls.secretary)
        partner = Client()
        partner.force_login(cls.partner)
        cls.type_in_the_workspace(secretary, partner)

    @classmethod
    def type_in_the_workspace(cls, secretary: Client, partner: Client) -> None:
        forms, md = PLAIN_FORMS, MARKDOWN_FORMS
        # A person, their interest and an appointment.
        expect(
            secretary,
            "post",
            "/manage/prg/people/new/",
            {"name": hostile(forms["person_name"]), "role": hostile(forms["person_role"])},
        )
        cls.form_person = Person.objects.get(name=hostile(forms["person_name"]))
        person_url = f"/manage/prg/people/{cls.form_person.key}/"
        expect(
            secretary,
            "post",
            f"{person_url}interests/",
            {
                "category": "other",
                "description": hostile(forms["interest"]),
                "registered_on": "2019-02-01",
            },
        )
        expect(
            secretary,
            "post",
            "/manage/prg/members/appoint/",
            {
                "person": cls.form_person.pk,
                "seat_key": "community",
                "start": "2019-02-01",
                "exception": hostile(forms["exception"]),
            },
        )
        # The June agenda: place, an item, an authored paper; then published.
        june = "/manage/prg/meetings/2019-06-12/"
        meeting = Meeting.objects.get(key="2019-06-12")
        expect(
            secretary,
            "post",
            f"{june}agenda/",
            {
                "details": "1",
                "date": "2019-06-12",
                "start_time": "14:00",
                "place": hostile(forms["place"]) + ICAL_INJECTION,
                "version": meeting.version,
            },
        )
        meeting.refresh_from_db()
        expect(
            secretary,
            "post",
            f"{june}agenda/",
            {
                "add": "1",
                "add-title": hostile(forms["item_title"]),
                "add-presenter": hostile(forms["presenter"]),
                "add-kind": "business",
                "add-version": meeting.version,
            },
        )
        expect(
            secretary,
            "post",
            f"{june}agenda/items/5/papers/new/",
            {
                "title": hostile(forms["paper_title"]),
                "classification": "public",
                "final": "on",
                "executive_summary": hostile(md["paper_summary"]),
                "equality_comments": hostile(md["paper_equality"]),
            },
        )
        publish = expect(secretary, "get", f"{june}publish/", code=200)
        reasons = {name: hostile(forms["reason"]) for name in publish.context["form"].fields}
        expect(secretary, "post", f"{june}publish/", reasons)
        # The May minutes: a paragraph with an action, a declaration, a dissent, an update.
        may = "/manage/prg/meetings/2019-05-01/minutes/"
        item = Meeting.objects.get(key="2019-05-01").items.get(number="5")
        expect(
            secretary,
            "post",
            f"{may}items/5/",
            {
                "outcome": "noted",
                "version": item.version,
                **paragraphs(hostile(md["minute"]) + "\nAction: Jake Ferguson"),
            },
        )
        jake = Person.objects.get(key="jake-ferguson")
        expect(
            secretary,
            "post",
            f"{may}items/5/declarations/",
            {"decl-person": jake.pk, "decl-interest": hostile(forms["declaration"])},
        )
        expect(
            secretary,
            "post",
            f"{may}items/5/dissent/",
            {"dissent-person": jake.pk, "dissent-text": hostile(md["dissent"])},
        )
        action = Action.objects.get(item=item)
        action_url = f"/manage/prg/actions/2019-05-01/{action.key}/"
        expect(
            secretary,
            "post",
            action_url,
            {
                "description": hostile(forms["action"]),
                "deadline": "2019-06-11",
                "owners": "Jake Ferguson",
                "confirm": "1",
            },
        )
        expect(
            secretary,
            "post",
            action_url,
            {"update": "1", "status": "open", "note": hostile(forms["update"])},
        )
        expect(
            secretary,
            "post",
            "/manage/prg/meetings/2019-05-01/attendance/add/",
            {
                "attendee-capacity": "in_attendance",
                "attendee-new_person_name": hostile(forms["attendee"]),
                "attendee-new_person_role": hostile(forms["attendee"]),
            },
        )
        expect(secretary, "post", f"{may}circulate/")
        # The partner: an update on their action, an interest, a proposal.
        expect(
            partner,
            "post",
            f"/partners/prg/actions/2019-05-01/{action.key}/",
            {
                f"action-{action.pk}-status": "open",
                f"action-{action.pk}-note": hostile(forms["partner_update"]),
            },
        )
        expect(
            partner,
            "post",
            "/partners/interests/",
            {
                "interest-category": "other",
                "interest-description": hostile(forms["partner_interest"]),
                "interest-registered_on": "2019-02-01",
            },
        )
        body = Body.objects.get(slug="prg")
        expect(
            partner,
            "post",
            "/partners/prg/propose/",
            {
                f"propose-{body.pk}-title": hostile(forms["proposal"]),
                f"propose-{body.pk}-presenter": hostile(forms["proposal"]),
                f"propose-{body.pk}-notes": hostile(forms["proposal"]),
            },
        )
        expect(secretary, "post", f"{may}approve/", {"by_chair": "on"})
        expect(secretary, "post", f"{may}publish/")
        paragraph = MinuteParagraph.objects.get(item=item)
        expect(
            secretary,
            "post",
            f"{may}paragraphs/{paragraph.pk}/correct/",
            {
                "text": hostile(md["corrected"]),
                "reason": hostile(forms["correction"]),
                "version": paragraph.version,
            },
        )


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


# Uploads -----------------------------------------------------------------------------------


def pdf_with(change: object = None) -> bytes:
    """A one-page PDF; change(writer) adds something hostile before it is written."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(text: str) -> NameObject:
    return NameObject(text)


def _open_action_javascript(writer: pypdf.PdfWriter) -> None:
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")}
    )


def _document_javascript(writer: pypdf.PdfWriter) -> None:
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert(1)"))


def _launch(writer: pypdf.PdfWriter) -> None:
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("calc.exe")}
    )


def _embedded_file(writer: pypdf.PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")


def _link_annotation_with_script(writer: pypdf.PdfWriter) -> None:
    action = DictionaryObject(
        {_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")}
    )
    link = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([pypdf.generic.FloatObject(v) for v in (0, 0, 99, 99)]),
            _name("/A"): writer._add_object(action),
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(link)])


def _javascript_uri(writer: pypdf.PdfWriter) -> None:
    action = DictionaryObject(
        {_name("/S"): _name("/URI"), _name("/URI"): TextStringObject("javascript:alert(1)")}
    )
    writer._root_object[_name("/OpenAction")] = action


HOSTILE_PDFS = {
    "an open action running JavaScript": (_open_action_javascript, "JavaScript"),
    "document-level JavaScript": (_document_javascript, "JavaScript"),
    "a launch action": (_launch, "launches a program"),
    "an embedded file": (_embedded_file, "an embedded file"),
    "a link annotation running JavaScript": (_link_annotation_with_script, "JavaScript"),
    "a javascript: URI": (_javascript_uri, "javascript: link"),
}


@override_settings(PAPER_UPLOAD_MAX_BYTES=50_000)
class HostileUploadTests(TemporaryMedia, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        secretariat, _ = ensure_groups()
        cls.secretary = User.objects.create_user("secretary")
        cls.secretary.groups.add(secretariat)
        Body.objects.get(slug="prg").secretaries.add(cls.secretary)

    def setUp(self) -> None:
        self.client.force_login(self.secretary)
        self.url = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/new/?as=upload"

    def upload(self, name: str, content: bytes) -> str:
        response = self.client.post(
            self.url,
            {
                "title": "Violence in Numbers",
                "classification": "public",
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
            },
        )
        return "" if response.status_code == 302 else page_of(response)

    def refused(self, name: str, content: bytes) -> str:
        page = self.upload(name, content)
        assert page, f"{name} was accepted"
        assert not Paper.objects.filter(key="violence-in-numbers").exists()
        return page

    def test_a_plain_pdf_is_accepted(self) -> None:
        content = pdf_with()
        assert self.upload("paper.pdf", content) == ""
        assert Paper.objects.get(key="violence-in-numbers").file.read() == content

    def test_content_that_is_not_a_pdf_is_refused_whatever_its_name(self) -> None:
        for content in (b"<html><script>alert(1)</script></html>", b"MZ\x90\x00", b""):
            page = self.refused("paper.pdf", content)
            assert "The file is not a PDF" in page or "The submitted file is empty" in page

    def test_a_pdf_with_active_content_is_refused_saying_what_it_carries(self) -> None:
        for what, (change, message) in HOSTILE_PDFS.items():
            page = self.refused("paper.pdf", pdf_with(change))
            assert "The PDF contains" in page and message in page, what
            assert "Save or print it again as a plain PDF" in page, what

    def test_a_password_protected_pdf_is_refused(self) -> None:
        def locked(writer: pypdf.PdfWriter) -> None:
            writer.encrypt(user_password="secret", owner_password="owner")

        page = self.refused("paper.pdf", pdf_with(locked))
        assert "protected by a password" in page or "could not be read" in page

    def test_an_oversized_file_is_refused_before_it_is_read(self) -> None:
        page = self.refused("big.pdf", pdf_with() + b"%" * 60_000)
        assert "the largest accepted is" in page

    def test_a_path_in_the_file_name_never_reaches_storage(self) -> None:
        location = Path(default_storage.location).resolve()
        for number, name in enumerate(
            ["../../etc/passwd.pdf", "..\\..\\x.pdf", "/etc/cron.d/x.pdf", "a/../../b.pdf"]
        ):
            title = f"Traversal {number}"
            response = self.client.post(
                self.url,
                {
                    "title": title,
                    "classification": "public",
                    "file_has_equality_comments": "on",
                    "upload": SimpleUploadedFile(name, pdf_with(), "application/pdf"),
                },
            )
            assert response.status_code == 302, name
            paper = Paper.objects.get(title=title)
            assert paper.file.name == f"papers/prg/2019-06-12/traversal-{number}.pdf"
            assert Path(paper.file.path).resolve().is_relative_to(location)
        assert not (location.parent / "etc").exists()

    def test_a_final_pdf_is_judged_as_an_upload_not_as_an_authored_paper(self) -> None:
        data = {"title": "Final paper", "classification": "public", "final": "on"}
        # Without the equality box: refused beside the box, not with a server error.
        page = page_of(
            self.client.post(self.url, {**data, "upload": SimpleUploadedFile("p.pdf", pdf_with())})
        )
        assert "Confirm that the uploaded PDF says how equality issues were considered" in page
        response = self.client.post(
            self.url,
            {
                **data,
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile("p.pdf", pdf_with()),
            },
        )
        assert response.status_code == 302
        assert Paper.objects.get(key="final-paper").final

    def test_an_authored_paper_given_a_pdf_is_refused_beside_the_upload(self) -> None:
        base = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/"
        authored = {"title": "Authored", "classification": "public", "issues": "Text."}
        assert self.client.post(f"{base}new/", authored).status_code == 302
        response = self.client.post(
            f"{base}authored/?as=upload",
            {**authored, "upload": SimpleUploadedFile("p.pdf", pdf_with())},
        )
        assert response.status_code == 200
        assert "either written by section or an uploaded PDF, not both" in page_of(response)
        assert not Paper.objects.get(key="authored").file


# Import files ------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    models = [
        Body,
        Person,
        Appointment,
        Meeting,
        MinuteParagraph,
        Declaration,
        Dissent,
        Action,
        ActionUpdate,
        Paper,
        Interest,
    ]
    return {m.__name__: m.objects.count() for m in models}


class MalformedImportTests(TemporaryMedia, TestCase):
    """A malformed records file is refused whole: status 1, every error said, nothing written."""

    @classmethod
    def setUpTestData(cls) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vru-import-"))
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.before = row_counts()

    def run_command(self, content: bytes, name: str = "records.json") -> str:
        """import_records FILE: what it writes to stderr, and the error it stops with."""
        path = self.folder / name
        path.write_bytes(content)
        err = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("import_records", str(path), stdout=io.StringIO(), stderr=err)
        # manage.py exits with a CommandError's returncode (and prints its message).
        assert refused.value.returncode == 1
        assert row_counts() == self.before, "a refused import must change nothing"
        return f"{err.getvalue()}{refused.value}"

    def refused(self, doc: object) -> str:
        return self.run_command(json.dumps(doc).encode())

    def test_wrong_types_are_each_named_with_their_path(self) -> None:
        doc = demo_document()
        body = doc["bodies"][0]
        body["people"][0]["name"] = 42
        body["meetings"][1]["date"] = "6 March 2019"
        body["terms_of_reference"][0]["seats"][0]["count"] = "three"
        body["meetings"][1]["items"] = {"number": "1"}
        err = self.refused(doc)
        for path in (
            "bodies[0].people[0].name",
            "bodies[0].meetings[1].date",
            "bodies[0].terms_of_reference[0].seats[0].count",
            "bodies[0].meetings[1].items",
        ):
            assert path in err, path
        assert "nothing was imported" in err

    def test_unknown_keys_are_refused(self) -> None:
        doc = demo_document()
        doc["bodies"][0]["colour"] = "blue"
        doc["bodies"][0]["meetings"][0]["items"][0]["script"] = "<script>alert(1)</script>"
        err = self.refused(doc)
        assert "Additional properties are not allowed ('colour' was unexpected)" in err
        assert "('script' was unexpected)" in err

    def test_dangling_references_are_refused(self) -> None:
        doc = demo_document()
        body = doc["bodies"][0]
        body["meetings"][1]["attendance"][0]["person"] = "nobody-at-all"
        body["memberships"][0]["person"] = "ghost"
        body["meetings"][1]["attendance"][1]["to_item"] = "99"
        err = self.refused(doc)
        assert "No person with key 'nobody-at-all' in the file or the database." in err
        assert "No person with key 'ghost'" in err

    def test_records_only_the_database_can_judge_are_refused_too(self) -> None:
        doc = demo_document()
        body = doc["bodies"][0]
        item = body["meetings"][1]["items"][4]
        item["declarations"] = [
            {"person": "jake-ferguson", "interest": "Trustee"},
            {"person": "jake-ferguson", "interest": "Trustee again"},
        ]
        err = self.refused(doc)
        assert "'jake-ferguson' already declared an interest on this item." in err
        doc = demo_document()
        doc["bodies"][0]["terms_of_reference"][0]["meeting_interval_days"] = [42, 28]
        assert "bodies[0].terms_of_reference[0]" in self.refused(doc)
        doc = demo_document()
        row = doc["bodies"][0]["meetings"][1]["attendance"][0]
        row["capacity"] = "substitute"
        row.pop("on_behalf_of", None)
        assert "bodies[0].meetings[1].attendance[0]" in self.refused(doc)

    def test_a_date_that_only_looks_like_one_is_refused(self) -> None:
        doc = demo_document()
        doc["bodies"][0]["meetings"][1]["date"] = "2019-02-30"
        doc["bodies"][0]["memberships"][0]["start"] = "2019-13-01"
        err = self.refused(doc)
        assert "bodies[0].meetings[1].date: '2019-02-30' is not a 'date'" in err
        assert "bodies[0].memberships[0].start" in err

    def test_text_with_a_nul_character_is_refused(self) -> None:
        doc = demo_document()
        doc["bodies"][0]["people"][0]["name"] = "Sadiq\x00Khan"
        err = self.refused(doc)
        assert "bodies[0].people[0].name: The text contains a NUL character" in err

    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self) -> None:
        with override_settings(RECORDS_IMPORT_MAX_BYTES=1000):
            err = self.run_command(b"{" + b" " * 2000)  # not JSON either: never parsed
        assert "larger than the 1,000 bytes accepted (RECORDS_IMPORT_MAX_BYTES)" in err
        assert "not valid JSON" not in err

    def test_files_that_are_not_json_text_are_refused(self) -> None:
        cases = {
            b"{ not json": "not valid JSON at line 1",
            b"\xff\xfe{\x00}\x00": "not UTF-8 text",
            b"[" * 100_000 + b"]" * 100_000: "not usable JSON (nested too deeply)",
            b'{"format": ' + b"9" * 5000 + b"}": "not usable JSON",
            b"[]": "The document must be a JSON object.",
            b'"<script>alert(1)</script>"': "The document must be a JSON object.",
        }
        for content, message in cases.items():
            assert message in self.run_command(content), message

    def test_a_paper_file_with_javascript_beside_the_records_is_refused(self) -> None:
        (self.folder / "paper.pdf").write_bytes(pdf_with(_document_javascript))
        doc = demo_document()
        may = next(m for m in doc["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
        paper = next(p for i in may["items"] for p in i.get("papers", []))
        paper.pop("sections")
        paper["file"] = "paper.pdf"
        paper["file_has_equality_comments"] = True
        err = self.refused(doc)
        assert "'paper.pdf' contains JavaScript; papers must be plain PDFs." in err
