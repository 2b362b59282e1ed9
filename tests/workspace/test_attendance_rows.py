"""The attendance grid's rows, written out by member_rows, recorded_rows and new_rows, are the
characters the page's template loops wrote, unbound and with errors; and the page's queries do
not grow with arrivals and departures recorded."""

from __future__ import annotations

from django.db import connection
from django.template import Context, Template
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils.functional import lazy
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from meetings.models import Meeting
from members.models import Person
from tests.workspace.test_workspace_attendance import JUNE, states
from tests.world import DemoWorld
from vru_governance.workspace import attendance as view
from vru_governance.workspace.templatetags.workspace_tags import _format_html_join

# The loops the page had before the filters, character for character.
MEMBER_LOOP = Template(
    "{% load workspace_tags %}{% for row in rows %}\n"
    '    <tr data-person="{{ row.appointment.person.key }}">\n'
    '      <th scope="row" class="fw-normal">{{ row.appointment.person.name }}\n'
    '        <div class="small text-body-secondary">{{ row.seat.get_sector_display|default:'
    "row.appointment.seat_key }}{% for s in row.substitutes %}; substitute: {{ s.person.name }}"
    "{% endfor %}</div>\n"
    "        {% if row.form.errors %}{% for field in row.form %}{% for error in field.errors %}"
    '<div class="text-danger small">{{ field.label }}: {{ error }}</div>{% endfor %}{% endfor %}'
    "{% endif %}</th>\n"
    '      <td><fieldset><legend class="visually-hidden">Attendance of '
    "{{ row.appointment.person.name }}</legend>\n"
    "        {{ row.form.state|inline_radios }}\n"
    "      </fieldset></td>\n"
    '      <td><label class="visually-hidden" for="{{ row.form.from_item.id_for_label }}">'
    "{{ row.appointment.person.name }} arrived at item</label>{{ row.form.from_item }}</td>\n"
    '      <td><label class="visually-hidden" for="{{ row.form.to_item.id_for_label }}">'
    "{{ row.appointment.person.name }} left after item</label>{{ row.form.to_item }}</td>\n"
    "    </tr>\n  {% endfor %}"
)
ERRORS = (
    "{% if o.errors %}{% for field in o %}{% for error in field.errors %}"
    '<div class="text-danger small">{{ field.label }}: {{ error }}</div>{% endfor %}{% endfor %}'
    "{% endif %}"
)
RECORDED_LOOP = Template(
    "{% for o in recorded_others %}{% with a=o.record %}\n"
    '  <tr data-attendee="{{ a.person.key }}"><th scope="row" class="fw-normal">'
    "{{ a.person.name }}{% if a.person.role %}"
    '<div class="small text-body-secondary">{{ a.person.role }}</div>{% endif %}\n'
    f"      {ERRORS}</th>\n"
    '    <td><label class="visually-hidden" for="{{ o.on_behalf_of.id_for_label }}">'
    "{{ a.person.name }} on behalf of</label>{{ o.on_behalf_of }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.remote.id_for_label }}">'
    "{{ a.person.name }} remote</label>{{ o.remote }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.from_item.id_for_label }}">'
    "{{ a.person.name }} arrived at item</label>{{ o.from_item }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.to_item.id_for_label }}">'
    "{{ a.person.name }} left after item</label>{{ o.to_item }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.remove.id_for_label }}">'
    "Remove {{ a.person.name }}</label>{{ o.remove }}\n"
    '      <a class="small ms-1" href="{% url \'workspace:attendee\' body=body.slug '
    'key=meeting.key pk=a.pk %}">Edit<span class="visually-hidden"> {{ a.person.name }} on its '
    "own page</span></a></td></tr>\n  {% endwith %}{% endfor %}"
)
NEW_LOOP = Template(
    "{% for o in new_others %}\n"
    f'  <tr class="new-attendee"><td>{ERRORS}\n'
    '      <label class="visually-hidden" for="{{ o.name.id_for_label }}">New person '
    "{{ forloop.counter }}: name</label>{{ o.name }}\n"
    '      <label class="visually-hidden" for="{{ o.role.id_for_label }}">New person '
    "{{ forloop.counter }}: role</label>{{ o.role }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.on_behalf_of.id_for_label }}">New person '
    "{{ forloop.counter }}: on behalf of</label>{{ o.on_behalf_of }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.remote.id_for_label }}">New person '
    "{{ forloop.counter }}: remote</label>{{ o.remote }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.from_item.id_for_label }}">New person '
    "{{ forloop.counter }}: arrived at item</label>{{ o.from_item }}</td>\n"
    '    <td><label class="visually-hidden" for="{{ o.to_item.id_for_label }}">New person '
    "{{ forloop.counter }}: left after item</label>{{ o.to_item }}</td>\n"
    "    <td></td></tr>\n  {% endfor %}"
)
ROWS = Template(
    "{% load workspace_tags %}{{ rows|member_rows }}|{{ recorded_others|recorded_rows:meeting }}"
    "|{{ new_others|new_rows }}"
)


def test_the_rows_escape_as_format_html_join_does() -> None:
    lazy_text = lazy(lambda: "<lazy & co>", str)()
    rows = [("<b>", mark_safe("<i>safe</i>")), (lazy_text, 3), ("\"quoted\" 'and'", None)]
    assert _format_html_join("{}|{}", rows) == format_html_join("", "{}|{}", rows)


class AttendanceRowsTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.june = Meeting.objects.get(body=cls.body, key="2019-06-12")
        # Names and roles with characters to escape, on a member's and an attendee's rows.
        Person.objects.filter(key="sadiq-khan").update(name='Sadiq <Khan> & "co"')
        Person.objects.filter(key="lynne-abrams").update(role="Director <R&D>")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def record_others(self) -> None:
        data = states(self.june, yvonne_doyle="apologies")
        data.update({"n0-name": "Vicky Hobart", "n0-on_behalf_of": "Professor Yvonne Doyle"})
        data.update({"n1-name": "Lynne Abrams", "n1-from_item": "2", "n1-to_item": "5"})
        assert self.client.post(JUNE, data).status_code == 302

    def assert_rows_as_the_loops_drew_them(self, data: dict[str, str] | None) -> None:
        meeting = Meeting.objects.get(pk=self.june.pk)
        loaded = view._records(meeting)
        rows = view._rows(meeting, loaded, data)
        others = view._other_forms(meeting, rows, loaded, data)
        context = Context(
            {
                "rows": rows,
                "recorded_others": [o for o in others if o.record is not None],
                "new_others": [o for o in others if o.record is None],
                "body": meeting.body,
                "meeting": meeting,
            }
        )
        expected = "|".join(loop.render(context) for loop in (MEMBER_LOOP, RECORDED_LOOP, NEW_LOOP))
        assert ROWS.render(context) == expected

    def test_the_rows_are_the_characters_the_loops_wrote(self) -> None:
        self.record_others()
        self.assert_rows_as_the_loops_drew_them(None)

    def test_rows_with_errors_are_the_characters_the_loops_wrote(self) -> None:
        self.record_others()
        khan = Person.objects.get(key="sadiq-khan").pk
        hobart = self.june.attendance.get(person__key="vicky-hobart").pk
        data = states(self.june)
        data.update({f"m{khan}-from_item": "<99>", f"m{khan}-to_item": "zz"})
        data.update({f"o{hobart}-on_behalf_of": "Nobody & co", f"o{hobart}-to_item": "42"})
        data.update({"n2-on_behalf_of": "<Someone>", "n3-name": "New & <One>"})
        page = self.client.post(JUNE, data).content.decode()
        assert "There is no item &lt;99&gt; on this agenda" in page
        assert "Nobody &amp; co is not a member on the meeting date" in page
        self.assert_rows_as_the_loops_drew_them(data)

    def test_arrivals_and_departures_add_no_query(self) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(JUNE).status_code == 200
            return len(ctx.captured_queries)

        self.client.post(JUNE, states(self.june))
        self.record_others()
        few = count()
        # Arrivals and departures on members' and substitutes' rows: their items come from the
        # meeting's items already read, not a query (or a join) for each.
        data = states(self.june, yvonne_doyle="apologies")
        for person in Person.objects.filter(key__in=["sadiq-khan", "ben-lindsay", "jas-athwal"]):
            data.update({f"m{person.pk}-from_item": "2", f"m{person.pk}-to_item": "6"})
        for record in self.june.attendance.filter(capacity__in=["substitute", "in_attendance"]):
            data.update({f"o{record.pk}-from_item": "3", f"o{record.pk}-to_item": "4"})
        data.update({"n0-name": "Mike Sheridan", "n0-from_item": "1"})
        assert self.client.post(JUNE, data).status_code == 302
        page = self.client.get(JUNE).content.decode()
        assert page.count('value="2"') >= 3 and page.count('value="3"') >= 2
        assert count() == few
