"""The permission matrix's rows outside the workspace, one list per area: accounts and the
public site, feeds and open data, the partners' portal, documents. The workspace's rows are in
permissions_rows_workspace.py; permissions_matrix.py puts the areas together (both in
tests/security/).

A row is a URL and the status each of the four readers gets (the public, a partner of board A,
a partner of board B, board A's secretary). Placeholders in braces (in the URL and in the
posted data) are filled from PermissionMatrix.placeholders(). A row whose view answers wrongly
today is wrapped in pytest.param(Row(...), marks=pytest.mark.xfail(strict=True, reason="...")),
with the expected (right) statuses, so that it fails loudly once the view is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

READERS = (
    "public",
    "partner",
    "other_partner",
    "secretary",
    # The column "signed in, second factor not given": board A's partner and its secretary,
    # each with an authenticator, signed in with the password alone. They must see exactly
    # what the public sees (the partners' and workspace pages send them to the code step).
    "unverified_partner",
    "unverified_secretary",
)
UNVERIFIED = ("unverified_partner", "unverified_secretary")
LOGIN = 302  # signed-out readers are sent to sign in (unverified ones to the code step)


@dataclass(frozen=True)
class Row:
    """A URL and the status each reader gets: public, partner, other partner, secretary;
    signed in without the second factor: the public's, unless `unverified` says otherwise."""

    url: str
    public: int
    partner: int
    other_partner: int
    secretary: int
    name: str
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)
    unverified: int | None = None

    def expected(self, reader: str) -> int:
        if reader in UNVERIFIED:
            return self.public if self.unverified is None else self.unverified
        return getattr(self, reader)


M = "/prg/meetings"  # board A's meetings
# A partner's POSTs go through a form prefix; the matrix posts valid data for the owner.
ACTION_FORM = {
    "action-{action_pk}-status": "ongoing",
    "action-{action_pk}-note": "In hand.",
    "action-{action_pk}-version": "{action_version}",
}
PROPOSAL = {"propose-{body_a_pk}-title": "A proposal"}
N = "/partners/prg/notes/{upcoming}/4"  # board A's upcoming item 4 (papers to note)
NOTE = {"text": "A private note", "version": "0"}
INTEREST = {
    "interest-category": "other",
    "interest-description": "A new interest",
    "interest-registered_on": "2019-01-01",
}

PUBLIC_ROWS: list[Row | object] = [  # a Row, or pytest.param(Row(...), marks=...)
    # Accounts (django.contrib.auth) --------------------------------------------------------
    Row("/accounts/login/", 200, 200, 200, 200, "login"),
    Row("/accounts/logout/", 405, 405, 405, 405, "logout"),  # sign-out is a POST
    # Password reset (vru_governance/accounts/password_reset.py): open to all; a link that is
    # not a real one shows "this link does not work", not an error.
    Row("/accounts/password-reset/", 200, 200, 200, 200, "password-reset"),
    Row("/accounts/password-reset/sent/", 200, 200, 200, 200, "password-reset-done"),
    Row("/accounts/password-reset/MQ/set-password/", 200, 200, 200, 200, "password_reset_confirm"),
    Row("/accounts/password-reset/done/", 200, 200, 200, 200, "password-reset-complete"),
    # The second factor (vru_governance/accounts/views.py): no one here has an authenticator, so the
    # code step has nothing to ask and sends everyone on (the public to sign in).
    # Those signed in without their code are asked for it.
    Row("/accounts/login/code/", LOGIN, 302, 302, 302, "login-code", unverified=200),
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
    # For crawlers and security researchers (vru_governance/public/site_files.py): the sitemap
    # lists public pages only, whoever asks.
    Row("/robots.txt", 200, 200, 200, 200, "robots"),
    Row("/sitemap.xml", 200, 200, 200, 200, "sitemap"),
    Row("/.well-known/security.txt", 200, 200, 200, 200, "security-txt"),
    # Public site (vru_governance/public/members.py, vru_governance/public/meetings.py)
    Row("/", 200, 200, 200, 200, "public:home"),
    Row("/accessibility/", 200, 200, 200, 200, "public:accessibility"),
    # E-mail alerts and the privacy notice (vru_governance/public/alerts.py): open to all. A
    # request that is refused (a bad address) changes nothing; a real one, which keeps an
    # address, is tests/public/test_alerts.py's to check. The links work by their signed
    # token alone: a GET only asks (Confirm, Unsubscribe), a forged token is 404.
    Row("/privacy/", 200, 200, 200, 200, "public:privacy"),
    Row("/alerts/", 200, 200, 200, 200, "public:alerts"),
    Row("/alerts/?body=prg&q=violence", 200, 200, 200, 200, "public:alerts"),
    Row("/alerts/", 200, 200, 200, 200, "public:alerts", "POST", {"email": "no", "body": "prg"}),
    Row("/alerts/sent/", 200, 200, 200, 200, "public:alert-sent"),
    Row("/alerts/confirm/{alert_confirm}/", 200, 200, 200, 200, "public:alert-confirm"),
    Row("/alerts/confirm/{alert_unsubscribe}/", 404, 404, 404, 404, "public:alert-confirm"),
    Row("/alerts/confirm/forged/", 404, 404, 404, 404, "public:alert-confirm", "POST"),
    Row("/alerts/unsubscribe/{alert_unsubscribe}/", 200, 200, 200, 200, "public:alert-unsubscribe"),
    Row(
        "/alerts/unsubscribe/{alert_confirm}/",
        404,
        404,
        404,
        404,
        "public:alert-unsubscribe",
        "POST",
        {"List-Unsubscribe": "One-Click"},
    ),
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
    Row("/prg/members/outsider-person/", 404, 404, 404, 404, "public:member"),
    Row("/prg/terms/", 200, 200, 200, 200, "public:terms"),
    Row("/prg/terms/2018-10-draft/", 200, 200, 200, 200, "public:terms-version"),
    Row("/prg/terms/no-such-version/", 404, 404, 404, 404, "public:terms-version"),
    # The decisions register (vru_governance/public/decisions.py): published minutes only.
    Row("/prg/decisions/", 200, 200, 200, 200, "public:decisions"),
    Row("/prg/decisions/?year=2019&outcome=agreed", 200, 200, 200, 200, "public:decisions"),
    Row("/no-such-board/decisions/", 404, 404, 404, 404, "public:decisions"),
    # The annual report (vru_governance/public/annual.py): published facts only, for anyone.
    Row("/prg/annual/2019/", 200, 200, 200, 200, "public:annual"),
    Row("/prg/annual/1999/", 404, 404, 404, 404, "public:annual"),
    # Its PDF is rendered by a job (reports/annual_pdf.py): in this world none has run, so
    # every reader is told it is being prepared (202); a year with no records is not found.
    Row("/prg/annual/2019/annual-report.pdf", 202, 202, 202, 202, "public:annual-pdf"),
    Row("/prg/annual/1999/annual-report.pdf", 404, 404, 404, 404, "public:annual-pdf"),
    # The registers (vru_governance/public/registers.py): minutes the reader may see only.
    Row("/prg/attendance/", 200, 200, 200, 200, "public:attendance"),
    Row("/prg/attendance/?year=2019", 200, 200, 200, 200, "public:attendance"),
    Row("/no-such-board/attendance/", 404, 404, 404, 404, "public:attendance"),
    Row("/prg/interests/", 200, 200, 200, 200, "public:interests"),
    Row("/no-such-board/interests/", 404, 404, 404, 404, "public:interests"),
    Row("/prg/forward-plan/", 200, 200, 200, 200, "public:forward-plan"),
    Row("/no-such-board/forward-plan/", 404, 404, 404, 404, "public:forward-plan"),
    Row("/prg/actions/?status=all", 200, 200, 200, 200, "public:actions"),
    Row("/no-such-board/actions/", 404, 404, 404, 404, "public:actions"),
    Row("/prg/contact/", 200, 200, 200, 200, "public:contact"),
    Row("/no-such-board/contact/", 404, 404, 404, 404, "public:contact"),
]

FEED_AND_API_ROWS: list[Row | object] = [
    # Feeds (vru_governance/public/feeds.py)
    Row("/prg/meetings.ics", 200, 200, 200, 200, "public:ical"),
    # One meeting's calendar file: the public's view for everyone (a calendar does not sign in).
    Row(f"{M}/{{published}}/meeting.ics", 200, 200, 200, 200, "public:meeting-ical"),
    Row(f"{M}/{{draft}}/meeting.ics", 404, 404, 404, 404, "public:meeting-ical"),
    Row("/prg/feed.atom", 200, 200, 200, 200, "public:atom"),
    Row("/other/feed.atom", 200, 200, 200, 200, "public:atom"),
    Row("/prg/decisions.atom", 200, 200, 200, 200, "public:decisions-atom"),
    Row("/no-such-board/decisions.atom", 404, 404, 404, 404, "public:decisions-atom"),
    # Open data (vru_governance/public/api/bodies.py, vru_governance/public/api/meetings.py)
    Row("/api/", 200, 200, 200, 200, "public:api"),
    Row("/api/openapi.json", 200, 200, 200, 200, "public:api-openapi"),
    Row("/api/bodies/", 200, 200, 200, 200, "public:api-bodies"),
    Row("/api/bodies/prg/", 200, 200, 200, 200, "public:api-body"),
    Row("/api/bodies/prg/meetings/", 200, 200, 200, 200, "public:api-meetings"),
    Row("/api/bodies/prg/meetings/{published}/", 200, 200, 200, 200, "public:api-meeting"),
    Row("/api/bodies/prg/meetings/{circulated}/", 200, 200, 200, 200, "public:api-meeting"),
    Row("/api/bodies/other/meetings/{upcoming_b}/", 200, 200, 200, 200, "public:api-meeting"),
    Row("/api/bodies/prg/meetings/{draft}/", 404, 404, 404, 404, "public:api-meeting"),
    Row("/api/bodies/prg/decisions/", 200, 200, 200, 200, "public:api-decisions"),
    Row("/api/bodies/no-such-board/decisions/", 404, 404, 404, 404, "public:api-decisions"),
    Row("/api/bodies/prg/annual/2019/", 200, 200, 200, 200, "public:api-annual"),
    Row("/api/bodies/prg/annual/1999/", 404, 404, 404, 404, "public:api-annual"),
    # Who confirmed their register by the date is public; the notes are not (the test of
    # tests/records/test_declaration_rounds_records.py).
    Row("/api/bodies/prg/declaration-rounds/", 200, 200, 200, 200, "public:api-declaration-rounds"),
    Row(
        "/api/bodies/no-such-board/declaration-rounds/",
        404,
        404,
        404,
        404,
        "public:api-declaration-rounds",
    ),
    Row("/api/bodies/", 405, 405, 405, 405, "public:api-bodies", "POST"),
]

PARTNER_ROWS: list[Row | object] = [
    # Partners' portal (meetings/actions/members views/partner.py) --------------------------
    Row("/partners/", LOGIN, 200, 200, 403, "public:partners"),
    # The dashboard's forms post to the dashboard (a refused one is shown at its address).
    Row(
        "/partners/",
        LOGIN,
        302,
        302,
        403,
        "public:partners",
        "POST",
        {"form": "interest", **INTEREST},
    ),
    Row(
        "/partners/",
        LOGIN,
        302,
        404,
        403,
        "public:partners",
        "POST",
        {"form": "propose", "body": "prg", **PROPOSAL},
    ),
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
    Row(
        "/partners/prg/declaration-round/{declaration_round}/confirm/",
        LOGIN,
        302,
        404,
        403,
        "public:partner-register-confirm",
        "POST",
        {"updated": "on"},
    ),
    Row("/partners/interests/{interest_a}/", LOGIN, 200, 404, 403, "public:partner-interest-edit"),
    Row("/partners/interests/{interest_b}/", LOGIN, 404, 200, 403, "public:partner-interest-edit"),
    # Private notes on papers (vru_governance/partners/notes.py): a partner notes any paper
    # they can see, never a secretary; the list, export and delete-all are their own only.
    Row(f"{N}/strategy/", LOGIN, 200, 200, 403, "public:partner-note"),
    Row(f"{N}/commissioning/", LOGIN, 200, 404, 403, "public:partner-note"),
    Row("/partners/prg/notes/{draft}/8/draft-paper/", LOGIN, 404, 404, 403, "public:partner-note"),
    Row(f"{N}/strategy/", LOGIN, 302, 302, 403, "public:partner-note", "POST", NOTE),
    Row(
        f"{N}/commissioning/delete/",
        LOGIN,
        302,
        404,
        403,
        "public:partner-note-delete",
        "POST",
        {"version": "1"},
    ),
    Row(f"{N}/strategy/delete/", LOGIN, 405, 405, 405, "public:partner-note-delete"),
    Row("/partners/notes/", LOGIN, 200, 200, 200, "public:partner-notes"),
    Row("/partners/notes/export.json", LOGIN, 200, 200, 200, "public:partner-notes-export"),
    Row("/partners/notes/export.md", LOGIN, 200, 200, 200, "public:partner-notes-export"),
    Row("/partners/notes/export.pdf", LOGIN, 404, 404, 404, "public:partner-notes-export"),
    Row("/partners/notes/delete-all/", LOGIN, 405, 405, 405, "public:partner-notes-delete-all"),
    Row(
        "/partners/notes/delete-all/",
        LOGIN,
        302,
        302,
        302,
        "public:partner-notes-delete-all",
        "POST",
        {"confirm": "yes"},
    ),
]

DOCUMENT_ROWS: list[Row | object] = [
    # Documents (vru_governance/public/documents.py): 404 to the public, 403 to signed-in readers
    # The world's published meetings were made without publishing (nothing frozen): a reader
    # allowed a published document is answered 202 while a job freezes it
    # (reports/freeze_jobs.py); drafts and the chair's brief are rendered (200).
    Row(f"{M}/{{upcoming}}/agenda.pdf", 202, 202, 202, 202, "reports:agenda_pdf"),
    Row(f"{M}/{{draft}}/agenda.pdf", 404, 404, 404, 200, "reports:agenda_pdf"),
    Row(f"{M}/{{upcoming}}/pack.pdf", 202, 202, 202, 202, "reports:pack_pdf"),
    Row(f"{M}/{{upcoming}}/partners-pack.pdf", 404, 202, 403, 202, "reports:partners_pack_pdf"),
    Row(f"{M}/{{upcoming}}/partners-agenda.pdf", 404, 202, 403, 202, "reports:partners_agenda_pdf"),
    Row(f"{M}/{{upcoming}}/chairs-brief.pdf", 404, 200, 403, 200, "reports:chair_brief_pdf"),
    # Board B's: board A's report still lists actions from unpublished minutes (see
    # test_the_public_actions_arising_report_leaves_out_actions_from_unpublished_minutes).
    Row(
        "/other/meetings/{upcoming_b}/actions-arising.pdf",
        202,
        202,
        202,
        202,
        "reports:actions_arising_pdf",
    ),
    Row(f"{M}/{{upcoming}}/papers/strategy.pdf", 202, 202, 202, 202, "reports:paper_pdf"),
    # A refused paper is answered as a missing one, to everyone: its key comes from its title.
    Row(f"{M}/{{upcoming}}/papers/commissioning.pdf", 404, 202, 404, 202, "reports:paper_pdf"),
    Row(f"{M}/{{published}}/papers/mopac-briefing.pdf", 404, 202, 404, 202, "reports:paper_pdf"),
    Row(f"{M}/{{upcoming}}/papers/no-such-paper.pdf", 404, 404, 404, 404, "reports:paper_pdf"),
    Row(f"{M}/{{draft}}/papers/draft-paper.pdf", 404, 404, 404, 200, "reports:paper_pdf"),
    # The HTML page of a paper authored in sections: the same readers as its PDF.
    Row(f"{M}/{{upcoming}}/papers/strategy/", 200, 200, 200, 200, "reports:paper_page"),
    Row(f"{M}/{{upcoming}}/papers/commissioning/", 404, 200, 404, 200, "reports:paper_page"),
    Row(f"{M}/{{published}}/papers/mopac-briefing/", 404, 200, 404, 200, "reports:paper_page"),
    Row(f"{M}/{{upcoming}}/papers/no-such-paper/", 404, 404, 404, 404, "reports:paper_page"),
    Row(f"{M}/{{draft}}/papers/draft-paper/", 404, 404, 404, 200, "reports:paper_page"),
    Row(f"{M}/2019-03-06/minutes/", 200, 200, 200, 200, "reports:minutes_page"),
    Row(f"{M}/{{held}}/minutes/", 404, 403, 403, 200, "reports:minutes_page"),
    Row(f"{M}/{{circulated}}/minutes/", 404, 200, 403, 200, "reports:minutes_page"),
    Row(f"{M}/{{approved}}/minutes/", 404, 200, 403, 200, "reports:minutes_page"),
    Row(f"{M}/{{circulated}}/minutes.pdf", 404, 200, 403, 200, "reports:minutes_pdf"),
    Row(f"{M}/{{held}}/minutes.pdf", 404, 403, 403, 200, "reports:minutes_pdf"),
    # Nothing is frozen in this world, so no stored version exists for anyone.
    Row(f"{M}/{{upcoming}}/documents/1/agenda.pdf", 404, 404, 404, 404, "reports:stored_document"),
]
