"""The public meeting page lists the generated "Actions arising" report only where the agenda
has an Actions Arising item without a report of its own: not for a body's first meeting,
whose agenda has no such item."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from meetings.models import AgendaItem, Meeting
from tests.public_world import add_item, add_meeting
from tests.world import make_body

PUBLISHED = Meeting.Status.AGENDA_PUBLISHED


def publish(meeting: Meeting) -> None:
    """Published past the lock, as records imported as published are."""
    Meeting.objects.filter(pk=meeting.pk).update(status=PUBLISHED)


class ActionsArisingListedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body("ssp", effective_from=dt.date(2018, 1, 1))

    def page(self, meeting: Meeting) -> str:
        response = self.client.get(f"/{self.body.slug}/meetings/{meeting.key}/")
        assert response.status_code == 200
        return response.content.decode()

    def test_an_agenda_without_the_item_lists_no_actions_arising_report(self) -> None:
        first = add_meeting(self.body, dt.date(2018, 5, 15), Meeting.Status.DRAFT)
        add_item(first, "1", "Welcome and introductions")
        publish(first)
        page = self.page(first)
        assert "actions-arising.pdf" not in page
        assert "agenda.pdf" in page

    def test_an_agenda_with_the_item_lists_the_report(self) -> None:
        later = add_meeting(self.body, dt.date(2018, 7, 17), Meeting.Status.DRAFT)
        add_item(later, "1", "Welcome and introductions")
        item = add_item(later, "2", "Actions Arising")
        AgendaItem.objects.filter(pk=item.pk).update(kind=AgendaItem.Kind.ACTIONS_ARISING)
        publish(later)
        assert "actions-arising.pdf" in self.page(later)
