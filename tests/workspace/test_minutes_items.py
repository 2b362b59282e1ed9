"""The minutes editor's items are written out by `minutes_items` exactly as the template loop
wrote them, and the editor's queries do not grow with the items, paragraphs and actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from actions.models import Action, ActionOwner
from meetings.lock_scope import correcting
from meetings.models import (
    AgendaItem,
    Declaration,
    Dissent,
    Meeting,
    MinuteParagraph,
    MinutesCorrection,
)
from meetings.services.minutes import minutes_view
from members.models import Person
from tests.world import DemoWorld
from vru_governance.workspace.templatetags.minutes_tags import minutes_items, url_for_each

_ACTION_LINE = (
    '<p class="action-line mb-1">Action: {{ action.owners_display }}{% if action.minutes_text %}'
    " — {{ action.minutes_text }}{% endif %}\n"
    '  {% if not action.confirmed %}<span class="badge text-bg-warning">to confirm</span>'
    "{% endif %}\n"
    '  <a class="small fw-normal" href="{% url \'workspace:action\' body=body.slug '
    'meeting=meeting.key key=action.key %}?next=minutes">{% if action.confirmed %}edit'
    '{% else %}confirm or edit{% endif %}<span class="visually-hidden"> the action for '
    "{{ action.owners_display }}</span></a>\n"
    '  {% if meeting.minutes_locked and action.confirmed %}<a class="small fw-normal" '
    "href=\"{% url 'workspace:action_correct' body=body.slug meeting=meeting.key "
    'key=action.key %}">correct the owners<span class="visually-hidden"> of the action for '
    "{{ action.owners_display }}</span></a>{% endif %}</p>\n"
)

# The template loop (and its action_line.html partial) that minutes_items replaced.
TEMPLATE_LOOP = (
    """{% load workspace_tags %}{% for iv in view.items %}
<section class="mb-4 minutes-item" aria-labelledby="item-{{ iv.item.pk }}" data-number="{{ iv.item.number }}">
  <h2 class="h5" id="item-{{ iv.item.pk }}">{{ iv.item.number }} {{ iv.item.title }}
    {% if iv.item.outcome %}<span class="badge text-bg-light border">{{ iv.item.get_outcome_display }}</span>{% endif %}
    {% if iv.quorate is False %}<span class="badge text-bg-danger">not quorate</span>{% endif %}</h2>
  {% for pv in iv.paragraphs %}
    <div class="d-flex"><span class="minutes-paragraph-number">{{ pv.number }}</span><div class="text-break">{{ pv.paragraph.text|markdown }}
      {% if meeting.minutes_locked %}<a class="small" href="{% url 'workspace:correct' body=body.slug key=meeting.key pk=pv.paragraph.pk %}">Correct {{ pv.number }}</a>{% endif %}</div></div>
    {% for action in pv.actions %}"""  # noqa: E501
    + _ACTION_LINE
    + """{% endfor %}
  {% endfor %}
  {% for action in iv.actions %}"""
    + _ACTION_LINE
    + """{% endfor %}
  {% for d in iv.declarations %}<p class="small">{{ d.person.name }} declared an interest: {{ d.interest }}{% if d.withdrew %} (withdrew){% endif %}</p>{% endfor %}
  {% if iv.item.recommendation %}<p class="small">Recommendation as put: {{ iv.item.recommendation }}</p>{% endif %}
  {% if iv.item.approved_wording %}<p class="small">Wording approved: {{ iv.item.approved_wording }}</p>{% endif %}
  {% for d in iv.dissents %}<p class="small">{{ d.get_kind_display }} recorded by {{ d.person.name }}: {{ d.text }}</p>{% endfor %}
  {% if meeting.minutes_locked and iv.item.has_decision %}<a class="small" href="{% url 'workspace:correct_decision' body=body.slug key=meeting.key number=iv.item.number %}">Correct the decision of item {{ iv.item.number }}</a>{% endif %}
  {% if iv.quorum_note %}<p class="small text-danger">{{ iv.quorum_note }}</p>{% endif %}
  {% if not meeting.minutes_locked and meeting.agenda_is_public %}<a href="{% url 'workspace:item_minutes' body=body.slug key=meeting.key number=iv.item.number %}">Write the minutes of item {{ iv.item.number }}</a>{% endif %}
</section>
{% endfor %}"""  # noqa: E501
)

MAY = "2019-05-01"


class MinutesItemsTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key=MAY)
        cls.people = list(Person.objects.order_by("pk")[:3])

    def add_minutes(self, meeting: Meeting, n: int, *, tag: str = "") -> None:
        """n items, each with two paragraphs, actions (one unconfirmed, with its own words),
        a declaration, a dissent and a reservation, a decision, and a correction (added as a
        correction would: the meeting's agenda is published)."""
        with correcting(meeting):
            self._add_minutes(meeting, n, tag=tag)

    def _add_minutes(self, meeting: Meeting, n: int, *, tag: str) -> None:
        first, second, third = self.people
        start = meeting.items.count()
        for i in range(n):
            item = AgendaItem.objects.create(
                meeting=meeting,
                number=f"{40 + start + i}{tag}",
                position=100 + start + i,
                title=f"Item <{i}> & more",
                outcome=AgendaItem.Outcome.AGREED_WITH_RESERVATIONS,
                recommendation="To agree the <plan> & budget",
                approved_wording='The board "agreed" it',
            )
            paragraphs = [
                MinuteParagraph.objects.create(item=item, position=p, text=text)
                for p, text in enumerate(["Partners **discussed** <x> & y.", "Noted."], start=1)
            ]
            for j, (paragraph, confirmed, words) in enumerate(
                [
                    (paragraphs[0], True, ""),
                    (paragraphs[1], False, "To write <soon>"),
                    (None, True, ""),
                ]
            ):
                action = Action.objects.create(
                    meeting=meeting,
                    item=item,
                    paragraph=paragraph,
                    key=f"{meeting.key}-x{start + i}-{j}",
                    description="Do it",
                    minutes_text=words,
                    confirmed=confirmed,
                )
                ActionOwner.objects.create(action=action, person=first, position=1)
                ActionOwner.objects.create(action=action, role="Clerk & Co", position=2)
            Declaration.objects.create(
                item=item, person=second, interest="Trustee <of> X", withdrew=True
            )
            Declaration.objects.create(item=item, person=third, interest="None & all")
            Dissent.objects.create(item=item, person=first, text="Too <dear>")
            Dissent.objects.create(
                item=item, person=second, kind=Dissent.Kind.RESERVATION, text="Costs"
            )
            MinutesCorrection.objects.create(
                meeting=meeting,
                paragraph=paragraphs[0],
                before="Was <so>",
                after="Is",
                reason="Typo",
            )

    def test_the_items_are_written_as_the_template_loop_wrote_them_at_every_stage(self) -> None:
        self.add_minutes(self.may, 2)
        self.add_minutes(self.may, 1, tag=" b/c")  # a number reverse() quotes (or refuses)
        loop = engines["django"].from_string(TEMPLATE_LOOP)
        for status in Meeting.Status.values:
            meeting = Meeting.objects.select_related("body").get(pk=self.may.pk)
            meeting.status = status  # locked, writable or neither: the links change
            view = minutes_view(meeting)
            context = {"view": view, "meeting": meeting, "body": meeting.body}
            try:
                expected = loop.render(context)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    minutes_items(view, meeting, meeting.body)
                continue
            assert str(minutes_items(view, meeting, meeting.body)) == expected, status

    def test_the_items_are_written_as_the_template_loop_wrote_them_for_quoted_numbers(
        self,
    ) -> None:
        self.add_minutes(self.may, 1, tag=" b")  # reversed as 4x%20b
        loop = engines["django"].from_string(TEMPLATE_LOOP)
        for status in Meeting.Status.values:
            meeting = Meeting.objects.select_related("body").get(pk=self.may.pk)
            meeting.status = status
            view = minutes_view(meeting)
            context = {"view": view, "meeting": meeting, "body": meeting.body}
            written = str(minutes_items(view, meeting, meeting.body))
            assert written == loop.render(context), status

    def count(self, url: str) -> int:
        client = self.client_for(self.secretary)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def test_the_editors_queries_do_not_grow_with_items_paragraphs_and_actions(self) -> None:
        url = reverse("workspace:minutes", kwargs={"body": self.body.slug, "key": MAY})
        self.add_minutes(self.may, 1)
        before = self.count(url)
        self.add_minutes(self.may, 5)
        assert self.count(url) == before


def test_url_for_each_writes_what_reverse_writes() -> None:
    url = url_for_each("workspace:item_minutes", "number", body="prg", key="2019-05-01")
    for number in ["4", "10a", "4-b_c", "4 b", "é", "4.1", "9876543210"]:
        assert url(number) == reverse(
            "workspace:item_minutes", kwargs={"body": "prg", "key": "2019-05-01", "number": number}
        )
    with pytest.raises(NoReverseMatch):
        url("4/b")
    correct = url_for_each("workspace:correct", "pk", body="prg", key="2019-05-01")
    assert correct(17) == "/manage/prg/meetings/2019-05-01/minutes/paragraphs/17/correct/"
    # The slot's own digits elsewhere in the address: each value reversed.
    clash = url_for_each("workspace:correct", "pk", body="9876543210", key="9876543210")
    assert clash(5) == "/manage/9876543210/meetings/9876543210/minutes/paragraphs/5/correct/"
    action = url_for_each("workspace:action", "key", body="prg", meeting="2019-05-01")
    with pytest.raises(NoReverseMatch):
        action("not a slug")
