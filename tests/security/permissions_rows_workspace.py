"""The permission matrix's rows of board A's workspace (tests/security/permissions_rows.py has the
others), with the valid data the secretary posts: a secretary's POST answered 302 must change
the records, which shows a refusal of the same POST to the other readers is a real one.
"""

from __future__ import annotations

from tests.security.permissions_rows import LOGIN, Row

# Board A's workspace, its meetings, and the valid data the secretary posts.
W = "/manage/prg"
DRAFT = f"{W}/meetings/{{draft}}"  # agenda in draft
HELD = f"{W}/meetings/{{held}}"  # minutes in draft
APPROVED = f"{W}/meetings/{{approved}}"  # minutes approved, not published
UPCOMING = f"{W}/meetings/{{upcoming}}"  # agenda published
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
ITEM = {"title": "A renamed item", "kind": "business", "version": "0"}
PAPER = {
    "title": "A paper on knife crime",
    "classification": "public",
    "final": "on",
    "executive_summary": "A summary.",
    "equality_comments": "Equality issues were considered.",
    "version": "0",
}
# Every check of agenda_checks, acknowledged (only the failed ones are read).
AGENDA_CHECKS = (
    "notice",
    "composition",
    "equality",
    "accessibility",
    "final",
    "exemptions",
    "interval",
)
PUBLISH = {k: "Published anyway for the test." for k in AGENDA_CHECKS}
# The grid adds a person in attendance by name on a blank row (the member rows left unset
# are refused, so the secretary sees the page again).
GRID_NEW = {"version": "0", "n0-name": "Ada Visitor"}
ATTENDEE = {"attendee-capacity": "in_attendance", "attendee-remote": "on", "attendee-version": "0"}
ITEM_MINUTES = {
    "outcome": "",
    "p-TOTAL_FORMS": "1",
    "p-INITIAL_FORMS": "0",
    "p-0-text": "The board noted the update.",
    "version": "0",
}
DECLARATION = {"decl-person": "{person_a_pk}", "decl-interest": "Trustee of a youth charity"}
DISSENT = {"dissent-person": "{person_a_pk}", "dissent-text": "Objected to the timetable."}
CORRECTION = {"text": "The board agreed the forward plan.", "reason": "A typo.", "version": "0"}
ITEM_FIX = {
    "title": "Knife crime strategy (revised)",
    "kind": "business",
    "reason": "The title was printed wrongly.",
    "version": "0",
}
ATTENDANCE_FIX = {
    "version": "0",
    "n1-person": "{person_a_pk}",
    "n1-capacity": "member",
    "correction-reason": "He was there but left off the record.",
}
ACTION_FIX = {
    "description": "To consider the VRU's overall data requirements.",
    "ongoing": "on",
    "owners": "Jake Ferguson",
    "version": "0",
    "correction-reason": "The action was given to Jake Ferguson.",
}
WITHDRAW = {
    "exemption_section": "s.43 (commercial interests)",
    "exemption_reason": "Names providers still negotiating.",
    "review_on": "2030-05-01",
    "reason": "It names providers still negotiating.",
    "version": "0",
    "confirmed": "on",
}
DECISION_CORRECTION = {
    "outcome": "noted",  # an outcome that needs no quorum
    "approved_wording": "The board noted the forward plan.",
    "reason": "The outcome was left out.",
    "version": "0",
}
ACTION_UPDATE = {
    "update": "Record",
    "status": "complete",
    "note": "The letter was sent.",
    "version": "0",
}
# The version of the record a form or button was opened with: every record here is new.
V0 = {"version": "0"}
UP = {"direction": "up"}
PLAN = {"title": "Knife crime update (revised)", "version": "0"}


def ws(url: str, secretary: int, name: str, method: str = "GET", data: dict | None = None) -> Row:
    """A row of board A's workspace: sign in, 403 for its partner, 404 for board B's."""
    return Row(url, LOGIN, 403, 404, secretary, name, method, data or {})


WORKSPACE_ROWS: list[Row | object] = [
    # Secretary's workspace (…/views/workspace.py): 403 for the body's partners, 404 for
    # everyone else signed in.
    Row("/manage/", LOGIN, 403, 403, 200, "workspace:index"),
    Row("/manage/actions/", LOGIN, 403, 403, 200, "workspace:all_actions"),
    Row("/manage/prg/", LOGIN, 403, 404, 200, "workspace:body"),
    Row("/manage/prg/members/", LOGIN, 403, 404, 200, "workspace:roster"),
    Row("/manage/prg/standard-agenda/", LOGIN, 403, 404, 200, "workspace:standard_agenda"),
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
    ws(f"{W}/members/declaration-round/", 200, "workspace:declaration_round"),
    ws(
        f"{W}/members/declaration-round/",
        302,
        "workspace:declaration_round",
        "POST",
        {"due_on": "2099-01-01"},
    ),
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
    ws(f"{W}/people/outsider-person/", 404, "workspace:person"),  # board B's only
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
        {"ended_on": "{today}", "version": "0"},
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
    # The buttons carry the meeting's version (optimistic locking) like every form.
    ws(f"{DRAFT}/agenda/items/8/move/", 302, "workspace:item_move", "POST", {**UP, **V0}),
    # Removal asks first, on a page of its own (no script needed); the button confirms it.
    ws(f"{DRAFT}/agenda/items/5/remove/", 200, "workspace:item_remove"),
    ws(f"{DRAFT}/agenda/items/5/remove/", 200, "workspace:item_remove", "POST", V0),
    ws(
        f"{DRAFT}/agenda/items/5/remove/",
        302,
        "workspace:item_remove",
        "POST",
        {**V0, "confirm": "yes"},
    ),
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
    # Trying the upcoming meeting's failed e-mail again is a POST back to the checklist.
    ws(f"{UPCOMING}/publish/mail/try-again/", 405, "workspace:mail_try_again"),
    ws(f"{DRAFT}/publish/try-again/", 405, "workspace:publish_try_again"),
    ws(f"{DRAFT}/publish/try-again/", 302, "workspace:publish_try_again", "POST"),
    ws(f"{UPCOMING}/publish/mail/try-again/", 302, "workspace:mail_try_again", "POST"),
    ws(f"{HELD}/attendance/", 200, "workspace:attendance", "POST", GRID_NEW),
    ws(f"{HELD}/attendance/{{attendee}}/", 200, "workspace:attendee"),
    ws(f"{HELD}/attendance/{{attendee}}/", 302, "workspace:attendee", "POST", ATTENDEE),
    ws(f"{HELD}/attendance/{{attendee}}/remove/", 302, "workspace:attendee_remove", "POST", V0),
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
    # Correcting the decision of an item of approved minutes, with the reason.
    ws(f"{APPROVED}/minutes/items/1/decision/correct/", 200, "workspace:correct_decision"),
    ws(
        f"{APPROVED}/minutes/items/1/decision/correct/",
        302,
        "workspace:correct_decision",
        "POST",
        DECISION_CORRECTION,
    ),
    # Correcting an item of a published agenda, the attendance of approved minutes and an
    # action the published minutes print; withdrawing a published paper as exempt.
    ws(f"{UPCOMING}/agenda/items/4/correct/", 200, "workspace:item_correct"),
    ws(f"{UPCOMING}/agenda/items/4/correct/", 302, "workspace:item_correct", "POST", ITEM_FIX),
    ws(f"{APPROVED}/attendance/correct/", 200, "workspace:attendance_correct"),
    ws(
        f"{APPROVED}/attendance/correct/",
        302,
        "workspace:attendance_correct",
        "POST",
        ATTENDANCE_FIX,
    ),
    ws(f"{W}/actions/2019-03-06/2019-03-06-4-1/correct/", 200, "workspace:action_correct"),
    ws(
        f"{W}/actions/2019-03-06/2019-03-06-4-1/correct/",
        302,
        "workspace:action_correct",
        "POST",
        ACTION_FIX,
    ),
    ws(f"{UPCOMING}/agenda/items/4/papers/strategy/withdraw/", 200, "workspace:paper_withdraw"),
    ws(
        f"{UPCOMING}/agenda/items/4/papers/strategy/withdraw/",
        302,
        "workspace:paper_withdraw",
        "POST",
        WITHDRAW,
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
        V0,
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
