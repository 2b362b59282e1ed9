"""The tamper matrix: each record a published document shows × each path that writes records.

The world is the demo's 6 March 2019 meeting, agenda and minutes published and frozen (with a
declaration and a dissent), and the 1 May 2019 meeting whose agenda and papers are published.
Every cell attempts one change through one path and ends in one of:
- refused: the answer says to record a correction (or to draft new terms of reference);
- no such path: the URL answers 403/404/405, or the form has no field for the record;
and in each the records are as they were and the public HTML and every public PDF are
byte-identical. A correction (the one way to change them) is in test_published_record_lock.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from actions.models import Action
from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Attendance, Declaration, Dissent, Meeting
from members.models import Appointment, Interest, Person
from reports.models import Paper, StoredDocument
from reports.services import freeze_documents
from tests.lifecycle.tamper import (
    fingerprint,
    form_to,
    form_with,
    item_doc,
    march_doc,
    may_paper,
    membership_doc,
    public_hashes,
    set_item,
    terms_doc,
)
from tests.lifecycle.test_lock_gaps import posted_back
from tests.lifecycle.test_published_record_lock import PUBLIC_URLS, PublishedRecordTests
from tests.lifecycle.test_published_record_lock import content as body_of
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records

Kind = StoredDocument.Kind
MAY = "/prg/meetings/2019-05-01/"
REFUSAL = re.compile(
    r"[Rr]ecord a correction|Draft a new version|correction of those minutes|approved and locked"
    r"|register the new interest|cannot have ended before"
)
NO_PATH = "no such path"
REFUSED = "refused"
# The path takes the change without an error and leaves the locked record as it is.
LEFT_AS_IS = "left as it is"


@dataclass(frozen=True)
class Cell:
    record: str
    path: str
    attempt: Callable[[TamperMatrixTests], str]


class TamperMatrixTests(PublishedRecordTests):
    """Each cell: refused with a message that says to record a correction, or no such path;
    and the records, the public HTML and every public PDF exactly as they were."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = User.objects.create_superuser("root", "root@example.org", "x")
        cls.may = Meeting.objects.get(key="2019-05-01")
        cls.paper = Paper.objects.filter(item__meeting=cls.may).order_by("pk").first()
        with recording_history():
            # An uploaded paper of 1 May, and an interest of the partner's that the 1 May
            # partners' pack prints ("Registered interests of the partners expected").
            cls.upload = Paper(
                item=cls.paper.item,
                key="uploaded-report",
                title="Uploaded report",
                position=9,
                final=True,
                file_has_equality_comments=True,
            )
            cls.upload.file.save("uploaded-report.pdf", ContentFile(pdf(2)), save=False)
            cls.upload.full_clean()
            cls.upload.save()
            cls.interest = Interest.objects.create(
                person=Person.objects.get(user=cls.partner),
                category=Interest.Category.DIRECTORSHIP,
                description="Trustee of the Example Trust.",
                registered_on=dt.date(2019, 1, 1),
            )
        # The demo enters 1 May as history; publishing would have frozen these.
        freeze_documents(cls.may, [Kind.AGENDA, Kind.PACK, Kind.PARTNERS_PACK, Kind.PAPER])
        cls.urls = [
            *PUBLIC_URLS,
            MAY,
            MAY + "agenda.pdf",
            MAY + "pack.pdf",
            f"{MAY}papers/{cls.paper.key}.pdf",
            f"{MAY}papers/{cls.upload.key}.pdf",
        ]
        cls.records = fingerprint()
        cls.hashes = public_hashes(Client(), cls.urls)
        # Counted after the first public reading, which freezes a paper's PDF on first request.
        cls.documents = StoredDocument.objects.count()

    # Helpers the cells use -------------------------------------------------------------------

    def as_user(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def post_form(self, user: User, url: str, alter: dict[str, str], post_to: str = "") -> str:
        """Post back the page's form that has the first altered field, altered: the
        refusal, or NO_PATH when the page or the form has no such field."""
        client = self.as_user(user)
        page = client.get(url)
        if page.status_code in (302, 403, 404, 405):
            # The workspace offers no such form: posted anyway, nothing changes (check()).
            client.post(post_to or url, alter)
            return NO_PATH
        self.assertEqual(page.status_code, 200, url)
        found = form_with(page.content.decode(), next(iter(alter)))
        if found is None:
            return NO_PATH
        data, _name = found
        for key, value in alter.items():  # by name, or a formset row's name's ending
            data[next((k for k in data if k == key or k.endswith(key)), key)] = value
        return self.answer(client.post(post_to or url, data), client)

    def remove(self, user: User, url: str, remove_url: str) -> str:
        """Press the page's remove button for a record: refused; or the page offers none,
        and the removal posted anyway changes nothing (check())."""
        client = self.as_user(user)
        data = form_to(client.get(url).content.decode(), remove_url)
        if data is None:  # a removal may ask on a page of its own first (an agenda item)
            page = client.get(remove_url)
            data = form_to(page.content.decode(), remove_url) if page.status_code == 200 else None
        if data is None:
            client.post(remove_url, {"version": "1", "confirm": "yes"})
            return NO_PATH
        return self.answer(client.post(remove_url, data), client)

    def post_admin(self, user: User, url: str, alter: dict[str, str]) -> str:
        """Post an admin change form back with these values altered (inline rows included)."""
        client = self.as_user(user)
        page = client.get(url)
        if page.status_code in (403, 404):
            return NO_PATH
        self.assertEqual(page.status_code, 200, url)
        html = page.content.decode()
        data = posted_back(page)
        shown = [name for name in alter if f'name="{name}"' in html]
        data.update(alter)
        response = client.post(url, data)
        if not shown:
            self.assertIn(response.status_code, (200, 302, 403, 404))
            return NO_PATH
        return self.answer(response, client)

    def answer(self, response: Any, client: Client | None = None) -> str:
        """The path's answer (after its redirect): a refusal that names the correction."""
        if response.status_code in (403, 404, 405):
            return NO_PATH
        text = body_of(response).decode(errors="replace")
        if response.status_code == 302:
            follow = (client or self.client).get(response["Location"])
            text = body_of(follow).decode(errors="replace") if follow else ""
        shown = re.findall(
            r"(?:errorlist|alert|invalid-feedback)[^>]*>\s*(?:<li>)?([^<]{0,200})", text
        )
        self.assertRegex(text, REFUSAL, f"{response.status_code}: no refusal shown: {shown}")
        return REFUSED

    def imported(self, change: Callable[[dict], None]) -> str:
        document = export_records("prg")
        change(document)
        try:
            import_records(copy.deepcopy(document))
        except RecordsError as refused:
            self.assertRegex(str(refused.errors), REFUSAL)
            return REFUSED
        return LEFT_AS_IS

    def admin_delete(self, user: User, url: str) -> str:
        """Confirm the admin's delete page for a locked record: not offered (403), or
        refused with the reason."""
        client = self.as_user(user)
        response = client.post(url, {"post": "yes"})
        if response.status_code == 403:
            return NO_PATH
        return self.answer(response, client)

    def api(self, url: str) -> str:
        """Every writing method, even for a superuser: 405 as a problem document."""
        client = self.as_user(self.superuser)
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(url, {"place": "X"}, content_type="application/json")
            self.assertEqual(response.status_code, 405, (method, url))
            self.assertEqual(response["Content-Type"], "application/problem+json")
        return NO_PATH

    def partner_action(self) -> str:
        """The partner's action form takes a status and a note: its text and owners are no
        fields of it, and posted anyway they are ignored."""
        action = Action.objects.get(key="2019-03-06-3-1")
        prefix = f"action-{action.pk}"
        response = self.as_user(self.partner).post(
            f"/partners/prg/actions/2019-03-06/{action.key}/",
            {
                f"{prefix}-status": action.status,
                f"{prefix}-note": action.status_note or "",
                f"{prefix}-version": str(action.version),
                f"{prefix}-description": "Rewritten by a partner.",
                f"{prefix}-owners": "Somebody Else",
                f"{prefix}-confirmed": "",
                f"{prefix}-item": "",
            },
        )
        self.assertIn(response.status_code, (200, 302))
        return NO_PATH

    def stored_files(self) -> set[str]:
        """Every file in the storage (papers and frozen documents)."""
        found: set[str] = set()
        folders = [""]
        while folders:
            folder = folders.pop()
            subfolders, files = default_storage.listdir(folder)
            folders += [f"{folder}/{d}".lstrip("/") for d in subfolders]
            found |= {f"{folder}/{f}".lstrip("/") for f in files}
        return found

    def replace_file(self, post: Callable[[dict[str, Any]], str]) -> str:
        """Post a new PDF for the uploaded paper: nothing reaches the storage, and the stored
        file's bytes are the ones published."""
        files, before = self.stored_files(), self.upload_bytes()
        answer = post({"upload": replacement(), "file": replacement()})
        self.assertEqual(self.stored_files(), files, "a file was written to the storage")
        self.assertEqual(self.upload_bytes(), before)
        return answer

    def upload_bytes(self) -> bytes:
        with Paper.objects.get(pk=self.upload.pk).file.open("rb") as handle:
            return handle.read()

    def workspace_upload(self) -> str:
        item = self.upload.item.number
        url = f"{WS}meetings/2019-05-01/agenda/items/{item}/papers/uploaded-report/"

        def post(files: dict[str, Any]) -> str:
            client = self.as_user(self.secretary)
            found = form_with(client.get(url).content.decode(), "upload")
            if found is None:
                # The published paper is shown as text: a file posted anyway stays unstored.
                version = str(Paper.objects.get(pk=self.upload.pk).version)
                client.post(url, {"upload": files["upload"], "version": version})
                return NO_PATH
            data, _name = found
            data["upload"] = files["upload"]
            return self.answer(client.post(url, data), client)

        return self.replace_file(post)

    def admin_upload(self, user: User) -> str:
        url = f"/admin/reports/paper/{self.upload.pk}/change/"
        return self.replace_file(lambda files: self.post_admin(user, url, {"file": files["file"]}))

    def api_upload(self) -> str:
        def post(files: dict[str, Any]) -> str:
            client = self.as_user(self.superuser)
            for url in ("/api/bodies/prg/meetings/2019-05-01/", "/api/bodies/prg/meetings/"):
                response = client.post(url, {"file": files["file"]})
                self.assertEqual(response.status_code, 405, url)
            return NO_PATH

        return self.replace_file(post)

    def import_upload(self) -> str:
        def post(files: dict[str, Any]) -> str:
            document = export_records("prg")
            meeting = next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
            paper = next(p for i in meeting["items"] for p in i.get("papers", ()) if p.get("file"))
            with tempfile.TemporaryDirectory() as folder:
                with open(f"{folder}/replacement.pdf", "wb") as handle:
                    handle.write(files["file"].read())
                paper["file"] = "replacement.pdf"
                try:
                    import_records(json.loads(json.dumps(document)), base_dir=Path(folder))
                except RecordsError as refused:
                    self.assertRegex(str(refused.errors), REFUSAL)
                    return REFUSED
            return LEFT_AS_IS

        return self.replace_file(post)

    def partner_interest(self, change: dict[str, str]) -> str:
        """The partner edits, in the portal, an interest the 1 May partners' pack printed: the
        entry and the frozen pack stay as they were."""
        client = self.as_user(self.partner)
        url = f"/partners/interests/{self.interest.pk}/"
        pack = hashlib.sha256(body_of(client.get(MAY + "partners-pack.pdf"))).digest()
        entry = Interest.objects.filter(pk=self.interest.pk).values().get()
        page = client.get(url)
        self.assertEqual(page.status_code, 200)
        found = form_with(page.content.decode(), "description")
        self.assertIsNotNone(found)
        data, _name = found
        for key, value in change.items():
            data[next(k for k in data if k.endswith(key))] = value
        answer = self.answer(client.post(url, data), client)
        self.assertEqual(Interest.objects.filter(pk=self.interest.pk).values().get(), entry)
        after = hashlib.sha256(body_of(client.get(MAY + "partners-pack.pdf"))).digest()
        self.assertEqual(after, pack)
        return answer

    def check(self, cell: Cell) -> None:
        outcome = cell.attempt(self)
        self.assertEqual(outcome, expected(cell), cell)
        self.assertEqual(fingerprint(), self.records, f"{cell}: a locked record changed")
        self.assertEqual(StoredDocument.objects.count(), self.documents)
        after = public_hashes(Client(), self.urls)
        self.assertEqual([url for url in self.urls if after[url] != self.hashes[url]], [])


def pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def replacement() -> SimpleUploadedFile:
    return SimpleUploadedFile("replacement.pdf", pdf(3), content_type="application/pdf")


# The records -----------------------------------------------------------------------------

WS = "/manage/prg/"
WS_MARCH = WS + "meetings/2019-03-06/"


def _item(t: TamperMatrixTests) -> AgendaItem:
    return t.march.items.get(number="4")


def _attendance(t: TamperMatrixTests) -> Attendance:
    return Attendance.objects.filter(meeting=t.march).order_by("pk").first()


def _action(t: TamperMatrixTests) -> Action:
    return Action.objects.get(key="2019-03-06-3-1")


def _appointment(t: TamperMatrixTests) -> Appointment:
    return (
        Appointment.objects.filter(body=t.march.body, start__lte=t.march.date, end__isnull=True)
        .order_by("pk")
        .first()
    )


def _paper_url(t: TamperMatrixTests) -> str:
    return f"{WS}meetings/2019-05-01/agenda/items/{t.paper.item.number}/papers/{t.paper.key}/"


def _admin(t: TamperMatrixTests, model: str, obj: Any) -> str:
    return f"/admin/{model}/{obj.pk}/change/"


# (record, the path, attempt): the workspace as the body's secretary.
WORKSPACE: list[tuple[str, Callable[[TamperMatrixTests], str]]] = [
    ("meeting details", lambda t: t.post_form(t.secretary, WS_MARCH + "agenda/", {"place": "X"})),
    (
        "item",
        lambda t: t.post_form(t.secretary, WS_MARCH + "agenda/items/4/", {"title": "Retitled"}),
    ),
    (
        "item removed",
        # Removing asks first, on a page of its own (it works with JavaScript off).
        lambda t: t.remove(
            t.secretary, WS_MARCH + "agenda/items/4/remove/", WS_MARCH + "agenda/items/4/remove/"
        ),
    ),
    (
        "minute paragraph",
        lambda t: t.post_form(
            t.secretary, WS_MARCH + "minutes/items/4/", {"-0-text": "Rewritten."}
        ),
    ),
    (
        "item decision",
        lambda t: t.post_form(t.secretary, WS_MARCH + "minutes/items/4/", {"outcome": "noted"}),
    ),
    (
        "attendance",
        lambda t: t.post_form(
            t.secretary, f"{WS_MARCH}attendance/{_attendance(t).pk}/", {"capacity": "apologies"}
        ),
    ),
    (
        "attendance removed",
        lambda t: t.answer(
            t.as_user(t.secretary).post(f"{WS_MARCH}attendance/{_attendance(t).pk}/remove/")
        ),
    ),
    (
        "declaration added",
        lambda t: t.post_form(
            t.secretary,
            WS_MARCH + "minutes/items/4/",
            {"-interest": "Added.", "-person": str(_attendance(t).person_id)},
            post_to=WS_MARCH + "minutes/items/4/declarations/",
        ),
    ),
    (
        "declaration removed",
        lambda t: t.remove(
            t.secretary,
            WS_MARCH + "minutes/items/4/",
            f"{WS_MARCH}minutes/items/4/declarations/"
            f"{Declaration.objects.get(item__meeting=t.march).pk}/remove/",
        ),
    ),
    (
        "dissent removed",
        lambda t: t.remove(
            t.secretary,
            WS_MARCH + "minutes/items/4/",
            f"{WS_MARCH}minutes/items/4/dissent/"
            f"{Dissent.objects.get(item__meeting=t.march).pk}/remove/",
        ),
    ),
    (
        "action owners",
        lambda t: t.post_form(
            t.secretary, f"{WS}actions/2019-03-06/{_action(t).key}/", {"owners": "Somebody Else"}
        ),
    ),
    (
        "paper",
        lambda t: t.post_form(t.secretary, _paper_url(t), {"executive_summary": "Rewritten."}),
    ),
    (
        "terms in force",
        lambda t: t.post_form(
            t.secretary, f"{WS}terms/{t.march.terms().version}/edit/", {"quorum_note": "X"}
        ),
    ),
    (
        "appointment",
        lambda t: t.post_form(
            t.secretary, f"{WS}members/{_appointment(t).pk}/end/", {"end": "2019-03-01"}
        ),
    ),
]


def _admin_cells(user: str) -> list[tuple[str, Callable[[TamperMatrixTests], str]]]:
    def post(url: Callable[[TamperMatrixTests], str], alter: dict[str, str]) -> Callable:
        return lambda t: t.post_admin(getattr(t, user), url(t), alter)

    return [
        ("meeting details", post(lambda t: _admin(t, "meetings/meeting", t.march), {"place": "X"})),
        (
            "item inline",
            post(lambda t: _admin(t, "meetings/meeting", t.march), {"items-0-title": "X"}),
        ),
        (
            "attendance inline",
            post(
                lambda t: _admin(t, "meetings/meeting", t.march),
                {"attendance-0-capacity": "apologies"},
            ),
        ),
        ("item", post(lambda t: _admin(t, "meetings/agendaitem", _item(t)), {"title": "X"})),
        (
            "minute paragraph inline",
            post(lambda t: _admin(t, "meetings/agendaitem", _item(t)), {"paragraphs-0-text": "X"}),
        ),
        (
            "declaration inline",
            post(
                lambda t: _admin(t, "meetings/agendaitem", _item(t)),
                {"declarations-0-interest": "X"},
            ),
        ),
        (
            "dissent inline",
            post(lambda t: _admin(t, "meetings/agendaitem", _item(t)), {"dissents-0-text": "X"}),
        ),
        (
            "attendance",
            post(
                lambda t: _admin(t, "meetings/attendance", _attendance(t)),
                {"capacity": "apologies"},
            ),
        ),
        ("action", post(lambda t: _admin(t, "actions/action", _action(t)), {"confirmed": ""})),
        (
            "action owners inline",
            post(lambda t: _admin(t, "actions/action", _action(t)), {"owners-0-role": "X"}),
        ),
        (
            "paper",
            post(lambda t: _admin(t, "reports/paper", t.paper), {"executive_summary": "X"}),
        ),
        (
            "terms in force",
            post(
                lambda t: _admin(t, "members/termsofreference", t.march.terms()),
                {"status": "draft"},
            ),
        ),
        (
            "terms seats inline",
            post(
                lambda t: _admin(t, "members/termsofreference", t.march.terms()),
                {"seats-0-count": "9"},
            ),
        ),
        (
            "appointment",
            post(
                lambda t: _admin(t, "members/appointment", _appointment(t)), {"end": "2019-03-01"}
            ),
        ),
    ]


IMPORT: list[tuple[str, Callable[[dict], None]]] = [
    ("meeting details", lambda d: march_doc(d).update(place="X")),
    ("item", lambda d: set_item(d, "title", "Retitled")),
    ("minute paragraph", lambda d: set_item(d, "minutes", ["Rewritten."])),
    ("item decision", lambda d: set_item(d, "outcome", "noted")),
    (
        "attendance",
        lambda d: march_doc(d)["attendance"][0].update(capacity="apologies"),
    ),
    ("action owners", lambda d: item_doc(d)["actions"][0].update(owners=["sadiq-khan"])),
    ("action removed", lambda d: set_item(d, "actions", [])),
    ("declaration", lambda d: item_doc(d)["declarations"][0].update(interest="Nothing.")),
    ("declaration removed", lambda d: item_doc(d).pop("declarations")),
    ("dissent", lambda d: item_doc(d)["dissent"][0].update(text="Agreed after all.")),
    ("paper", lambda d: may_paper(d).update(title="Retitled")),
    ("paper sections", lambda d: may_paper(d).update(sections={"executive_summary": "X"})),
    ("terms in force", lambda d: terms_doc(d)["seats"][0].update(count=9)),
    ("appointment", lambda d: membership_doc(d).update(end="2019-03-01")),
]

CELLS: list[Cell] = [
    *(Cell(record, "workspace", attempt) for record, attempt in WORKSPACE),
    *(Cell(record, "admin as superuser", a) for record, a in _admin_cells("superuser")),
    *(Cell(record, "admin as secretary", a) for record, a in _admin_cells("secretary")),
    *(
        Cell(
            f"{record} deleted",
            f"admin as {user}",
            lambda t, u=user, url=url: t.admin_delete(
                getattr(t, u), url(t).replace("/change/", "/delete/")
            ),
        )
        for user in ("superuser", "secretary")
        for record, url in [
            ("meeting", lambda t: _admin(t, "meetings/meeting", t.march)),
            ("item", lambda t: _admin(t, "meetings/agendaitem", _item(t))),
            ("attendance", lambda t: _admin(t, "meetings/attendance", _attendance(t))),
            ("action", lambda t: _admin(t, "actions/action", _action(t))),
            ("paper", lambda t: _admin(t, "reports/paper", t.paper)),
            ("terms in force", lambda t: _admin(t, "members/termsofreference", t.march.terms())),
            ("appointment", lambda t: _admin(t, "members/appointment", _appointment(t))),
        ]
    ),
    *(
        Cell(record, "import_records", lambda t, change=change: t.imported(change))
        for record, change in IMPORT
    ),
    Cell(
        "action and its owners",
        "partner portal",
        lambda t: t.partner_action(),
    ),
    Cell(
        "meeting details and minutes",
        "partner portal",
        lambda t: t.answer(t.as_user(t.partner).post("/partners/prg/meetings/2019-03-06/")),
    ),
    Cell("uploaded paper's file", "workspace", lambda t: t.workspace_upload()),
    Cell("uploaded paper's file", "admin as superuser", lambda t: t.admin_upload(t.superuser)),
    Cell("uploaded paper's file", "admin as secretary", lambda t: t.admin_upload(t.secretary)),
    Cell("uploaded paper's file", "import_records", lambda t: t.import_upload()),
    Cell("uploaded paper's file", "API", lambda t: t.api_upload()),
    Cell(
        "interest printed in the partners' pack",
        "partner portal",
        lambda t: t.partner_interest({"description": "Trustee of another trust."}),
    ),
    Cell(
        "interest printed in the partners' pack, ended before it",
        "partner portal",
        lambda t: t.partner_interest({"ended_on": "2019-04-01"}),
    ),
    *(
        Cell(record, "API", lambda t, url=url: t.api(url))
        for record, url in [
            ("meeting details, items, minutes, actions", "/api/bodies/prg/meetings/2019-03-06/"),
            ("meetings", "/api/bodies/prg/meetings/"),
            ("terms and members", "/api/bodies/prg/"),
            ("decisions", "/api/bodies/prg/decisions/"),
        ]
    ),
]


# Where a cell ends otherwise than its path's usual way (the workspace and the importer refuse;
# the admin, the partners' portal and the API offer no such path).
UNUSUAL = {
    ("attendance", "workspace"): NO_PATH,  # the attendee form is not offered
    ("attendance removed", "workspace"): NO_PATH,
    # Removing an item asks on a page of its own, which says the agenda is published instead.
    ("item removed", "workspace"): NO_PATH,
    ("terms in force", "workspace"): NO_PATH,  # endorsed terms have no edit form
    # A published agenda's item and paper pages show them as text, with correction links.
    ("item", "workspace"): NO_PATH,
    ("paper", "workspace"): NO_PATH,
    ("uploaded paper's file", "workspace"): NO_PATH,
    # Approved minutes' item page shows what they print as text, with correction links.
    **{
        (record, "workspace"): NO_PATH
        for record in (
            "minute paragraph",
            "item decision",
            "declaration added",
            "declaration removed",
            "dissent removed",
        )
    },
    # A partner's own register is theirs to keep, except what a published pack printed.
    ("interest printed in the partners' pack", "partner portal"): REFUSED,
    ("interest printed in the partners' pack, ended before it", "partner portal"): REFUSED,
    **{
        (record, f"admin as {user}"): REFUSED  # an appointment is no record of a meeting
        for record in ("appointment", "appointment deleted")
        for user in ("superuser", "secretary")
    },
}


def expected(cell: Cell) -> str:
    usual = REFUSED if cell.path in ("workspace", "import_records") else NO_PATH
    return UNUSUAL.get((cell.record, cell.path), usual)


def _name(cell: Cell) -> str:
    words = f"{cell.record} via {cell.path}"
    return "test_" + re.sub(r"\W+", "_", words).strip("_") + "_is_refused_or_has_no_path"


for _cell in CELLS:
    setattr(TamperMatrixTests, _name(_cell), lambda self, cell=_cell: self.check(cell))
