"""The demo records with a payload in every text field, then payloads typed into every
form of the workspace and the partners' pages, and the records published."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from actions.models import Action
from meetings.models import Meeting, MinuteParagraph
from members.models import Body, Person
from tests.demo import DEMO_FILE, demo_document
from tests.jobs import run_jobs
from tests.pdfs import TemporaryMedia
from tests.security.hostile.payloads import (
    ICAL_INJECTION,
    MARKDOWN_FORMS,
    MARKDOWN_IMPORTED,
    PLAIN_FORMS,
    PLAIN_IMPORTED,
    hostile,
)
from tests.world import CastMixin
from vru_governance.records.importer import import_records


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


def page_of(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def grid_as_shown(response: HttpResponse) -> dict[str, str]:
    """The attendance grid's data as the page shows it: every member's and every recorded
    attendee's row unchanged, the blank rows left blank, and the version."""
    context = response.context
    forms = [row["form"] for row in context["rows"]] + context["recorded_others"]
    data = {"version": str(context["grid"]["version"].value())}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or value == "":
                continue
            data[field.html_name] = "on" if value is True else str(value)
    return data


def paragraphs(*texts: str) -> dict[str, str]:
    data = {"p-TOTAL_FORMS": str(len(texts)), "p-INITIAL_FORMS": "0"}
    data.update({f"p-{i}-text": text for i, text in enumerate(texts)})
    return data


class HostileWorld(CastMixin, TemporaryMedia):
    """Mixin (before TestCase): the cast on the hostile records, payloads typed everywhere by
    its secretary and partner, then the records published."""

    form_person: Person

    @classmethod
    def setUpTestData(cls) -> None:
        import_records(hostile_records(), base_dir=DEMO_FILE.parent)
        cls.cast_on_the_records()
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
                # After the last approved minutes (6 March): their membership is locked.
                "start": "2019-03-07",
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
        # Every acknowledgement's reason; published now (no history date).
        fields = publish.context["form"].fields
        reasons = {name: hostile(forms["reason"]) for name in fields if name != "published_on"}
        with run_jobs():  # publishing is a job, run once the request commits
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
                "version": action.version,
            },
        )
        expect(
            secretary,
            "post",
            action_url,
            {
                "update": "1",
                "status": "open",
                "note": hostile(forms["update"]),
                "version": Action.objects.get(pk=action.pk).version,
            },
        )
        # Someone new in attendance, typed on a blank row of the grid (blank on behalf of:
        # in attendance; that field takes only a member's name, so no payload there).
        grid_url = "/manage/prg/meetings/2019-05-01/attendance/"
        grid = grid_as_shown(expect(secretary, "get", grid_url, code=200))
        grid.update({"n0-name": hostile(forms["attendee"]), "n0-role": hostile(forms["attendee"])})
        expect(secretary, "post", grid_url, grid)
        expect(secretary, "post", f"{may}circulate/")
        # The partner: an update on their action, an interest, a proposal.
        expect(
            partner,
            "post",
            f"/partners/prg/actions/2019-05-01/{action.key}/",
            {
                f"action-{action.pk}-status": "open",
                f"action-{action.pk}-note": hostile(forms["partner_update"]),
                f"action-{action.pk}-version": Action.objects.get(pk=action.pk).version,
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
