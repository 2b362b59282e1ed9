"""The permission matrix: every URL of the product, asked by every reader, with the status
each must get — and the public never receives anything unpublished, nor a hint of it.

Readers: the public (signed out); a partner of board A ("prg"); a partner of another board
(B, "other"); a secretary of board A; and the column "signed in, second factor not given":
board A's partner and secretary with an authenticator but no code given, who must see
exactly what the public sees. The world is tests/public_world.py: its records that
must not leak carry marker texts (SECRET-…), and every answer to the public is searched for
them (PDFs by their extracted text), as is every answer to the partners.

The rows are in permissions_rows.py and permissions_rows_workspace.py (beside this module),
one list per area; AREAS below gives their order. To add your URLs: append rows to the area's
list. Each row is a test of its own (test_row_NNN_…, numbered in MATRIX's order), added by
add_row_tests to the PermissionMatrixTests class of the test module that runs the area
(test_permissions.py: all but the workspace; test_permissions_workspace.py), run
against one world per class (setUpTestData). test_permissions.py checks the matrix itself:
every named URL has a row, each row names its URL, and each row is a test in exactly one module.

A POST row also checks the records (every row of the members, meetings, actions and reports
tables, their history included): a reader refused (or sent to sign in) must change nothing;
a signed-in reader answered 302 must have changed something, which shows the posted data is
valid, so a refusal to the others is a real one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader, PdfWriter
from simple_history.models import HistoricalChanges

from actions.models import Action
from meetings import alerts
from meetings.models import (
    AlertSubscription,
    Attendance,
    Declaration,
    Dissent,
    ForwardPlanItem,
    MailDelivery,
)
from members import services as members_services
from members.models import DeclarationRound, Interest, Person, TermsOfReference
from reports.models import Paper, PaperNote, Publication
from reports.papers import save_paper
from tests.pdfs import TemporaryMedia
from tests.public_world import (
    NEVER_PARTNER_A,
    NEVER_PUBLIC,
    OTHER_BOARD_EXEMPT,
    SECRET_DRAFT_AGENDA,
    SECRET_DRAFT_MINUTES,
    WorldMixin,
)
from tests.security.permissions_rows import (
    DOCUMENT_ROWS,
    FEED_AND_API_ROWS,
    PARTNER_ROWS,
    PUBLIC_ROWS,
    READERS,
    UNVERIFIED,
    Row,
)
from tests.security.permissions_rows_workspace import WORKSPACE_ROWS

# The areas in MATRIX's order, which numbers the tests (test_row_001_… is the first row).
AREAS: dict[str, list[Row | object]] = {
    "public": PUBLIC_ROWS,  # accounts, the health check, the public site
    "feeds and open data": FEED_AND_API_ROWS,
    "partners": PARTNER_ROWS,
    "documents": DOCUMENT_ROWS,
    "workspace": WORKSPACE_ROWS,
}
MATRIX: list[Row | object] = [entry for rows in AREAS.values() for entry in rows]


def matrix_rows() -> list[tuple[int, str, Row, tuple]]:
    """MATRIX's rows, numbered from 1, with their area and marks (a pytest.param row carries
    its xfail)."""
    numbered: list[tuple[int, str, Row, tuple]] = []
    for area, rows in AREAS.items():
        for entry in rows:
            if isinstance(entry, Row):
                row, marks = entry, ()
            else:
                row, marks = entry.values[0], tuple(entry.marks)
            numbered.append((len(numbered) + 1, area, row, marks))
    return numbered


def url_names(patterns: list, prefix: str = "") -> Iterator[str]:
    """Every named URL of the product, with its namespace (the admin's left out)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if namespace != "admin:":
                yield from url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def text_of(response: object) -> str:
    """What a reader receives, as text: PDFs by their extracted text."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", errors="replace")


# Everything the product stores (the auth and session tables aside: signing in writes them).
RECORD_APPS = ("members", "meetings", "actions", "reports")


def records() -> dict[str, object]:
    """Every row of the product's tables (many-to-many tables included), and how many rows
    each history table holds (history is only ever added to, so its count is enough)."""
    tables = [
        model
        for label in RECORD_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    found: dict[str, object] = {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in tables
        if not issubclass(model, HistoricalChanges)
    }
    history = [model for model in tables if issubclass(model, HistoricalChanges)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                f"(SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)})"
                for model in history
            )
        )
        found.update(zip((model._meta.label for model in history), cursor.fetchone(), strict=True))
    return found


def unchanged_by(
    readers: list[str], before: dict[str, object], url: str, failures: list[str]
) -> dict[str, object]:
    """Note a failure if the records changed since `before`; return them as they are now."""
    after = records()
    if after != before:
        changed = sorted(k for k in after if after[k] != before.get(k))
        failures.append(f"POST {url} as {' or '.join(readers)} changed {changed}")
    return after


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class PermissionMatrix(TemporaryMedia, WorldMixin):
    """Mixin (before TestCase) of a module's PermissionMatrixTests: the world, with what the
    workspace rows edit, and check_row. Every class builds the whole world once, so that a
    row's placeholders mean the same in every module."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        world = cls.world
        cls.interest_a = Interest.objects.create(person=world.person_a, description="A's interest")
        cls.interest_b = Interest.objects.create(person=world.person_b, description="B's interest")
        cls.declaration_round = DeclarationRound.objects.create(
            body=world.body_a, due_on=dt.date.today() + dt.timedelta(days=30)
        )
        # A private note each, for the rows that delete notes (reports/notes.py).
        for author, key in (
            (world.partner_a, "commissioning"),
            (world.partner_b, "other-exempt"),
            (world.secretary_a, "strategy"),
        ):
            PaperNote.objects.create(
                author=author, paper=Paper.objects.get(key=key), text="A note", version=1
            )
        cls.add_workspace_records()

    @classmethod
    def add_workspace_records(cls) -> None:
        """What the workspace rows edit beyond the world: a draft ToR version, a forward-plan
        item of each board, an uploaded paper, someone in attendance, a declaration and a
        dissent on the draft minutes, an action still to confirm and an e-mail that failed."""
        world = cls.world
        body_a = world.body_a
        in_force = body_a.terms.get(version="2019-interim")
        draft_terms = TermsOfReference(
            body=body_a,
            version="2020-draft",
            title="Terms of reference 2020 (draft)",
            effective_from=dt.date(2020, 1, 1),
            **{name: getattr(in_force, name) for name in members_services.COPIED_TERMS_FIELDS},
        )
        seats, groups = members_services.next_version_from(in_force)
        members_services.save_draft_terms(draft_terms, seats=seats, groups=groups)
        cls.appointment = body_a.appointments.get(person=world.person_a)
        cls.appointment_b = world.body_b.appointments.get()
        cls.plan = ForwardPlanItem.objects.create(body=body_a, title="Knife crime update")
        cls.plan_b = ForwardPlanItem.objects.create(body=world.body_b, title="Board B's plan")
        draft_item = world.draft.items.get(number="8")
        cls.uploaded_paper = save_paper(
            Paper(
                item=draft_item,
                title=f"{SECRET_DRAFT_AGENDA} uploaded paper",
                classification=Paper.Classification.PUBLIC,
                file_has_equality_comments=True,
                final=True,
            ),
            upload=SimpleUploadedFile("uploaded.pdf", pdf_bytes(), "application/pdf"),
        )
        held_item = world.held.items.get(number="1")
        cls.held_paragraph = held_item.paragraphs.get()
        # A decision in draft minutes, which the decisions register and its feeds must not show.
        type(held_item).objects.filter(pk=held_item.pk).update(
            outcome="noted", approved_wording=f"{SECRET_DRAFT_MINUTES} decision"
        )
        cls.approved_paragraph = world.approved.items.get().paragraphs.get()
        cls.attendee = Attendance.objects.create(
            meeting=world.held,
            person=Person.objects.get(key="paul-dawson"),
            capacity=Attendance.Capacity.IN_ATTENDANCE,
            position=1,
        )
        member = Person.objects.get(key="sadiq-khan")
        cls.declaration = Declaration.objects.create(
            item=held_item, person=member, interest=f"{SECRET_DRAFT_MINUTES} declaration"
        )
        cls.dissent = Dissent.objects.create(
            item=held_item, person=member, text=f"{SECRET_DRAFT_MINUTES} dissent"
        )
        cls.unconfirmed_action = Action.objects.create(
            meeting=world.draft,
            item=draft_item,
            key=f"{world.draft.key}-8-1",
            description=f"{SECRET_DRAFT_AGENDA} action to confirm",
            confirmed=False,
        )
        cls.appointee = Person.objects.get(key="paul-dawson")
        # An e-mail about the published agenda whose every attempt failed, to try again.
        MailDelivery.objects.create(
            meeting=world.upcoming,
            kind=MailDelivery.Kind.AGENDA_PUBLISHED,
            to="partner@example.org",
            subject="Agenda published",
            body="The agenda is published.",
            status=MailDelivery.Status.GAVE_UP,
            attempts=5,
            next_attempt_at=timezone.now(),
        )
        # A publication of the draft agenda whose job failed, to try again.
        Publication.objects.create(
            meeting=world.draft,
            state=Publication.State.FAILED,
            error="The documents could not be made (RuntimeError).",
            acknowledgements={"notice": "Test."},
        )

        # A reader's confirmed e-mail alert, whose links the alert rows open.
        cls.alert = AlertSubscription.objects.create(
            email="reader@example.net",
            body=body_a,
            kind=AlertSubscription.Kind.BODY,
            requested_at=timezone.now(),
            confirmed_at=timezone.now(),
        )

    def setUp(self) -> None:
        super().setUp()
        # Publishing an agenda freezes its four documents, rendered by WeasyPrint (seconds):
        # that is test_documents_store's and test_workspace_publish's to check. Here the
        # publication itself is enough, so the matrix stays quick.
        freeze = mock.patch("meetings.services.publication.freeze_published_documents")
        freeze.start()
        self.addCleanup(freeze.stop)

    def placeholders(self) -> dict[str, object]:
        w = self.world
        return {
            "published": w.published.key,
            "upcoming": w.upcoming.key,
            "upcoming_b": w.upcoming_b.key,
            "draft": w.draft.key,
            "draft_pk": w.draft.pk,
            "held": w.held.key,
            "circulated": w.circulated.key,
            "approved": w.approved.key,
            "action": w.circulated_action.key,
            "action_pk": w.circulated_action.pk,
            "action_version": w.circulated_action.version,
            "draft_action": w.draft_action.key,
            "body_a_pk": w.body_a.pk,
            "person_a_pk": w.person_a.pk,
            "interest_a": self.interest_a.pk,
            "interest_b": self.interest_b.pk,
            "declaration_round": self.declaration_round.pk,
            "appointment": self.appointment.pk,
            "appointment_b": self.appointment_b.pk,
            "appointee": self.appointee.pk,
            "uploaded_paper": self.uploaded_paper.key,
            "plan": self.plan.pk,
            "plan_b": self.plan_b.pk,
            "attendee": self.attendee.pk,
            "declaration": self.declaration.pk,
            "dissent": self.dissent.pk,
            "held_paragraph": self.held_paragraph.pk,
            "approved_paragraph": self.approved_paragraph.pk,
            "unconfirmed_action": self.unconfirmed_action.key,
            "today": timezone.localdate().isoformat(),
            "alert_confirm": alerts.confirm_token(self.alert),
            "alert_unsubscribe": alerts.unsubscribe_token(self.alert),
        }

    def login_as(self, reader: str) -> None:
        """Sign the reader in; an unverified reader is board A's partner or secretary with an
        authenticator, signed in with the password alone (force_login gives no code)."""
        self.client.logout()
        user = {
            "partner": self.world.partner_a,
            "other_partner": self.world.partner_b,
            "secretary": self.world.secretary_a,
            "unverified_partner": self.world.partner_a,
            "unverified_secretary": self.world.secretary_a,
        }.get(reader)
        if user is None:
            return
        devices = TOTPDevice.objects.filter(user=user)
        if reader in UNVERIFIED:
            if not devices.filter(confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        else:
            devices.delete()
        self.client.force_login(user)

    def check_row(self, row: Row) -> None:
        """Each reader gets the row's status and nothing unpublished; a POST changes records
        only for a signed-in reader it answers with 302."""
        values = self.placeholders()
        url = row.url.format(**values)
        data = {k.format(**values): v.format(**values) for k, v in row.data.items()}
        never = {
            "public": NEVER_PUBLIC,
            "partner": NEVER_PARTNER_A,
            "other_partner": [s for s in NEVER_PUBLIC if s != OTHER_BOARD_EXEMPT],
            "secretary": [],
            **dict.fromkeys(UNVERIFIED, NEVER_PUBLIC),
        }
        posting = row.method == "POST"
        before = records() if posting else {}
        quiet: list[str] = []  # readers who posted since the last look at the records
        failures = []
        for reader in READERS:
            expected = row.expected(reader)
            acts = posting and reader not in ("public", *UNVERIFIED) and expected == 302
            if acts and quiet:
                before = unchanged_by(quiet, before, url, failures)
                quiet = []
            self.login_as(reader)
            response = self.client.post(url, data) if posting else self.client.get(url)
            if response.status_code != expected:
                failures.append(
                    f"{row.method} {url} as {reader}: {response.status_code}, expected {expected}"
                )
            else:
                received = text_of(response) if never[reader] else ""
                leaked = [s for s in never[reader] if s in received]
                if leaked:
                    failures.append(f"{row.method} {url} as {reader} leaked {leaked}")
            if acts:
                after = records()
                if after == before:
                    failures.append(f"POST {url} as {reader} changed nothing: check the data")
                before = after
            elif posting:
                quiet.append(reader)
        if quiet:
            unchanged_by(quiet, before, url, failures)
        assert failures == [], "\n".join(failures)


def row_test(row: Row) -> Callable[[PermissionMatrix], None]:
    def test(self: PermissionMatrix) -> None:
        self.check_row(row)

    return test


def add_row_tests(cls: type[PermissionMatrix], *areas: str) -> None:
    """One test on `cls` per row of these areas, numbered in MATRIX's order and named after
    the URL's name."""
    unknown = set(areas) - set(AREAS)
    assert not unknown, f"no such areas: {sorted(unknown)}"
    for number, area, row, marks in matrix_rows():
        if area not in areas:
            continue
        test = row_test(row)
        slug = re.sub(r"\W+", "_", row.name)
        test.__name__ = f"test_row_{number:03d}_{row.method.lower()}_{slug}"
        test.__doc__ = f"{row.method} {row.url}"
        test.pytestmark = list(marks)  # a pytest.param row's xfail
        setattr(cls, test.__name__, test)


def row_test_names() -> list[str]:
    """The row tests of every test module of the matrix (tests/test_permissions*.py), one
    name per test: a row left out of every module, or added twice, shows here."""
    names = []
    for path in sorted(Path(__file__).parent.glob("test_permissions*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        cls = getattr(module, "PermissionMatrixTests", None)
        if cls is not None:
            names += [name for name in vars(cls) if name.startswith("test_row_")]
    return names
