"""The public site's test world: the cast of tests/world.py (board A's secretary and partner,
board B and its partner; the public), a signed-in user who is nobody, and records that must
never reach the public, each carrying a distinctive marker text.

Board A is the demo Partnership Reference Group (slug "prg"); on top of the demo records:
- an exempt paper on the published 1 May 2019 agenda (SECRET-EXEMPT-TEXT);
- the draft 12 June 2019 meeting gets an item and papers (SECRET-DRAFT-AGENDA);
- a held meeting with uncirculated minutes (SECRET-DRAFT-MINUTES) and an action from them;
- a meeting whose minutes are circulated to partners (CIRCULATED-MINUTES-TEXT);
- a meeting whose minutes are approved but not yet published (APPROVED-UNPUBLISHED-MINUTES);
- an upcoming meeting, agenda published, with a public and an exempt paper.
Board B ("other", the cast's other body) gets an upcoming meeting with an exempt paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from actions.models import Action, ActionOwner
from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Attendance, Meeting, MinuteParagraph
from members.models import Body, Person
from reports.models import Paper
from tests.demo import load_demo
from tests.world import PASSWORD, build_cast

SECRET_EXEMPT = "SECRET-EXEMPT-TEXT"
SECRET_EXEMPT_TITLE = "SECRET-EXEMPT-TITLE"
SECRET_EXEMPT_REASON = "SECRET-EXEMPT-REASON"
SECRET_DRAFT_AGENDA = "SECRET-DRAFT-AGENDA"
SECRET_DRAFT_MINUTES = "SECRET-DRAFT-MINUTES"
SECRET_DRAFT_ACTION = "SECRET-DRAFT-ACTION"
CIRCULATED_MINUTES = "CIRCULATED-MINUTES-TEXT"
CIRCULATED_ACTION = "CIRCULATED-ACTION"
APPROVED_MINUTES = "APPROVED-UNPUBLISHED-MINUTES"
UPCOMING_PUBLIC = "UPCOMING-PUBLIC-PAPER"
UPCOMING_EXEMPT = "UPCOMING-EXEMPT-PAPER"
OTHER_BOARD_EXEMPT = "OTHER-BOARD-EXEMPT-TEXT"

# Never shown to the public anywhere: pages, search, feeds, API.
NEVER_PUBLIC = [
    SECRET_EXEMPT,
    SECRET_EXEMPT_TITLE,
    SECRET_EXEMPT_REASON,
    SECRET_DRAFT_AGENDA,
    SECRET_DRAFT_MINUTES,
    SECRET_DRAFT_ACTION,
    CIRCULATED_MINUTES,
    CIRCULATED_ACTION,
    APPROVED_MINUTES,
    UPCOMING_EXEMPT,
    OTHER_BOARD_EXEMPT,
]
# Never shown to a partner of board A (beyond what the public sees).
NEVER_PARTNER_A = [
    SECRET_DRAFT_AGENDA,
    SECRET_DRAFT_MINUTES,
    SECRET_DRAFT_ACTION,
    OTHER_BOARD_EXEMPT,
]


@dataclass
class World:
    """Board A and B, the readers (the cast's, under the names the tests use here, and
    nobody), and the meetings built on top of the demo records."""

    body_a: Body
    body_b: Body
    partner_a: User
    partner_b: User
    secretary_a: User
    nobody: User
    person_a: Person
    person_b: Person
    published: Meeting  # 2019-05-01, agenda published
    minutes_published: Meeting  # 2019-03-06
    draft: Meeting  # 2019-06-12
    held: Meeting  # minutes in draft
    circulated: Meeting
    approved: Meeting
    upcoming: Meeting
    upcoming_b: Meeting
    exempt_paper: Paper
    upcoming_exempt: Paper
    circulated_action: Action
    draft_action: Action


def user(username: str, **extra: object) -> User:
    """A user outside the cast, with an email address, who may sign in with PASSWORD."""
    return User.objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)


def add_meeting(body: Body, date: dt.date, status: str, key: str | None = None) -> Meeting:
    return Meeting.objects.create(
        body=body,
        key=key or date.isoformat(),
        date=date,
        start_time=dt.time(14, 0),
        end_time=dt.time(16, 0),
        place="City Hall, The Queen's Walk, London, SE1 2AA",
        status=status,
    )


def add_item(meeting: Meeting, number: str, title: str, position: int | None = None) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting,
        number=number,
        title=title,
        position=position if position is not None else int(number.rstrip("abc")),
    )


def add_paper(item: AgendaItem, key: str, title: str, text: str, exempt: bool = False) -> Paper:
    paper = Paper(
        item=item,
        key=key,
        title=title,
        author="Paul Dawson, Head of Evidence and Insight, MOPAC",
        executive_summary=text,
        equality_comments="Equality issues were considered.",
        final=True,
    )
    if exempt:
        paper.classification = Paper.Classification.EXEMPT
        paper.exemption_section = "s.43"
        paper.exemption_reason = f"{SECRET_EXEMPT_REASON}: commercial interests."
        paper.exemption_review_on = dt.date(2030, 5, 1)
    paper.full_clean()
    paper.save()
    return paper


def add_action(
    meeting: Meeting, item: AgendaItem, key: str, text: str, owner: Person, deadline: dt.date
) -> Action:
    action = Action.objects.create(
        meeting=meeting, item=item, key=key, description=text, deadline=deadline
    )
    ActionOwner.objects.create(action=action, person=owner)
    return action


@recording_history()
def build_world() -> World:
    """Load the demo records and add the readers and the unpublished records."""
    load_demo()
    cast = build_cast()
    today = timezone.localdate()
    body_a, partner_a, secretary_a = cast.body, cast.partner, cast.secretary
    person_a = Person.objects.get(key="jake-ferguson")
    person_a.email = "jake@example.org"
    person_a.save()
    nobody = user("nobody")
    body_b, partner_b = cast.other, cast.outsider
    person_b = Person.objects.get(user=partner_b)

    published = Meeting.objects.get(body=body_a, key="2019-05-01")
    mopac = published.items.get(number="5")
    exempt_paper = add_paper(
        mopac, "mopac-briefing", f"{SECRET_EXEMPT_TITLE} briefing", SECRET_EXEMPT, exempt=True
    )

    draft = Meeting.objects.get(body=body_a, key="2019-06-12")
    draft_item = add_item(draft, "8", f"{SECRET_DRAFT_AGENDA} item", position=8)
    add_paper(draft_item, "draft-paper", f"{SECRET_DRAFT_AGENDA} paper", SECRET_DRAFT_AGENDA)
    add_paper(draft_item, "draft-exempt", f"{SECRET_EXEMPT_TITLE} draft", SECRET_EXEMPT, True)

    held = add_meeting(body_a, dt.date(2019, 7, 24), Meeting.Status.MINUTES_DRAFT)
    held_item = add_item(held, "1", "Violence reduction update")
    MinuteParagraph.objects.create(item=held_item, text=f"{SECRET_DRAFT_MINUTES} were taken.")
    draft_action = add_action(
        held, held_item, "2019-07-24-1-1", SECRET_DRAFT_ACTION, person_a, today
    )

    circulated = add_meeting(body_a, dt.date(2019, 9, 4), Meeting.Status.MINUTES_CIRCULATED)
    circulated_item = add_item(circulated, "1", "Community engagement")
    MinuteParagraph.objects.create(item=circulated_item, text=f"{CIRCULATED_MINUTES} noted.")
    Attendance.objects.create(meeting=circulated, person=person_a, capacity="apologies")
    circulated_action = add_action(
        circulated,
        circulated_item,
        "2019-09-04-1-1",
        f"{CIRCULATED_ACTION}: write to the boroughs",
        person_a,
        dt.date(2019, 9, 30),
    )

    approved = add_meeting(body_a, dt.date(2019, 10, 16), Meeting.Status.MINUTES_APPROVED)
    approved_item = add_item(approved, "1", "Forward plan")
    MinuteParagraph.objects.create(item=approved_item, text=f"{APPROVED_MINUTES} agreed.")

    upcoming = add_meeting(body_a, today + dt.timedelta(days=14), Meeting.Status.AGENDA_PUBLISHED)
    upcoming_item = add_item(upcoming, "4", "Knife crime strategy")
    add_paper(upcoming_item, "strategy", f"{UPCOMING_PUBLIC} strategy", "A public summary.")
    upcoming_exempt = add_paper(
        upcoming_item, "commissioning", f"{UPCOMING_EXEMPT} commissioning", SECRET_EXEMPT, True
    )

    upcoming_b = add_meeting(body_b, today + dt.timedelta(days=10), Meeting.Status.AGENDA_PUBLISHED)
    item_b = add_item(upcoming_b, "3", "Other board business")
    add_paper(item_b, "other-exempt", f"{OTHER_BOARD_EXEMPT} title", OTHER_BOARD_EXEMPT, True)

    return World(
        body_a=body_a,
        body_b=body_b,
        partner_a=partner_a,
        partner_b=partner_b,
        secretary_a=secretary_a,
        nobody=nobody,
        person_a=person_a,
        person_b=person_b,
        published=published,
        minutes_published=Meeting.objects.get(body=body_a, key="2019-03-06"),
        draft=draft,
        held=held,
        circulated=circulated,
        approved=approved,
        upcoming=upcoming,
        upcoming_b=upcoming_b,
        exempt_paper=exempt_paper,
        upcoming_exempt=upcoming_exempt,
        circulated_action=circulated_action,
        draft_action=draft_action,
    )


class WorldMixin:
    """TestCase mixin: the world is built once per class (setUpTestData)."""

    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def page(self, url: str, as_user: User | None = None) -> str:
        """The page's text, as the given user (or the public), asserting it answered 200."""
        if as_user is not None:
            self.client.force_login(as_user)
        response = self.client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response.content.decode()
