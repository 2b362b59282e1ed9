"""The chair's brief: per item the timing, who presents, the quorum needed, who is expected to
declare an interest (and withdraw), the recommendation to put and the previous decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.safestring import SafeString

from meetings.models import AgendaItem, Declaration, Meeting
from reports.documents.minutes import masthead
from reports.documents.records import RegisterLine, expected_people, register_on
from reports.documents.render import Metadata, Rendered, render_pdf
from reports.markdown import render_markdown
from reports.models import Paper
from vru_governance.rules import quorum as q
from vru_governance.rules.formats import clock, long_date, short_date

Kind = AgendaItem.Kind


@dataclass
class Declarer:
    """Someone expected at the meeting who has told the secretary of an interest in an item."""

    name: str
    interest: str
    withdraws: bool


@dataclass
class BriefItem:
    """One agenda item as the chair needs it."""

    number: str
    title: str
    presenter: str
    quorum: str
    timing: str = ""
    declarers: list[Declarer] = field(default_factory=list)
    recommendation: str = ""
    previous: str = ""

    @property
    def recommendation_html(self) -> SafeString:
        """The recommendation as the papers and decisions print it (Markdown, sanitised)."""
        return render_markdown(self.recommendation)


@dataclass
class ChairBrief:
    """The brief for one meeting."""

    meeting: Meeting
    body_name: str
    masthead: str
    date: str
    timing: str
    place: str
    quorum: str
    groups: list[str]
    items: list[BriefItem]
    register: list[RegisterLine]


def previous_decisions(meeting: Meeting, items: list[AgendaItem]) -> dict[int, str]:
    """Item id to the latest earlier decision of the body on the same subject: an item of a
    business kind, before this meeting, with a recorded outcome, whose title (or the title of
    the forward-plan entry it was placed from) is this item's, ignoring case."""
    subjects: dict[int, set[str]] = {}
    for item in items:
        if item.kind != Kind.BUSINESS:
            continue
        names = {item.title.strip().lower()}
        plan = getattr(item, "planned_as", None)
        if plan is not None:
            names.add(plan.title.strip().lower())
        subjects[item.pk] = names
    if not subjects:
        return {}
    earlier = (
        AgendaItem.objects.filter(
            meeting__body_id=meeting.body_id, meeting__date__lt=meeting.date, kind=Kind.BUSINESS
        )
        .exclude(outcome="")
        .select_related("meeting", "planned_as")
        .order_by("-meeting__date", "position")
    )
    found: dict[int, str] = {}
    for before in earlier:
        names = {before.title.strip().lower()}
        plan = getattr(before, "planned_as", None)
        if plan is not None:
            names.add(plan.title.strip().lower())
        for pk, wanted in subjects.items():
            if pk not in found and names & wanted:
                wording = before.approved_wording.strip()
                found[pk] = (
                    f"{short_date(before.meeting.date)}, item {before.number}: "
                    f"{before.get_outcome_display()}" + (f". {wording}" if wording else "")
                )
    return found


def _recommendation(item: AgendaItem) -> str:
    """The recommendation recorded on the item, or else its papers' recommendations."""
    if item.recommendation.strip():
        return item.recommendation.strip()
    papers = [p.recommendations.strip() for p in item.papers.all() if p.recommendations.strip()]
    return "\n\n".join(papers)


def timings(meeting: Meeting, items: list[AgendaItem]) -> dict[int, str]:
    """Item id to its timing: "2.00 pm to 2.10 pm (10 minutes)" from the meeting's start and
    the minutes allowed for each item before it; "from 2.10 pm" for an item without minutes
    allowed; nothing once an earlier item had none (its end is not known)."""
    at: dt.datetime | None = dt.datetime.combine(meeting.date, meeting.start_time)
    out: dict[int, str] = {}
    for item in items:
        if at is None:
            continue
        if item.minutes_allowed:
            end = at + dt.timedelta(minutes=item.minutes_allowed)
            out[item.pk] = (
                f"{clock(at.time())} to {clock(end.time())} ({item.minutes_allowed} minutes)"
            )
            at = end
        else:
            out[item.pk] = f"from {clock(at.time())}"
            at = None
    return out


def _quorum_line(needed: int, members: int, present: int | None) -> str:
    line = f"{needed} of {members} members"
    return line + (f" (recorded present: {present})" if present else "")


def build_chair_brief(meeting: Meeting) -> ChairBrief:
    """Everything the brief prints, from the records."""
    items = list(
        meeting.items.order_by("position", "pk")
        .select_related("planned_as")
        .prefetch_related(
            Prefetch("papers", queryset=Paper.objects.order_by("position", "pk")),
            Prefetch("declarations", queryset=Declaration.objects.select_related("person")),
        )
    )
    people = expected_people(meeting)
    terms = meeting.terms()
    groups = [g.label for g in terms.quorum_rules().groups] if terms else []
    try:
        result: q.MeetingQuorum | None = meeting.quorum(items=items)
    except q.QuorumError:
        result = None  # attendance the quorum cannot be computed from: the headline only
    per_item = {i.number: i for i in result.items} if result else {}
    members = result.members if result else len(people)
    needed = result.needed if result else 0
    previous = previous_decisions(meeting, items)
    timed = timings(meeting, items)
    brief_items = []
    for item in items:
        judged = per_item.get(item.number)
        brief_items.append(
            BriefItem(
                number=item.number,
                title=item.title,
                presenter=item.presenter,
                timing=timed.get(item.pk, ""),
                quorum=_quorum_line(
                    judged.needed if judged else needed, members, judged.present if judged else None
                ),
                declarers=[
                    Declarer(d.person.name, d.interest, d.withdrew)
                    for d in item.declarations.all()
                    if d.person_id in people
                ],
                recommendation=_recommendation(item),
                previous=previous.get(item.pk, ""),
            )
        )
    closing = f" to {clock(meeting.end_time)}" if meeting.end_time else ""
    return ChairBrief(
        meeting=meeting,
        body_name=meeting.body.name,
        masthead=masthead(meeting.body),
        date=long_date(meeting.date),
        timing=f"{clock(meeting.start_time)}{closing}",
        place=meeting.place,
        quorum=_quorum_line(needed, members, None),
        groups=groups,
        items=brief_items,
        register=register_on(meeting, people),
    )


def chair_brief_metadata(brief: ChairBrief) -> Metadata:
    return Metadata(
        title=f"Chair's brief: {brief.body_name}, {brief.date}",
        author=brief.body_name,
        subject=f"The chair's brief for the meeting of the {brief.body_name} on {brief.date}",
        keywords=("chair's brief", brief.meeting.key),
    )


def render_chair_brief(meeting: Meeting) -> Rendered:
    """The chair's brief as a PDF (partners and secretaries only: never frozen, never public)."""
    brief = build_chair_brief(meeting)
    return render_pdf(
        "reports/pdf/chair_brief.html",
        {"brief": brief, "draft": not meeting.agenda_is_public},
        chair_brief_metadata(brief),
    )
