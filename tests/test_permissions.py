"""The permission matrix: every URL of the product, asked by four readers, with the status
each must get — and the public never receives anything unpublished, nor a hint of it.

Readers: the public (signed out); a partner of board A ("prg"); a partner of another board
(B, "other"); a secretary of board A. The world is tests/public_world.py: its records that
must not leak carry marker texts (SECRET-…), and every answer to the public is searched for
them (PDFs by their extracted text), as is every answer to the partners.

To add your URLs: append rows to MATRIX (one row per URL, grouped by owner). Placeholders
in braces (in the URL and in the posted data) are filled from `placeholders()`.
test_every_url_of_the_product_has_a_row fails until every named URL has a row. Each row is
a test of its own (test_row_NNN_…), run against one world per class (setUpTestData). A row
whose view answers wrongly today is wrapped in
pytest.param(Row(...), marks=pytest.mark.xfail(strict=True, reason="...")), with the
expected (right) statuses, so that it fails loudly once the view is fixed.

A POST row also checks the records (every row of the members, meetings, actions and reports
tables, their history included): a reader refused (or sent to sign in) must change nothing;
a signed-in reader answered 302 must have changed something, which shows the posted data is
valid, so a refusal to the others is a real one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from unittest import mock

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from simple_history.models import HistoricalChanges

from actions.models import Action
from meetings.models import Attendance, Declaration, Dissent, ForwardPlanItem
from meetings.services import save_paper
from members import services as members_services
from members.models import Interest, Person, TermsOfReference
from reports.models import Paper
from tests.pdfs import TemporaryMedia
from tests.public_world import (
    NEVER_PARTNER_A,
    NEVER_PUBLIC,
    OTHER_BOARD_EXEMPT,
    SECRET_DRAFT_AGENDA,
    SECRET_DRAFT_MINUTES,
    WorldMixin,
)

READERS = ("public", "partner", "other_partner", "secretary")
LOGIN = 302  # signed-out readers are sent to sign in


@dataclass(frozen=True)
class Row:
    """A URL and the status each reader gets: public, partner, other partner, secretary."""

    url: str
    public: int
    partner: int
    other_partner: int
    secretary: int
    name: str
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)

    def expected(self, reader: str) -> int:
        return getattr(self, reader)


M = "/prg/meetings"  # board A's meetings
# A partner's POSTs go through a form prefix; the matrix posts valid data for the owner.
ACTION_FORM = {"action-{action_pk}-status": "ongoing", "action-{action_pk}-note": "In hand."}
PROPOSAL = {"propose-{body_a_pk}-title": "A proposal"}
INTEREST = {
    "interest-category": "other",
    "interest-description": "A new interest",
    "interest-registered_on": "2019-01-01",
}

# Board A's workspace, its meetings, and the valid data the secretary posts.
W = "/manage/prg"
DRAFT = f"{W}/meetings/{{draft}}"  # agenda in draft
HELD = f"{W}/meetings/{{held}}"  # minutes in draft
APPROVED = f"{W}/meetings/{{approved}}"  # minutes approved, not published
APPOINT = {
    "person": "{appointee}",
    "seat_key": "scottish_vru",  # vacant; a non-community member needs an exception to 30%
    "start": "2020-01-01",
    "exception": "Appointed pending a community nomination.",
}
END = {"end": "2020-12-31"}
SEATS = {
    "seats-TOTAL_FORMS": "2",
    "seats-INITIAL_FORMS": "0",
    "seats-0-key": "chair",
    "seats-0-label": "Chair",
    "seats-0-sector": "chair",
    "seats-0-count": "1",
    "seats-1-key": "community",
    "seats-1-label": "Community members",
    "seats-1-sector": "community",
    "seats-1-count": "",
    "groups-TOTAL_FORMS": "0",
    "groups-INITIAL_FORMS": "0",
    "community_min_share": "0.30",
    "quorum_fraction": "1/2",
    "agenda_notice_days": "5",
    "save": "Save the draft",
}
TERMS_NEW = {
    **SEATS,
    "version": "2021-draft",
    "title": "Terms of reference 2021",
    "effective_from": "2021-01-01",
}
TERMS_EDIT = {
    **SEATS,
    "version": "2020-draft",
    "title": "Terms of reference 2020 (revised)",
    "effective_from": "2020-01-01",
}
PERSON_NEW = {"name": "Ada Newcomer"}
PERSON = {"name": "Jake Ferguson", "role": "Youth worker", "email": "jake@example.org"}
INTEREST_WS = {"category": "gift", "description": "Theatre tickets", "registered_on": "2019-02-01"}
ITEM = {"title": "A renamed item", "kind": "business"}
PAPER = {
    "title": "A paper on knife crime",
    "classification": "public",
    "final": "on",
    "executive_summary": "A summary.",
    "equality_comments": "Equality issues were considered.",
}
# Every check of agenda_checks, acknowledged (only the failed ones are read).
AGENDA_CHECKS = ("notice", "composition", "equality", "exemptions", "interval")
PUBLISH = {k: "Published anyway for the test." for k in AGENDA_CHECKS}
ATTENDEE_NEW = {"attendee-capacity": "in_attendance", "attendee-new_person_name": "Ada Visitor"}
ATTENDEE = {"attendee-capacity": "in_attendance", "attendee-remote": "on"}
ITEM_MINUTES = {
    "outcome": "",
    "p-TOTAL_FORMS": "1",
    "p-INITIAL_FORMS": "0",
    "p-0-text": "The board noted the update.",
}
DECLARATION = {"decl-person": "{person_a_pk}", "decl-interest": "Trustee of a youth charity"}
DISSENT = {"dissent-person": "{person_a_pk}", "dissent-text": "Objected to the timetable."}
CORRECTION = {"text": "The board agreed the forward plan.", "reason": "A typo."}
ACTION_UPDATE = {"update": "Record", "status": "complete", "note": "The letter was sent."}
PLAN = {"title": "Knife crime update (revised)"}


def ws(url: str, secretary: int, name: str, method: str = "GET", data: dict | None = None) -> Row:
    """A row of board A's workspace: sign in, 403 for its partner, 404 for board B's."""
    return Row(url, LOGIN, 403, 404, secretary, name, method, data or {})


MATRIX: list[Row | object] = [  # a Row, or pytest.param(Row(...), marks=...)
    # Accounts (django.contrib.auth) --------------------------------------------------------
    Row("/accounts/login/", 200, 200, 200, 200, "login"),
    Row("/accounts/logout/", 405, 405, 405, 405, "logout"),  # sign-out is a POST
    # The second factor (members/views/accounts.py): no one here has an authenticator, so the
    # code step has nothing to ask and sends everyone on (the public to sign in).
    Row("/accounts/login/code/", LOGIN, 302, 302, 302, "login-code"),
    Row("/accounts/security/", LOGIN, 200, 200, 200, "account-security"),
    Row(
        "/accounts/security/",
        LOGIN,
        200,
        200,
        200,
        "account-security",
        "POST",
        {"action": "confirm", "code": "12ab56"},  # refused with an error: nothing changes
    ),
    # The load balancer's health check (vru_governance/views.py): no records, no session.
    Row("/health/", 200, 200, 200, 200, "health"),
    # Public site (members/views/public.py, meetings/views/public.py) -----------------------
    Row("/", 200, 200, 200, 200, "public:home"),
    Row("/accessibility/", 200, 200, 200, 200, "public:accessibility"),
    Row("/search/?q=violence", 200, 200, 200, 200, "public:search"),
    Row("/search/?q=exempt", 200, 200, 200, 200, "public:search"),
    Row("/search/?q=secret&body=prg&year=2019", 200, 200, 200, 200, "public:search"),
    Row("/prg/", 200, 200, 200, 200, "public:body"),
    Row("/other/", 200, 200, 200, 200, "public:body"),
    Row("/no-such-board/", 404, 404, 404, 404, "public:body"),
    Row(f"{M}/", 200, 200, 200, 200, "public:meetings"),
    Row(f"{M}/?year=2019", 200, 200, 200, 200, "public:meetings"),
    Row(f"{M}/{{published}}/", 200, 200, 200, 200, "public:meeting"),
    Row(f"{M}/2019-03-06/", 200, 200, 200, 200, "public:meeting"),
    Row(f"{M}/{{upcoming}}/", 200, 200, 200, 200, "public:meeting"),
    Row(f"{M}/{{held}}/", 200, 200, 200, 200, "public:meeting"),
    Row(f"{M}/{{circulated}}/", 200, 200, 200, 200, "public:meeting"),
    Row(f"{M}/{{draft}}/", 404, 404, 404, 200, "public:meeting"),
    Row(f"{M}/no-such-meeting/", 404, 404, 404, 404, "public:meeting"),
    Row("/prg/members/", 200, 200, 200, 200, "public:members"),
    Row("/prg/members/jake-ferguson/", 200, 200, 200, 200, "public:member"),
    Row("/prg/members/b-partner/", 404, 404, 404, 404, "public:member"),
    Row("/prg/terms/", 200, 200, 200, 200, "public:terms"),
    Row("/prg/terms/2018-10-draft/", 200, 200, 200, 200, "public:terms-version"),
    Row("/prg/terms/no-such-version/", 404, 404, 404, 404, "public:terms-version"),
    # Feeds (meetings/feeds.py) -------------------------------------------------------------
    Row("/prg/meetings.ics", 200, 200, 200, 200, "public:ical"),
    Row("/prg/feed.atom", 200, 200, 200, 200, "public:atom"),
    Row("/other/feed.atom", 200, 200, 200, 200, "public:atom"),
    # Open data (members/api.py, meetings/api.py) -------------------------------------------
    Row("/api/", 200, 200, 200, 200, "public:api"),
    Row("/api/openapi.json", 200, 200, 200, 200, "public:api-openapi"),
    Row("/api/bodies/", 200, 200, 200, 200, "public:api-bodies"),
    Row("/api/bodies/prg/", 200, 200, 200, 200, "public:api-body"),
    Row("/api/bodies/prg/meetings/", 200, 200, 200, 200, "public:api-meetings"),
    Row("/api/bodies/prg/meetings/{published}/", 200, 200, 200, 200, "public:api-meeting"),
    Row("/api/bodies/prg/meetings/{circulated}/", 200, 200, 200, 200, "public:api-meeting"),
    Row("/api/bodies/other/meetings/{upcoming_b}/", 200, 200, 200, 200, "public:api-meeting"),
    Row("/api/bodies/prg/meetings/{draft}/", 404, 404, 404, 404, "public:api-meeting"),
    Row("/api/bodies/", 405, 405, 405, 405, "public:api-bodies", "POST"),
    # Partners' portal (meetings/actions/members views/partner.py) --------------------------
    Row("/partners/", LOGIN, 200, 200, 403, "public:partners"),
    Row("/partners/prg/propose/", LOGIN, 302, 404, 403, "public:partner-propose", "POST", PROPOSAL),
    Row("/partners/prg/propose/", LOGIN, 405, 405, 405, "public:partner-propose"),
    Row(
        "/partners/prg/actions/{circulated}/{action}/",
        LOGIN,
        302,
        404,
        403,
        "public:partner-action-update",
        "POST",
        ACTION_FORM,
    ),
    Row(
        "/partners/prg/actions/{held}/{draft_action}/",
        LOGIN,
        404,
        404,
        403,
        "public:partner-action-update",
        "POST",
        ACTION_FORM,
    ),
    Row(
        "/partners/interests/",
        LOGIN,
        302,
        302,
        403,
        "public:partner-interest-add",
        "POST",
        INTEREST,
    ),
    Row("/partners/interests/{interest_a}/", LOGIN, 200, 404, 403, "public:partner-interest-edit"),
    Row("/partners/interests/{interest_b}/", LOGIN, 404, 200, 403, "public:partner-interest-edit"),
    # Documents (reports/views.py): refused as 404 to the public, 403 to signed-in readers --
    Row(f"{M}/{{upcoming}}/agenda.pdf", 200, 200, 200, 200, "reports:agenda_pdf"),
    Row(f"{M}/{{draft}}/agenda.pdf", 404, 404, 404, 200, "reports:agenda_pdf"),
    Row(f"{M}/{{upcoming}}/pack.pdf", 200, 200, 200, 200, "reports:pack_pdf"),
    Row(f"{M}/{{upcoming}}/partners-pack.pdf", 404, 200, 403, 200, "reports:partners_pack_pdf"),
    # Board B's: board A's report still lists actions from unpublished minutes (see
    # test_the_public_actions_arising_report_leaves_out_actions_from_unpublished_minutes).
    Row(
        "/other/meetings/{upcoming_b}/actions-arising.pdf",
        200,
        200,
        200,
        200,
        "reports:actions_arising_pdf",
    ),
    Row(f"{M}/{{upcoming}}/papers/strategy.pdf", 200, 200, 200, 200, "reports:paper_pdf"),
    Row(f"{M}/{{upcoming}}/papers/commissioning.pdf", 404, 200, 403, 200, "reports:paper_pdf"),
    Row(f"{M}/{{published}}/papers/mopac-briefing.pdf", 404, 200, 403, 200, "reports:paper_pdf"),
    Row(f"{M}/{{draft}}/papers/draft-paper.pdf", 404, 404, 404, 200, "reports:paper_pdf"),
    Row(f"{M}/2019-03-06/minutes/", 200, 200, 200, 200, "reports:minutes_page"),
    Row(f"{M}/{{held}}/minutes/", 404, 403, 403, 200, "reports:minutes_page"),
    Row(f"{M}/{{circulated}}/minutes/", 404, 200, 403, 200, "reports:minutes_page"),
    Row(f"{M}/{{approved}}/minutes/", 404, 200, 403, 200, "reports:minutes_page"),
    Row(f"{M}/{{circulated}}/minutes.pdf", 404, 200, 403, 200, "reports:minutes_pdf"),
    Row(f"{M}/{{held}}/minutes.pdf", 404, 403, 403, 200, "reports:minutes_pdf"),
    # Nothing is frozen in this world, so no stored version exists for anyone.
    Row(f"{M}/{{upcoming}}/documents/1/agenda.pdf", 404, 404, 404, 404, "reports:stored_document"),
    # Secretary's workspace (…/views/workspace.py): 403 for the body's partners, 404 for
    # everyone else signed in.
    Row("/manage/", LOGIN, 403, 403, 200, "workspace:index"),
    Row("/manage/actions/", LOGIN, 403, 403, 200, "workspace:all_actions"),
    Row("/manage/prg/", LOGIN, 403, 404, 200, "workspace:body"),
    Row("/manage/prg/members/", LOGIN, 403, 404, 200, "workspace:roster"),
    Row("/manage/prg/people/", LOGIN, 403, 404, 200, "workspace:people"),
    Row("/manage/prg/terms/2019-interim/", LOGIN, 403, 404, 200, "workspace:terms"),
    Row("/manage/prg/meetings/", LOGIN, 403, 404, 200, "workspace:meetings"),
    Row("/manage/prg/meetings/{draft}/", LOGIN, 403, 404, 302, "workspace:meeting"),
    Row("/manage/prg/meetings/{draft}/agenda/", LOGIN, 403, 404, 200, "workspace:agenda"),
    Row("/manage/prg/meetings/{held}/attendance/", LOGIN, 403, 404, 200, "workspace:attendance"),
    Row("/manage/prg/meetings/{held}/minutes/", LOGIN, 403, 404, 200, "workspace:minutes"),
    Row("/manage/prg/actions/", LOGIN, 403, 404, 200, "workspace:actions"),
    Row("/manage/prg/forward-plan/", LOGIN, 403, 404, 200, "workspace:forward_plan"),
    # …its forms and POST actions. The secretary's POSTs carry valid data (302, and records
    # change); the same POST from anyone else must change nothing. POST-only endpoints ask
    # the public to sign in and refuse outsiders before they check the method: a GET is 405
    # for the secretary only (workspace_post_view).
    ws(f"{W}/members/appoint/", 200, "workspace:appoint"),
    ws(f"{W}/members/appoint/", 302, "workspace:appoint", "POST", APPOINT),
    ws(f"{W}/members/{{appointment}}/end/", 200, "workspace:end_appointment"),
    ws(f"{W}/members/{{appointment}}/end/", 302, "workspace:end_appointment", "POST", END),
    # An appointment to board B is not reachable through board A.
    ws(f"{W}/members/{{appointment_b}}/end/", 404, "workspace:end_appointment"),
    ws(f"{W}/members/{{appointment_b}}/end/", 404, "workspace:end_appointment", "POST", END),
    ws(f"{W}/terms/new/", 200, "workspace:terms_new"),
    ws(f"{W}/terms/new/", 302, "workspace:terms_new", "POST", TERMS_NEW),
    ws(f"{W}/terms/2020-draft/edit/", 200, "workspace:terms_edit"),
    ws(f"{W}/terms/2020-draft/edit/", 302, "workspace:terms_edit", "POST", TERMS_EDIT),
    # Only a draft is edited: the secretary is sent back to the version's page.
    ws(f"{W}/terms/2019-interim/edit/", 302, "workspace:terms_edit"),
    ws(f"{W}/terms/2020-draft/endorse/", 302, "workspace:terms_endorse", "POST"),
    ws(f"{W}/people/new/", 200, "workspace:person_new"),
    ws(f"{W}/people/new/", 302, "workspace:person_new", "POST", PERSON_NEW),
    ws(f"{W}/people/jake-ferguson/", 200, "workspace:person"),
    ws(f"{W}/people/jake-ferguson/", 302, "workspace:person", "POST", PERSON),
    ws(f"{W}/people/b-partner/", 404, "workspace:person"),  # board B's only
    ws(
        f"{W}/people/jake-ferguson/interests/",
        302,
        "workspace:interest_add",
        "POST",
        INTEREST_WS,
    ),
    ws(f"{W}/people/jake-ferguson/interests/{{interest_a}}/end/", 200, "workspace:interest_end"),
    ws(
        f"{W}/people/jake-ferguson/interests/{{interest_a}}/end/",
        302,
        "workspace:interest_end",
        "POST",
        {"ended_on": "{today}"},
    ),
    # Another person's interest is not reachable through this person.
    ws(f"{W}/people/jake-ferguson/interests/{{interest_b}}/end/", 404, "workspace:interest_end"),
    ws(
        f"{W}/people/jake-ferguson/interests/{{interest_b}}/end/",
        404,
        "workspace:interest_end",
        "POST",
        {"ended_on": "{today}"},
    ),
    ws(f"{DRAFT}/agenda/items/8/", 200, "workspace:item"),
    ws(f"{DRAFT}/agenda/items/8/", 302, "workspace:item", "POST", ITEM),
    ws(f"{DRAFT}/agenda/items/8/move/", 302, "workspace:item_move", "POST", {"direction": "up"}),
    ws(f"{DRAFT}/agenda/items/5/remove/", 302, "workspace:item_remove", "POST"),
    ws(f"{DRAFT}/agenda/items/8/papers/new/", 200, "workspace:paper_new"),
    ws(f"{DRAFT}/agenda/items/8/papers/new/?as=upload", 200, "workspace:paper_new"),
    ws(f"{DRAFT}/agenda/items/8/papers/new/", 302, "workspace:paper_new", "POST", PAPER),
    ws(f"{DRAFT}/agenda/items/8/papers/draft-paper/", 200, "workspace:paper"),
    ws(f"{DRAFT}/agenda/items/8/papers/draft-paper/", 302, "workspace:paper", "POST", PAPER),
    ws(
        f"{DRAFT}/agenda/items/8/papers/{{uploaded_paper}}/file.pdf",
        200,
        "workspace:paper_file",
    ),
    # An authored paper has no file to serve.
    ws(f"{DRAFT}/agenda/items/8/papers/draft-paper/file.pdf", 404, "workspace:paper_file"),
    ws(f"{DRAFT}/publish/", 200, "workspace:publish"),
    ws(f"{DRAFT}/publish/", 302, "workspace:publish", "POST", PUBLISH),
    ws(f"{HELD}/attendance/add/", 200, "workspace:attendee_add"),
    ws(f"{HELD}/attendance/add/", 302, "workspace:attendee_add", "POST", ATTENDEE_NEW),
    ws(f"{HELD}/attendance/{{attendee}}/", 200, "workspace:attendee"),
    ws(f"{HELD}/attendance/{{attendee}}/", 302, "workspace:attendee", "POST", ATTENDEE),
    ws(f"{HELD}/attendance/{{attendee}}/remove/", 302, "workspace:attendee_remove", "POST"),
    ws(f"{HELD}/minutes/preview/", 200, "workspace:minutes_preview"),
    ws(f"{HELD}/minutes/items/1/", 200, "workspace:item_minutes"),
    ws(f"{HELD}/minutes/items/1/", 302, "workspace:item_minutes", "POST", ITEM_MINUTES),
    ws(
        f"{HELD}/minutes/items/1/declarations/",
        302,
        "workspace:declaration_add",
        "POST",
        DECLARATION,
    ),
    ws(
        f"{HELD}/minutes/items/1/declarations/{{declaration}}/remove/",
        302,
        "workspace:declaration_remove",
        "POST",
    ),
    ws(f"{HELD}/minutes/items/1/dissent/", 302, "workspace:dissent_add", "POST", DISSENT),
    ws(
        f"{HELD}/minutes/items/1/dissent/{{dissent}}/remove/",
        302,
        "workspace:dissent_remove",
        "POST",
    ),
    ws(
        f"{APPROVED}/minutes/paragraphs/{{approved_paragraph}}/correct/",
        200,
        "workspace:correct",
    ),
    ws(
        f"{APPROVED}/minutes/paragraphs/{{approved_paragraph}}/correct/",
        302,
        "workspace:correct",
        "POST",
        CORRECTION,
    ),
    # A paragraph of another meeting is not reachable through this one.
    ws(f"{APPROVED}/minutes/paragraphs/{{held_paragraph}}/correct/", 404, "workspace:correct"),
    ws(f"{HELD}/minutes/circulate/", 302, "workspace:minutes_step", "POST"),
    ws(
        f"{W}/meetings/{{circulated}}/minutes/approve/",
        302,
        "workspace:minutes_step",
        "POST",
        {"by_chair": "on"},
    ),
    ws(f"{APPROVED}/minutes/publish/", 302, "workspace:minutes_step", "POST"),
    ws(f"{HELD}/history/", 200, "workspace:meeting_history"),
    ws(f"{W}/meetings/{{upcoming_b}}/agenda/", 404, "workspace:agenda"),  # board B's meeting
    ws(f"{W}/actions/{{circulated}}/{{action}}/", 200, "workspace:action"),
    ws(
        f"{W}/actions/{{circulated}}/{{action}}/",
        302,
        "workspace:action",
        "POST",
        ACTION_UPDATE,
    ),
    ws(
        f"{W}/actions/{{draft}}/{{unconfirmed_action}}/discard/",
        302,
        "workspace:action_discard",
        "POST",
    ),
    ws(f"{W}/forward-plan/{{plan}}/", 200, "workspace:forward_plan_edit"),
    ws(f"{W}/forward-plan/{{plan}}/", 302, "workspace:forward_plan_edit", "POST", PLAN),
    ws(f"{W}/forward-plan/{{plan_b}}/", 404, "workspace:forward_plan_edit"),  # board B's
    ws(f"{W}/forward-plan/{{plan_b}}/", 404, "workspace:forward_plan_edit", "POST", PLAN),
    ws(
        f"{W}/forward-plan/{{plan}}/place/",
        302,
        "workspace:forward_plan_place",
        "POST",
        {"meeting": "{draft_pk}"},
    ),
    *(
        ws(url, 405, name)
        for url, name in (
            (f"{W}/terms/2020-draft/endorse/", "workspace:terms_endorse"),
            (f"{W}/people/jake-ferguson/interests/", "workspace:interest_add"),
            (f"{DRAFT}/agenda/items/8/move/", "workspace:item_move"),
            (f"{DRAFT}/agenda/items/5/remove/", "workspace:item_remove"),
            (f"{HELD}/attendance/{{attendee}}/remove/", "workspace:attendee_remove"),
            (f"{HELD}/minutes/items/1/declarations/", "workspace:declaration_add"),
            (
                f"{HELD}/minutes/items/1/declarations/{{declaration}}/remove/",
                "workspace:declaration_remove",
            ),
            (f"{HELD}/minutes/items/1/dissent/", "workspace:dissent_add"),
            (f"{HELD}/minutes/items/1/dissent/{{dissent}}/remove/", "workspace:dissent_remove"),
            (f"{HELD}/minutes/circulate/", "workspace:minutes_step"),
            (f"{W}/actions/{{draft}}/{{unconfirmed_action}}/discard/", "workspace:action_discard"),
            (f"{W}/forward-plan/{{plan}}/place/", "workspace:forward_plan_place"),
        )
    ),
]


def matrix_rows() -> list[tuple[Row, tuple]]:
    """MATRIX's rows with their marks (a pytest.param row carries its xfail)."""
    return [
        (entry, ()) if isinstance(entry, Row) else (entry.values[0], tuple(entry.marks))
        for entry in MATRIX
    ]


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


class PermissionMatrixTests(TemporaryMedia, WorldMixin, TestCase):
    """One test per row of MATRIX (added below the class), and the checks of MATRIX itself."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        world = cls.world
        cls.interest_a = Interest.objects.create(person=world.person_a, description="A's interest")
        cls.interest_b = Interest.objects.create(person=world.person_b, description="B's interest")
        cls.add_workspace_records()

    @classmethod
    def add_workspace_records(cls) -> None:
        """What the workspace rows edit beyond the world: a draft ToR version, a forward-plan
        item of each board, an uploaded paper, someone in attendance, a declaration and a
        dissent on the draft minutes, and an action still to confirm."""
        world = cls.world
        body_a = world.body_a
        in_force = body_a.terms.get(version="2019-interim")
        draft_terms = TermsOfReference(
            body=body_a,
            version="2020-draft",
            title="Terms of reference 2020 (draft)",
            effective_from=dt.date(2020, 1, 1),
            **{
                name: getattr(in_force, name)
                for name in (
                    "text",
                    "community_min_share",
                    "quorum_fraction",
                    "substitutes_count",
                    "remote_counts",
                    "meeting_interval_min_days",
                    "meeting_interval_max_days",
                    "agenda_notice_days",
                )
            },
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

    def setUp(self) -> None:
        super().setUp()
        # Publishing an agenda freezes its four documents, rendered by WeasyPrint (seconds):
        # that is test_documents_store's and test_workspace_publish's to check. Here the
        # publication itself is enough, so the matrix stays quick.
        freeze = mock.patch("meetings.services.freeze_published_documents")
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
            "draft_action": w.draft_action.key,
            "body_a_pk": w.body_a.pk,
            "person_a_pk": w.person_a.pk,
            "interest_a": self.interest_a.pk,
            "interest_b": self.interest_b.pk,
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
        }

    def login_as(self, reader: str) -> None:
        self.client.logout()
        user = {
            "partner": self.world.partner_a,
            "other_partner": self.world.partner_b,
            "secretary": self.world.secretary_a,
        }.get(reader)
        if user is not None:
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
        }
        posting = row.method == "POST"
        before = records() if posting else {}
        quiet: list[str] = []  # readers who posted since the last look at the records
        failures = []
        for reader in READERS:
            expected = row.expected(reader)
            acts = posting and reader != "public" and expected == 302
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

    def test_every_url_of_the_product_has_a_row(self) -> None:
        named = set(url_names(get_resolver().url_patterns))
        covered = {row.name for row, _ in matrix_rows()}
        assert sorted(named - covered) == [], "add rows to MATRIX for these URLs"
        assert sorted(covered - named) == [], "these names no longer exist"

    def test_each_row_names_the_url_it_requests(self) -> None:
        values = self.placeholders()
        wrong = [
            (row.url, row.name, resolve(row.url.format(**values).split("?")[0]).view_name)
            for row, _ in matrix_rows()
            if resolve(row.url.format(**values).split("?")[0]).view_name != row.name
        ]
        assert wrong == []

    def test_every_row_is_a_test(self) -> None:
        tests = [name for name in dir(self) if name.startswith("test_row_")]
        assert len(tests) == len(MATRIX)

    def test_the_public_actions_arising_report_leaves_out_actions_from_unpublished_minutes(
        self,
    ) -> None:
        response = self.client.get(f"/prg/meetings/{self.world.upcoming.key}/actions-arising.pdf")
        assert response.status_code == 200
        received = text_of(response)
        assert [s for s in NEVER_PUBLIC if s in received] == []


def row_test(row: Row) -> Callable[[PermissionMatrixTests], None]:
    def test(self: PermissionMatrixTests) -> None:
        self.check_row(row)

    return test


# One test per row, numbered in MATRIX's order and named after the URL's name.
for number, (row, marks) in enumerate(matrix_rows(), start=1):
    test = row_test(row)
    slug = re.sub(r"\W+", "_", row.name)
    test.__name__ = f"test_row_{number:03d}_{row.method.lower()}_{slug}"
    test.__doc__ = f"{row.method} {row.url}"
    test.pytestmark = list(marks)  # a pytest.param row's xfail
    setattr(PermissionMatrixTests, test.__name__, test)
del number, row, marks, test, slug
