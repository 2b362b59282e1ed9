"""The permission matrix: every URL of the product, asked by four readers, with the status
each must get — and the public never receives anything unpublished, nor a hint of it.

Readers: the public (signed out); a partner of board A ("prg"); a partner of another board
(B, "other"); a secretary of board A. The world is tests/public_world.py: its records that
must not leak carry marker texts (SECRET-…), and every answer to the public is searched for
them (PDFs by their extracted text), as is every answer to the partners.

To add your URLs: append rows to MATRIX (one row per URL, grouped by owner). Placeholders
in braces are filled from `placeholders()`. test_every_url_of_the_product_has_a_row fails
until every named URL has a row (or is listed in NOT_YET_IN_MATRIX with a reason).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from pypdf import PdfReader

from members.models import Interest
from tests.public_world import NEVER_PARTNER_A, NEVER_PUBLIC, OTHER_BOARD_EXEMPT, WorldMixin

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

MATRIX: list[Row] = [
    # Accounts (django.contrib.auth) --------------------------------------------------------
    Row("/accounts/login/", 200, 200, 200, 200, "login"),
    Row("/accounts/logout/", 405, 405, 405, 405, "logout"),  # sign-out is a POST
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
]

# Named URLs without a row yet, each with the reason. Their owners replace these with rows.
NOT_YET_IN_MATRIX: dict[str, str] = {
    name: "workspace form or POST action: the workspace developer adds its rows"
    for name in (
        "workspace:appoint",
        "workspace:end_appointment",
        "workspace:terms_new",
        "workspace:terms_edit",
        "workspace:terms_endorse",
        "workspace:person_new",
        "workspace:person",
        "workspace:interest_add",
        "workspace:interest_end",
        "workspace:item",
        "workspace:item_move",
        "workspace:item_remove",
        "workspace:paper_new",
        "workspace:paper",
        "workspace:paper_file",
        "workspace:publish",
        "workspace:attendee_add",
        "workspace:attendee",
        "workspace:attendee_remove",
        "workspace:minutes_preview",
        "workspace:item_minutes",
        "workspace:declaration_add",
        "workspace:declaration_remove",
        "workspace:dissent_add",
        "workspace:dissent_remove",
        "workspace:correct",
        "workspace:minutes_step",
        "workspace:meeting_history",
        "workspace:action",
        "workspace:action_discard",
        "workspace:forward_plan_edit",
        "workspace:forward_plan_place",
    )
}


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


class PermissionMatrixTests(WorldMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        world = cls.world
        cls.interest_a = Interest.objects.create(person=world.person_a, description="A's interest")
        cls.interest_b = Interest.objects.create(person=world.person_b, description="B's interest")

    def placeholders(self) -> dict[str, object]:
        w = self.world
        return {
            "published": w.published.key,
            "upcoming": w.upcoming.key,
            "upcoming_b": w.upcoming_b.key,
            "draft": w.draft.key,
            "held": w.held.key,
            "circulated": w.circulated.key,
            "approved": w.approved.key,
            "action": w.circulated_action.key,
            "action_pk": w.circulated_action.pk,
            "draft_action": w.draft_action.key,
            "body_a_pk": w.body_a.pk,
            "interest_a": self.interest_a.pk,
            "interest_b": self.interest_b.pk,
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

    def test_every_reader_gets_the_expected_status_and_nothing_unpublished(self) -> None:
        values = self.placeholders()
        never = {
            "public": NEVER_PUBLIC,
            "partner": NEVER_PARTNER_A,
            "other_partner": [s for s in NEVER_PUBLIC if s != OTHER_BOARD_EXEMPT],
            "secretary": [],
        }
        failures = []
        for row in MATRIX:
            url = row.url.format(**values)
            data = {k.format(**values): v for k, v in row.data.items()}
            for reader in READERS:
                self.login_as(reader)
                response = (
                    self.client.post(url, data) if row.method == "POST" else self.client.get(url)
                )
                if response.status_code != row.expected(reader):
                    failures.append(
                        f"{row.method} {url} as {reader}: {response.status_code}, "
                        f"expected {row.expected(reader)}"
                    )
                    continue
                received = text_of(response) if never[reader] else ""
                leaked = [s for s in never[reader] if s in received]
                if leaked:
                    failures.append(f"{row.method} {url} as {reader} leaked {leaked}")
        assert failures == [], "\n".join(failures)

    def test_every_url_of_the_product_has_a_row(self) -> None:
        named = set(url_names(get_resolver().url_patterns))
        covered = {row.name for row in MATRIX} | set(NOT_YET_IN_MATRIX)
        assert sorted(named - covered) == [], "add rows to MATRIX for these URLs"
        assert sorted(set(NOT_YET_IN_MATRIX) - named) == [], "these names no longer exist"

    def test_each_row_names_the_url_it_requests(self) -> None:
        values = self.placeholders()
        wrong = [
            (row.url, row.name, resolve(row.url.format(**values).split("?")[0]).view_name)
            for row in MATRIX
            if resolve(row.url.format(**values).split("?")[0]).view_name != row.name
        ]
        assert wrong == []

    @pytest.mark.xfail(
        strict=True,
        reason="reports: the actions-arising report lists actions agreed at meetings whose "
        "minutes are not published (draft or circulated) — for the reports developer to decide",
    )
    def test_the_public_actions_arising_report_leaves_out_actions_from_unpublished_minutes(
        self,
    ) -> None:
        response = self.client.get(f"/prg/meetings/{self.world.upcoming.key}/actions-arising.pdf")
        assert response.status_code == 200
        received = text_of(response)
        assert [s for s in NEVER_PUBLIC if s in received] == []
