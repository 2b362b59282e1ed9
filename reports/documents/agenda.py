"""The agenda: the meeting, the partners with their roles, those expected in attendance, and
the numbered items."""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.models import AgendaItem, Meeting, presenter_line
from members.models import Appointment
from reports.documents import records
from reports.documents.minutes import masthead
from reports.documents.render import Metadata
from vru_governance.rules.formats import clock, long_date, member_order


@dataclass
class Entry:
    """One agenda item as printed: number, title, page references and the lines under it."""

    number: str
    title: str
    sub_item: bool
    lead: str = ""
    pages: tuple[int, int] | None = None
    anchor: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class AgendaView:
    """The agenda's cover (meeting, date, time, place, partners) and its items."""

    meeting: Meeting
    body_name: str
    masthead: str
    date: str
    time: str
    place: str
    partners: list[str]
    entries: list[Entry]
    running: str
    for_partners: bool
    has_exempt: bool = False  # the partners' pack says it holds exempt reports only when it does
    in_attendance: list[str] = field(default_factory=list)  # officers and guests expected

    @property
    def partner_columns(self) -> list[list[str]]:
        """The partners in two columns, the first at least as tall, as CSS columns would be."""
        return balanced_columns(self.partners)


# About this many characters fit on a line of a partner column (80 mm at 9.5 pt).
COLUMN_CHARACTERS = 43


def balanced_columns(lines: list[str]) -> list[list[str]]:
    """Split lines in two columns of about equal height, filling the first column first.

    The cover used CSS columns, which WeasyPrint balances by laying the list out many times
    (half a second per agenda); two lists in a grid, split here, look the same.
    """
    heights = [max(1, -(-len(line) // COLUMN_CHARACTERS)) + 0.5 for line in lines]
    total = sum(heights)
    # The shortest column height that holds everything, as CSS column balancing finds it.
    best, split, running = total, len(lines), 0.0
    for index in range(len(lines) + 1):
        tallest = max(running, total - running)
        if tallest <= best:  # on a tie, the first column takes more
            best, split = tallest, index
        if index < len(lines):
            running += heights[index]
    return [lines[:split], lines[split:]]


def partners(meeting: Meeting) -> list[str]:
    """'Name, Role' of every member on the meeting date, in the seed's order."""
    appointments = list(meeting.body.appointments.active_on(meeting.date).select_related("person"))
    sectors = records.sectors_on_date(meeting, appointments)

    def key(appointment: Appointment) -> tuple[int, str, str]:
        return member_order(appointment.person.name, sectors.get(appointment.person_id))

    lines = []
    for appointment in sorted(appointments, key=key):
        suffix = records.SEAT_SUFFIX.get(sectors.get(appointment.person_id, ""))
        line = appointment.described()  # the role and honorific held on the meeting date
        lines.append(f"{line} {suffix}" if suffix else line)
    return lines


def lead_in(item: AgendaItem, has_report: bool) -> str:
    """The line under an item as the secretary chose its wording ('An update to be provided
    by …'); by default 'A report to be presented by …' (the seed's) or 'To be presented by …'."""
    return presenter_line(item.presenter_lead, item.presenter, has_report=has_report)


def next_meeting_line(meeting: Meeting) -> str:
    """What the agenda prints under 'Date of next meeting': the typed wording, nothing, or
    (by default) the body's next meeting from the records."""
    if meeting.next_meeting == Meeting.NextMeeting.OWN:
        return meeting.next_meeting_text.strip()
    if meeting.next_meeting == Meeting.NextMeeting.NONE:
        return ""
    following = records.next_meeting(meeting)
    if following is None:
        return ""
    place = f", at {following.place}" if following.place else ""
    return (
        f"The next meeting will be held on {long_date(following.date)} at "
        f"{clock(following.start_time)}{place}."
    )


def build_agenda(
    meeting: Meeting,
    entries: list[Entry],
    *,
    for_partners: bool,
    has_exempt: bool = False,
) -> AgendaView:
    body = meeting.body
    return AgendaView(
        meeting=meeting,
        body_name=body.name,
        masthead=masthead(body),
        date=long_date(meeting.date),
        time=clock(meeting.start_time),
        place=meeting.place,
        partners=partners(meeting),
        entries=entries,
        running=f"{body.name} {long_date(meeting.date)}",
        for_partners=for_partners,
        has_exempt=for_partners and has_exempt,
        in_attendance=meeting.in_attendance_lines(),
    )


def agenda_metadata(view: AgendaView) -> Metadata:
    # The partners' agenda has the partners' pack's page references: its title says whose.
    kind = "Partners' agenda" if view.for_partners else "Agenda"
    return Metadata(
        title=f"{kind}: {view.body_name}, {view.date}",
        author=view.body_name,
        subject=f"Agenda of the meeting of the {view.body_name} on {view.date} at {view.time}",
        keywords=("agenda", view.meeting.key),
    )
