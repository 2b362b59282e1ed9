"""No lost updates: two people editing the same minutes, agenda, attendance or action.

Each test opens the edit page in two signed-in clients, saves from the first, then saves from
the second with the page it opened before: the second is refused (409) with a clear message,
the first's change stays, and what the second typed is shown back, with the version saved now
so that saving again after review is accepted. The last test races two database connections
on PostgreSQL, where the row locks matter.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import TestCase

from actions import services as action_services
from actions.models import Action, ActionOwner, ActionUpdate
from meetings.models import AgendaItem, Attendance, Declaration, Meeting, MinutesCorrection
from meetings.services import attendance as attendance_services
from meetings.services.agenda import update_item
from meetings.services.meeting import create_meeting_with_standard_agenda
from members.models import Person
from reports.models import Paper
from tests.world import D, DemoWorld, appoint, make_body
from vru_governance.rules.versions import EditConflict

MAY = "/manage/prg/meetings/2019-05-01/"
JUNE = "/manage/prg/meetings/2019-06-12/"
MARCH = "/manage/prg/meetings/2019-03-06/"
REFUSED = "while you were editing it, so your changes were not saved"


def hidden(page: str, name: str) -> str:
    """The value of the first hidden input of this name on the page, as the browser sends it."""
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)
    assert match, f"no hidden input {name} on the page"
    return match.group(1)


def paragraphs(*texts: str) -> dict[str, str]:
    data = {"p-TOTAL_FORMS": str(len(texts)), "p-INITIAL_FORMS": "0"}
    data.update({f"p-{i}-text": text for i, text in enumerate(texts)})
    return data


def member_states(meeting: Meeting, **overrides: str) -> dict[str, str]:
    """Every member row of the attendance page present, but for the overrides (person keys)."""
    keys = dict(meeting.body.appointments_on(meeting.date).values_list("person_id", "person__key"))
    return {f"m{pk}-state": overrides.get(key, "present") for pk, key in keys.items()}


class TwoSecretariesTests(DemoWorld, TestCase):
    """Two secretaries of the same board, and a partner who owns an action."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.add_second_secretary()

    def setUp(self) -> None:
        self.alice = self.client_for(self.secretary)
        self.bob = self.client_for(self.second)

    def both_open(self, url: str, name: str = "version") -> tuple[str, str]:
        """Both secretaries open the page; the version each form carries."""
        return (
            hidden(self.alice.get(url).content.decode(), name),
            hidden(self.bob.get(url).content.decode(), name),
        )

    # Minutes --------------------------------------------------------------------------

    def test_the_second_save_of_an_items_minutes_is_refused_and_its_text_shown_back(
        self,
    ) -> None:
        url = f"{MAY}minutes/items/5/"
        alice, bob = self.both_open(url)
        first = self.alice.post(
            url, {"version": alice, "outcome": "", **paragraphs("Partners noted the report.")}
        )
        assert first.status_code == 302
        second = self.bob.post(
            url,
            {"version": bob, "outcome": "noted", **paragraphs("Partners discussed the report.")},
        )
        page = html.unescape(second.content.decode())
        assert second.status_code == 409
        assert f"Someone else saved the minutes of item 5 {REFUSED}" in page
        assert "Partners discussed the report.</textarea>" in page  # Bob's text, kept
        assert "Saved now by the other secretary" in page and "Partners noted the report." in page
        item = AgendaItem.objects.get(meeting__key="2019-05-01", number="5")
        assert [p.text for p in item.paragraphs.all()] == ["Partners noted the report."]
        assert item.outcome == ""
        # Having read Alice's paragraph, Bob saves again from the page he was shown.
        again = self.bob.post(
            url,
            {
                "version": hidden(page, "version"),
                "outcome": "noted",
                **paragraphs("Partners discussed the report."),
            },
        )
        assert again.status_code == 302
        item.refresh_from_db()
        assert item.outcome == "noted"
        # Alice's paragraph stays: Bob's form never had it, so his save adds to it.
        assert [p.text for p in item.paragraphs.all()] == [
            "Partners noted the report.",
            "Partners discussed the report.",
        ]

    def test_the_second_closing_time_is_refused_and_shown_back(self) -> None:
        url = f"{MAY}minutes/"
        alice, bob = self.both_open(url)
        assert self.alice.post(url, {"version": alice, "end_time": "16:00"}).status_code == 302
        second = self.bob.post(url, {"version": bob, "end_time": "16:30"})
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved the meeting {REFUSED}" in page
        assert 'value="16:30"' in page
        assert "Saved now: the meeting closed at 4pm." in page
        assert Meeting.objects.get(key="2019-05-01").end_time == dt.time(16, 0)

    def test_a_correction_to_a_paragraph_corrected_meanwhile_is_refused(self) -> None:
        # Approved, not published: a correction then re-freezes no documents (kept fast).
        Meeting.objects.filter(key="2019-03-06").update(status=Meeting.Status.MINUTES_APPROVED)
        paragraph = AgendaItem.objects.get(meeting__key="2019-03-06", number="3").paragraphs.first()
        url = f"{MARCH}minutes/paragraphs/{paragraph.pk}/correct/"
        alice, bob = self.both_open(url)
        first = self.alice.post(
            url, {"version": alice, "text": "Corrected by Alice.", "reason": "A typo."}
        )
        assert first.status_code == 302
        second = self.bob.post(
            url, {"version": bob, "text": "Corrected by Bob.", "reason": "A wrong name."}
        )
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved this paragraph {REFUSED}" in page
        assert "Corrected by Bob.</textarea>" in page and "A wrong name.</textarea>" in page
        paragraph.refresh_from_db()
        assert paragraph.text == "Corrected by Alice."
        assert [c.after for c in MinutesCorrection.objects.filter(paragraph=paragraph)] == [
            "Corrected by Alice."
        ]

    def test_the_same_declaration_recorded_twice_is_refused_keeping_what_was_typed(self) -> None:
        url = f"{MAY}minutes/items/9/declarations/"
        jake = Person.objects.get(key="jake-ferguson")
        self.alice.post(url, {"decl-person": jake.pk, "decl-interest": "Chief Executive, CVS"})
        second = self.bob.post(url, {"decl-person": jake.pk, "decl-interest": "Trustee, CVS"})
        page = second.content.decode()
        assert "Jake Ferguson has already declared an interest in item 9." in page
        assert "Trustee, CVS</textarea>" in page
        assert list(Declaration.objects.filter(item__meeting__key="2019-05-01")) == [
            Declaration.objects.get(interest="Chief Executive, CVS")
        ]

    # The agenda ---------------------------------------------------------------------------

    def test_the_second_save_of_an_agenda_item_is_refused_and_saving_again_is_accepted(
        self,
    ) -> None:
        url = f"{JUNE}agenda/items/4/"
        alice, bob = self.both_open(url)
        data = {"kind": "actions_arising", "presenter": ""}
        assert self.alice.post(url, {**data, "version": alice, "title": "Alice"}).status_code == 302
        second = self.bob.post(url, {**data, "version": bob, "title": "Bob"})
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved item 4 {REFUSED}" in page
        assert 'value="Bob"' in page and "Saved now: “Alice”" in page
        assert AgendaItem.objects.get(meeting__key="2019-06-12", number="4").title == "Alice"
        again = self.bob.post(url, {**data, "version": hidden(page, "version"), "title": "Bob"})
        assert again.status_code == 302
        assert AgendaItem.objects.get(meeting__key="2019-06-12", number="4").title == "Bob"

    def test_the_second_change_to_the_meeting_details_is_refused(self) -> None:
        url = f"{JUNE}agenda/"
        alice, bob = self.both_open(url)
        data = {"details": "", "date": "2019-06-12", "start_time": "14:00"}
        self.alice.post(url, {**data, "version": alice, "place": "City Hall, Room 1"})
        second = self.bob.post(url, {**data, "version": bob, "place": "City Hall, Room 9"})
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved the meeting&#x27;s details {REFUSED}" in page
        assert 'value="City Hall, Room 9"' in page and "City Hall, Room 1." in page
        assert Meeting.objects.get(key="2019-06-12").place == "City Hall, Room 1"

    def test_the_second_save_of_a_paper_is_refused_and_its_sections_shown_back(self) -> None:
        item = AgendaItem.objects.get(meeting__key="2019-06-12", number="4")
        Paper.objects.create(item=item, key="update", title="Update")
        url = f"{JUNE}agenda/items/4/papers/update/"
        alice, bob = self.both_open(url)
        data = {"title": "Update", "classification": "public"}
        self.alice.post(url, {**data, "version": alice, "executive_summary": "Alice wrote."})
        second = self.bob.post(url, {**data, "version": bob, "executive_summary": "Bob wrote."})
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved the paper &#x27;Update&#x27; {REFUSED}" in page
        assert "Bob wrote.</textarea>" in page
        assert Paper.objects.get(key="update").executive_summary == "Alice wrote."

    def test_a_stale_remove_button_changes_nothing(self) -> None:
        page = self.bob.get(f"{JUNE}agenda/").content.decode()
        self.alice.post(
            f"{JUNE}agenda/",
            {
                "add": "",
                "add-version": hidden(page, "add-version"),
                "add-title": "New item",
                "add-kind": "business",
            },
        )
        response = self.bob.post(
            f"{JUNE}agenda/items/5/remove/",
            {"version": hidden(page, "version"), "confirm": "yes"},
            follow=True,
        )
        assert "Someone else changed the agenda since you opened the page" in (
            response.content.decode()
        )
        assert AgendaItem.objects.filter(meeting__key="2019-06-12", title="New item").exists()

    # Attendance ---------------------------------------------------------------------------

    def test_the_second_save_of_the_attendance_is_refused_and_keeps_the_choices(self) -> None:
        june = Meeting.objects.get(key="2019-06-12")
        alice, bob = self.both_open(f"{JUNE}attendance/")
        first = self.alice.post(
            f"{JUNE}attendance/",
            {"version": alice, **member_states(june, **{"sadiq-khan": "remote"})},
        )
        assert first.status_code == 302
        doyle = Person.objects.get(key="yvonne-doyle").pk
        second = self.bob.post(
            f"{JUNE}attendance/",
            {"version": bob, **member_states(june, **{"yvonne-doyle": "apologies"})},
        )
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved the attendance {REFUSED}" in page
        assert (
            f'name="m{doyle}-state" value="apologies" id="id_m{doyle}-state_2" required checked'
            in page
        )
        assert "Sadiq Khan: Remote" in page  # what Alice saved, beside Bob's choices
        records = {a.person.key: a for a in june.attendance.select_related("person")}
        assert records["sadiq-khan"].remote and records["yvonne-doyle"].capacity == "member"
        again = self.bob.post(
            f"{JUNE}attendance/",
            {
                "version": hidden(page, "version"),
                **member_states(june, **{"yvonne-doyle": "apologies", "sadiq-khan": "remote"}),
            },
        )
        assert again.status_code == 302
        assert june.attendance.get(person_id=doyle).capacity == "apologies"

    def june_substitute(self) -> Attendance:
        """Vicky Hobart substituting for Yvonne Doyle at the draft June meeting (the March
        attendance is part of approved minutes: locked)."""
        return Attendance.objects.create(
            meeting=Meeting.objects.get(key="2019-06-12"),
            person=Person.objects.get(key="vicky-hobart"),
            capacity=Attendance.Capacity.SUBSTITUTE,
            on_behalf_of=Person.objects.get(key="yvonne-doyle"),
        )

    def test_the_second_change_to_a_substitute_is_refused(self) -> None:
        reid = self.june_substitute()
        url = f"{JUNE}attendance/{reid.pk}/"
        alice, bob = self.both_open(url, "attendee-version")
        data = {"attendee-capacity": "substitute", "attendee-on_behalf_of": reid.on_behalf_of_id}
        first = self.alice.post(url, {**data, "attendee-version": alice, "attendee-remote": "on"})
        assert first.status_code == 302
        second = self.bob.post(url, {**data, "attendee-version": bob})
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved the attendance {REFUSED}" in page
        assert "Saved now: Substitute" in page and ", remote." in page
        reid.refresh_from_db()
        assert reid.remote

    def test_a_stale_remove_of_an_attendee_changes_nothing(self) -> None:
        reid = self.june_substitute()
        version = hidden(self.bob.get(f"{JUNE}attendance/").content.decode(), "version")
        self.alice.post(
            f"{JUNE}attendance/{reid.pk}/",
            {
                "attendee-version": version,
                "attendee-capacity": "substitute",
                "attendee-on_behalf_of": reid.on_behalf_of_id,
                "attendee-remote": "on",
            },
        )
        response = self.bob.post(
            f"{JUNE}attendance/{reid.pk}/remove/", {"version": version}, follow=True
        )
        assert "Someone else changed the attendance since you opened the page" in (
            response.content.decode()
        )
        assert Attendance.objects.filter(pk=reid.pk).exists()

    # Actions ------------------------------------------------------------------------------

    def action(self) -> Action:
        return Action.objects.get(key="2019-03-06-3-1")

    def test_a_secretarys_stale_status_update_is_refused_after_the_partners(self) -> None:
        action = self.action()
        url = f"/manage/prg/actions/2019-03-06/{action.key}/"
        partner = self.client_for(self.partner)
        prefix = f"action-{action.pk}"
        partner_version = hidden(partner.get("/partners/").content.decode(), f"{prefix}-version")
        secretary_version = hidden(self.alice.get(url).content.decode(), "version")
        posted = partner.post(
            f"/partners/prg/actions/2019-03-06/{action.key}/",
            {
                f"{prefix}-version": partner_version,
                f"{prefix}-status": "complete",
                f"{prefix}-note": "The paper was discussed on 2 April.",
            },
        )
        assert posted.status_code == 302
        second = self.alice.post(
            url,
            {
                "update": "",
                "version": secretary_version,
                "status": "ongoing",
                "note": "Verbal update at the next meeting.",
            },
        )
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved this action {REFUSED}" in page
        assert "Verbal update at the next meeting.</textarea>" in page
        assert "Complete: The paper was discussed on 2 April." in page  # saved now
        action.refresh_from_db()
        assert action.status_display() == "Complete: The paper was discussed on 2 April."
        assert ActionUpdate.objects.filter(action=action).count() == 1

    def test_a_partners_stale_update_is_refused_after_the_secretarys_edit(self) -> None:
        action = self.action()
        url = f"/manage/prg/actions/2019-03-06/{action.key}/"
        partner = self.client_for(self.partner)
        prefix = f"action-{action.pk}"
        partner_version = hidden(partner.get("/partners/").content.decode(), f"{prefix}-version")
        secretary_version = hidden(self.alice.get(url).content.decode(), "version")
        edited = self.alice.post(
            url,
            {
                "save": "",
                "version": secretary_version,
                "description": "To discuss a paper on systemic challenges.",
                "deadline": "2019-05-31",
                "owners": "Lib Peck and Jake Ferguson",
            },
        )
        assert edited.status_code == 302
        second = partner.post(
            f"/partners/prg/actions/2019-03-06/{action.key}/",
            {
                f"{prefix}-version": partner_version,
                f"{prefix}-status": "complete",
                f"{prefix}-note": "Discussed with Lib.",
            },
        )
        page = second.content.decode()
        assert second.status_code == 409
        assert f"Someone else saved this action {REFUSED}" in page
        assert "Discussed with Lib.</textarea>" in page
        assert "To discuss a paper on systemic challenges." in page  # the action as saved now
        action.refresh_from_db()
        assert action.status == "ongoing" and action.deadline == D(2019, 5, 31)
        assert not ActionUpdate.objects.filter(action=action).exists()

    def test_the_second_edit_of_an_action_is_refused_and_its_wording_shown_back(self) -> None:
        action = self.action()
        url = f"/manage/prg/actions/2019-03-06/{action.key}/"
        alice, bob = self.both_open(url)
        # Its owners as they are: the approved minutes print them.
        data = {"save": "", "deadline": "2019-05-31", "owners": "Lib Peck and Jake Ferguson"}
        self.alice.post(url, {**data, "version": alice, "description": "Alice's wording."})
        second = self.bob.post(url, {**data, "version": bob, "description": "Bob wording."})
        page = second.content.decode()
        assert second.status_code == 409
        assert "Bob wording.</textarea>" in page
        action.refresh_from_db()
        assert action.description == "Alice's wording."


# Real concurrency: two connections racing the same service call (PostgreSQL only) -------------


def _slowed(owner: Any, name: str) -> Any:
    """Patch owner.name to wait before running: a lost update shows within the pause."""
    original = getattr(owner, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return original(*args, **kwargs)

    return mock.patch.object(owner, name, slow)


def _race(call: Callable[[str], object]) -> list[str]:
    """Run call("first") and call("second") at once on two threads, each with its own
    connection; "won" or "refused" for each, or the unexpected error."""
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def run(who: str) -> None:
        try:
            barrier.wait(timeout=5)
            call(who)
            results[who] = "won"
        except EditConflict:
            results[who] = "refused"
        except Exception as exc:  # reported by the assertion below
            results[who] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(who,)) for who in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return sorted(results.values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_connections_racing_the_same_saves_let_exactly_one_win_each_time() -> None:
    body, _ = make_body()
    chair = appoint(body, "chair-person", "chair", D(2019, 1, 22), check=False)
    meeting = create_meeting_with_standard_agenda(body, date=D(2019, 3, 6), start_time=dt.time(14))
    item = meeting.items.get(number="4")
    action = Action.objects.create(meeting=meeting, item=item, key="a-1", description="Do it")
    ActionOwner.objects.create(action=action, role="Clerk")

    with _slowed(AgendaItem, "full_clean"):
        outcome = _race(
            lambda who: update_item(
                item, title=who, presenter="", kind="business", sub_item=False, version=0
            )
        )
    assert outcome == ["refused", "won"]
    item.refresh_from_db()
    assert item.version == 1 and item.title in ("first", "second")

    with _slowed(attendance_services, "_validate_attendance"):
        outcome = _race(
            lambda who: attendance_services.record_attendance(
                meeting,
                [
                    attendance_services.MemberRow(
                        person_id=chair.person_id,
                        state="present" if who == "first" else "apologies",
                    )
                ],
                version=0,
            )
        )
    assert outcome == ["refused", "won"]
    assert Meeting.objects.get(pk=meeting.pk).attendance_version == 1

    with _slowed(ActionUpdate, "full_clean"):
        outcome = _race(
            lambda who: action_services.add_update(
                action, status="ongoing", note=who, author=None, version=0
            )
        )
    assert outcome == ["refused", "won"]
    action.refresh_from_db()
    assert action.version == 1 and action.updates.count() == 1
    assert action.status_note == action.updates.get().note
