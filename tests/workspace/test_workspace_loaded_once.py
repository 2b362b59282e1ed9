"""The workspace pages read each record once: quorum from the records a page has loaded, the
attendance rows' choices set up once for the page, the people's selects read as names; and an
app server compiles the templates before its first request."""

from __future__ import annotations

from django.template import engines
from django.test import SimpleTestCase, TestCase

from meetings.lock_scope import recording_history
from meetings.models import Attendance, Declaration, Meeting, compute_quorum
from members.models import Person
from tests.world import DemoWorld
from vru_governance.warmup import _templates, warm_up
from vru_governance.workspace.forms.attendance import AttendeeForm, MemberAttendanceForm


class LoadedOnceTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")

    def test_quorum_from_records_a_page_loaded_is_the_quorum_from_the_database(self) -> None:
        items = list(self.march.items.all())
        member = self.march.attendance.filter(capacity="member").first().person
        # A member who withdrew for an item does not count for it (a record of the past).
        with recording_history():
            Declaration.objects.create(
                item=items[3], person=member, interest="Trustee", withdrew=True
            )
        loaded = Meeting.objects.select_related("body").get(pk=self.march.pk)
        records = {
            "items": list(loaded.items.prefetch_related("declarations")),
            "appointments": list(loaded.body.appointments_on(loaded.date)),
            "attendance": list(loaded.attendance.all()),
        }
        loaded.terms()
        with self.assertNumQueries(0):
            given = compute_quorum(loaded, **records)
        assert given == compute_quorum(Meeting.objects.get(pk=self.march.pk))
        assert str(member.pk) in given.items[2].counted
        assert str(member.pk) not in given.items[3].counted

    def test_the_rows_form_class_takes_the_meetings_item_numbers_and_refuses_others(
        self,
    ) -> None:
        items = list(self.march.items.all())
        form_class = MemberAttendanceForm.for_items(items)
        form = form_class({"m1-state": "present", "m1-from_item": items[1].number}, prefix="m1")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["from_item"] == items[1]
        typed = form_class({"m1-state": "present", "m1-to_item": " ITEM  8c "}, prefix="m1")
        assert typed.is_valid() and typed.cleaned_data["to_item"].number == "8c"
        refused = form_class({"m1-state": "present", "m1-from_item": "99"}, prefix="m1")
        assert not refused.is_valid() and "from_item" in refused.errors
        # A text box tied to one list of the numbers for the page: no options on the row.
        html = str(form["to_item"])
        assert 'list="item-numbers"' in html and "<option" not in html
        # The class set up for one meeting leaves the form itself as it was.
        assert MemberAttendanceForm.base_fields["from_item"].items == {}

    def test_the_attendee_form_offers_the_items_from_the_start_to_the_close(self) -> None:
        items = list(self.march.items.all())
        members = [a.person for a in self.march.body.appointments_on(self.march.date)]
        form = AttendeeForm(meeting=self.march, members=members, items=items)
        numbers = [f"Item {i.number}" for i in items]
        assert [label for _, label in form.fields["from_item"].choices] == ["the start", *numbers]
        assert [label for _, label in form.fields["to_item"].choices] == ["the close", *numbers]

    def test_the_people_selects_list_names_in_order_and_check_what_is_posted(self) -> None:
        items = list(self.march.items.all())
        members = [a.person for a in self.march.body.appointments_on(self.march.date)]
        form = AttendeeForm(meeting=self.march, members=members, items=items, prefix="a")
        people = list(Person.objects.order_by("name").values_list("pk", "name"))
        assert list(form.fields["person"].choices) == [("", "---------"), *people]
        html = str(form["person"])
        assert html.count("<option") == len(people) + 1
        assert f'<option value="{people[0][0]}">{people[0][1]}</option>' in html
        outsider = Person.objects.get(key="outsider-person")
        posted = AttendeeForm(
            {
                "a-capacity": Attendance.Capacity.SUBSTITUTE,
                "a-person": str(outsider.pk),
                "a-on_behalf_of": str(outsider.pk),  # not a member of this meeting's body
            },
            meeting=self.march,
            members=members,
            items=items,
            prefix="a",
        )
        assert not posted.is_valid() and "on_behalf_of" in posted.errors

    def test_each_people_select_is_read_once_however_often_it_is_drawn(self) -> None:
        members = [a.person for a in self.march.body.appointments_on(self.march.date)]
        form = AttendeeForm(meeting=self.march, members=members, items=[], prefix="a")
        with self.assertNumQueries(2):
            first = (str(form["person"]), str(form["on_behalf_of"]))
        with self.assertNumQueries(0):
            assert (str(form["person"]), str(form["on_behalf_of"])) == first


class WarmUpTests(SimpleTestCase):
    def test_every_template_of_the_project_compiles_before_the_first_request(self) -> None:
        names = _templates()
        assert "workspace/meetings/attendance.html" in names
        assert "partners/dashboard.html" in names
        assert "bootstrap5/field.html" in names  # the crispy pack the forms are drawn with
        assert not [n for n in names if n.startswith("admin/")]
        assert warm_up() == len(names)
        engine = engines["django"].engine
        # Compiled templates are kept (the cached loader), which is what makes warming worth it.
        assert engine.get_template("public/search.html") is engine.get_template(
            "public/search.html"
        )
