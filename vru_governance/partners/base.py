"""The partners' portal core: who is a partner of which bodies, and what their dashboard shows
(meetings, papers, circulated minutes, actions, interests, proposals). The views are in
vru_governance/partners/views.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from actions.models import Action, ActionOwner
from meetings import access
from meetings.access import AnyUser
from meetings.models import ForwardPlanItem, Meeting
from members.declaration_rounds import rounds_for
from members.models import Body, Person
from reports.meeting_documents import meeting_documents
from reports.meeting_facts import PaperRow
from reports.models import Paper
from reports.published import (
    meeting_url,
    meetings_visible_to,
    only_visible,
    paper_page_url,
    paper_url,
)
from vru_governance.accounts.views import second_step_redirect
from vru_governance.partners.forms import ActionUpdateForm, InterestForm, ProposalForm

UPCOMING = 5  # meetings shown per body
RECENT = 3  # past meetings shown per body, with their papers


@dataclass
class Partner:
    """A signed-in partner: their person record and the bodies they are a partner of today."""

    person: Person
    bodies: list[Body]

    def body(self, slug: str) -> Body:
        """One of the partner's bodies, or 404 (a body they are not a member of is not theirs)."""
        for body in self.bodies:
            if body.slug == slug:
                return body
        raise Http404("You are not a partner of that board.")


def partner_login_required(view: Any) -> Any:
    """Signed in and past the second factor: a session that has not given its code is sent
    to the code step (meetings/access.py shows it no more than the public sees)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = second_step_redirect(request)
        if step is not None:
            return step
        return view(request, *args, **kwargs)

    return wrapper


def partner_for(request: HttpRequest) -> Partner | None:
    """The partner behind the request, or None for a user who is not a partner of any body."""
    person = getattr(request.user, "person", None)
    if person is None:
        return None
    candidates = access.bodies_with_roles(  # (is_partner and is_secretary answered with them)
        request.user,
        Body.objects.filter(appointments__person=person)
        .distinct()
        .order_by("name")
        .prefetch_related("secretaries"),
    )
    bodies = [b for b in candidates if access.is_partner(request.user, b)]
    return Partner(person, bodies) if bodies else None


def not_a_partner(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/not_partner.html", status=403)


@dataclass
class ActionRow:
    """One of the partner's actions with its update form."""

    action: Action
    overdue: bool
    form: ActionUpdateForm
    url: str


@dataclass
class Section:
    """What the dashboard shows for one body."""

    body: Body
    upcoming: list[tuple[Meeting, list, list[PaperRow]]] = field(default_factory=list)
    recent: list[tuple[Meeting, list, list[PaperRow]]] = field(default_factory=list)
    circulated: list[tuple[Meeting, list]] = field(default_factory=list)
    open_actions: list[ActionRow] = field(default_factory=list)
    closed_actions: list[Action] = field(default_factory=list)
    proposals: list[ForwardPlanItem] = field(default_factory=list)
    proposal_form: ProposalForm | None = None


def _unwrapped(user: AnyUser) -> AnyUser:
    """request.user out of its two lazy wrappers (auth's, then django-otp's): the dashboard asks
    access about it a hundred times, and every attribute read goes through both. The User
    itself holds what they set (django-otp's is_verified, access's caches), so access answers
    the same for it."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:  # (no public way in: evaluate it as any read would)
            user._setup()
        user = user._wrapped
    return user


# An item number and paper key made only of these reverse() writes as they are (nothing to
# quote, nothing its converters refuse): their note address is the meeting's notes address,
# reversed once, with the two added. Any other goes through reverse().
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")


def _note_url(meeting: Meeting, paper: Paper) -> str:
    """The partner's note on a paper (public:partner-note), one reverse() per meeting."""
    number, key = paper.item.number, paper.key
    if not (_PLAIN.fullmatch(number) and _PLAIN.fullmatch(key)):
        return reverse("public:partner-note", args=[meeting.body.slug, meeting.key, number, key])
    args = (meeting.body.slug, meeting.key)
    known = getattr(meeting, "_notes_url", None)
    if known is None or known[0] != args:
        url = reverse("public:partner-note", args=[*args, "-", "-"])
        known = (args, url.removesuffix("-/-/"))
        meeting._notes_url = known
    return f"{known[1]}{number}/{key}/"


def _papers_of(user: AnyUser, meetings: list[Meeting]) -> dict[int, list[PaperRow]]:
    """Every paper of the meetings, public and exempt, checked with access (one query)."""
    rows: dict[int, list[PaperRow]] = {}
    shown = {m.pk: m for m in meetings}
    papers = (
        Paper.objects.filter(item__meeting__in=meetings)
        .select_related("item")
        # What the cards show: not the sections' text, nor an uploaded file's.
        .only(
            "key",
            "title",
            "classification",
            "exemption_section",
            "supplement",
            "file",
            "item__meeting",
            "item__number",
        )
        .order_by("item__position", "position", "pk")
    )
    for paper in papers:
        # The meeting already fetched (with its body): one object, so one reverse() of its URL.
        meeting = paper.item.meeting = shown[paper.item.meeting_id]
        visible = access.can_see_paper(user, paper)
        url = paper_url(meeting, paper) if visible else ""
        # A paper written by section has a web page too (its own copy for partners).
        page = paper_page_url(meeting, paper.key) if visible and not paper.file else ""
        if visible:  # (made here rather than by {% url %} in the card: cheaper)
            paper.note_url = _note_url(meeting, paper)
        rows.setdefault(paper.item.meeting_id, []).append(
            PaperRow(paper, visible, url, html_url=page)
        )
    return rows


def _actions(user: AnyUser, partner: Partner, bound: dict[int, ActionUpdateForm]) -> dict:
    """The partner's actions from minutes they may read, by body, overdue first."""
    today = timezone.localdate()
    # Owned, as a subquery rather than a join: no DISTINCT over the wide rows to undo it.
    owned = ActionOwner.objects.filter(action=OuterRef("pk"), person=partner.person)
    found = (
        Action.objects.filter(Exists(owned), meeting__body__in=partner.bodies)
        .select_related("meeting", "item")
        # What the rows show and access reads (a meeting's status): a decade of a partner's
        # actions is read, most of them closed, so each row is kept small.
        .only(
            "meeting",
            "item",
            "key",
            "description",
            "deadline",
            "ongoing",
            "status",
            "status_note",
            "version",
            "meeting__body",
            "meeting__key",
            "meeting__date",
            "meeting__status",
            "item__number",
        )
    )
    bodies = {body.pk: body for body in partner.bodies}
    by_body: dict[int, tuple[list[ActionRow], list[Action]]] = {}
    readable: dict[int, bool] = {}  # asked once per meeting (a meeting has several actions)
    for action in found:
        action.meeting.body = bodies[action.meeting.body_id]  # (fetched already)
        if action.meeting_id not in readable:
            readable[action.meeting_id] = access.can_see_minutes(user, action.meeting)
        if not readable[action.meeting_id]:
            continue
        open_rows, closed = by_body.setdefault(action.meeting.body_id, ([], []))
        if action.is_closed and action.pk not in bound:
            # (One closed by someone else while the partner wrote an update keeps its form.)
            closed.append(action)
            continue
        form = bound.get(action.pk) or ActionUpdateForm(
            prefix=f"action-{action.pk}",
            initial={"status": action.status, "version": action.version},
        )
        url = reverse(
            "public:partner-action-update",
            args=[action.meeting.body.slug, action.meeting.key, action.key],
        )
        open_rows.append(ActionRow(action, action.is_overdue(today), form, url))
    for open_rows, closed in by_body.values():
        # By deadline, the soonest (so the overdue) first; "ongoing" ones after those with a date.
        open_rows.sort(
            key=lambda r: (r.action.deadline is None, r.action.deadline or today, r.action.pk)
        )
        closed.sort(key=lambda a: a.meeting.date, reverse=True)
    return by_body


def _meetings(
    user: AnyUser, partner: Partner, today: dt.date
) -> tuple[dict[int, list[Meeting]], dict[int, list[Meeting]], list[Meeting]]:
    """By body, the next UPCOMING and the last RECENT meetings whose agenda the user may see;
    and every meeting whose minutes are circulated for comment, newest first. One query: the
    first two are subqueries, and the circulated meetings come with them."""
    circulated = Meeting.Status.MINUTES_CIRCULATED
    wanted = Q(body__in=partner.bodies, status=circulated)
    for body in partner.bodies:
        visible = meetings_visible_to(user, body).values("pk")
        wanted |= Q(pk__in=visible.filter(date__gte=today).order_by("date")[:UPCOMING])
        wanted |= Q(pk__in=visible.filter(date__lt=today).order_by("-date")[:RECENT])
    found = list(Meeting.objects.filter(wanted).order_by("-date"))
    bodies = {body.pk: body for body in partner.bodies}
    for meeting in found:
        meeting.body = bodies[meeting.body_id]  # (the body fetched already, not a copy per row)
        meeting.public_url = meeting_url(meeting)  # for the cards and the circulated minutes
    # A meeting found for its circulated minutes is one whose agenda anyone may see
    # (AGENDA_PUBLIC_STATUSES), so among the subqueries' meetings it sits where their order
    # would put it: a body's first UPCOMING (RECENT) meetings found are the subqueries' own.
    upcoming_of: dict[int, list[Meeting]] = {}
    recent_of: dict[int, list[Meeting]] = {}
    for body in partner.bodies:
        own = [m for m in found if m.body_id == body.pk]
        coming = sorted((m for m in own if m.date >= today), key=lambda m: m.date)
        upcoming_of[body.pk] = only_visible(user, coming[:UPCOMING])
        recent_of[body.pk] = only_visible(user, [m for m in own if m.date < today][:RECENT])
    return upcoming_of, recent_of, [m for m in found if m.status == circulated]


def dashboard_context(
    request: HttpRequest,
    partner: Partner,
    *,
    action_forms: dict[int, ActionUpdateForm] | None = None,
    proposal_forms: dict[int, ProposalForm] | None = None,
    interest_form: InterestForm | None = None,
) -> dict:
    """Everything on the dashboard; bound forms with errors replace the empty ones."""
    today = timezone.localdate()
    user = _unwrapped(request.user)
    sections = []
    upcoming_of, recent_of, circulated = _meetings(user, partner, today)
    shown = [m for ms in [*upcoming_of.values(), *recent_of.values()] for m in ms]
    papers = _papers_of(user, shown)
    actions = _actions(user, partner, action_forms or {})
    bodies = {body.pk: body for body in partner.bodies}
    proposals: dict[int, list[ForwardPlanItem]] = {}
    for item in (
        ForwardPlanItem.objects.filter(proposed_by=partner.person, body__in=partner.bodies)
        .select_related("target_meeting", "placed_item__meeting")
        .order_by("-created_at")
    ):
        # Their meetings are the proposal's body's (ForwardPlanItem.clean): the bodies already
        # fetched, rather than two more joins (one of another body would be read when asked).
        for meeting in (item.target_meeting, item.placed_item and item.placed_item.meeting):
            if meeting is not None and meeting.body_id in bodies:
                meeting.body = bodies[meeting.body_id]
        # The meeting a proposal is placed on, or meant for, is named only if the partner may
        # see its agenda: a draft meeting's date is not theirs to know.
        item.shown_placed_on = (
            item.placed_item.meeting
            if item.is_placed and access.can_see_agenda(user, item.placed_item.meeting)
            else None
        )
        item.shown_target = (
            item.target_meeting
            if item.target_meeting_id and access.can_see_agenda(user, item.target_meeting)
            else None
        )
        proposals.setdefault(item.body_id, []).append(item)
    circulated_of: dict[int, list[Meeting]] = {}
    for meeting in circulated:
        if access.can_see_minutes(user, meeting):
            circulated_of.setdefault(meeting.body_id, []).append(meeting)
    for body in partner.bodies:
        upcoming = upcoming_of[body.pk]
        open_rows, closed = actions.get(body.pk, ([], []))
        form = (proposal_forms or {}).get(body.pk) or ProposalForm(
            body=body, meetings=upcoming, prefix=f"propose-{body.pk}"
        )
        sections.append(
            Section(
                body=body,
                upcoming=[(m, meeting_documents(user, m), papers.get(m.pk, [])) for m in upcoming],
                recent=[
                    (m, meeting_documents(user, m), papers.get(m.pk, []))
                    for m in recent_of[body.pk]
                ],
                circulated=[
                    (m, meeting_documents(user, m)) for m in circulated_of.get(body.pk, [])
                ],
                open_actions=open_rows,
                closed_actions=closed[:10],
                proposals=proposals.get(body.pk, []),
                proposal_form=form,
            )
        )
    posted = [*(action_forms or {}).values(), *(proposal_forms or {}).values(), interest_form]
    return {
        "partner": partner,
        # The site's menu for the board, when the partner sits on one (most do).
        "body": partner.bodies[0] if len(partner.bodies) == 1 else None,
        # "Not for publication" is said only above a page that shows such a paper.
        "shows_exempt": any(
            row.visible and row.paper.is_exempt for rows in papers.values() for row in rows
        ),
        # The form refused by this request, for the summary at the top and "Error:" in the title.
        "failed_form": next((f for f in posted if f is not None and f.errors), None),
        "sections": sections,
        "interests": list(partner.person.interests.order_by("ended_on", "-registered_on")),
        "interest_form": interest_form or InterestForm(prefix="interest"),
        "declaration_rounds": rounds_for(partner.person, list(partner.bodies)),
        "today": today,
    }


def meeting_of(body: Body, key: str) -> Meeting:
    """A meeting fetched through its body."""
    return get_object_or_404(Meeting.objects.select_related("body"), body=body, key=key)
