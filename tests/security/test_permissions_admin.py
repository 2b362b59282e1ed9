"""The permission matrix of /admin/: two bodies and their secretaries, and 0 cells where the
secretary of one (A, the demo board "prg") reads or changes anything of the other (B, "other").

The rows are made from admin.site._registry, one test per registered model, so a model
registered later is in the matrix at once (and fails until board B has a record of it in
the world below). Each row asks, as A's secretary, for every record of B's of that model:
- the change list (and its filters): B's record is not listed, and nothing of B's is shown;
- the change form (GET and POST), the delete page (GET and POST), the history page and a
  historical version (GET and POST, which would revert): nothing shown, nothing changed;
- the add form: no choice offers a record of B's;
- the autocompletes: nothing of B's but people's names.
The POSTs carry the change form as B's own secretary sees it, with one text changed; B's
secretary then posts the same and must change the record, so A's refusal is a real one.

People are shared: a picker of people offers everyone by name (as the workspace's do, to
appoint another body's partner), but a person on B's records only (their e-mail address,
interests, history) is B's, as is every record whose body is B. Models outside the record
apps (accounts, sign-in attempts, second-factor devices) are a superuser's only.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import models
from django.test import Client, RequestFactory, TestCase
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, ActionOwner, ActionUpdate
from meetings.models import (
    AgendaItem,
    AlertSubscription,
    Attendance,
    Declaration,
    ForwardPlanItem,
    Meeting,
    MinuteParagraph,
)
from members.admin_scoping import ScopedAdmin, body_path
from members.models import Body, Interest, Person
from reports.models import Paper, StoredDocument
from tests.security.permissions_matrix import RECORD_APPS, records
from tests.world import DemoWorld, add_terms

# Texts only board B's records carry: none may reach A's secretary.
B_MARKERS = [
    "B-SECRET",
    "Other Partnership Board",
    "outsider@b.example",
]


def board_b_world(other: Body, outsider: User, other_secretary: User) -> None:
    """A record of board B's of every kind the admin shows (the demo holds board A's)."""
    chair = Person.objects.get(key="outsider-person")
    chair.email = "outsider@b.example"
    chair.save()
    Interest.objects.create(person=chair, description="B-SECRET interest: trustee")
    meeting = Meeting.objects.create(
        body=other,
        key="2030-05-01",
        date=dt.date(2030, 5, 1),
        start_time=dt.time(14, 0),
        place="B-SECRET place",
    )
    item = AgendaItem.objects.create(meeting=meeting, number="1", title="B-SECRET item", position=1)
    MinuteParagraph.objects.create(item=item, text="B-SECRET minute")
    Declaration.objects.create(item=item, person=chair, interest="B-SECRET declaration")
    Attendance.objects.create(meeting=meeting, person=chair, capacity="member")
    ForwardPlanItem.objects.create(body=other, title="B-SECRET plan", target_meeting=meeting)
    action = Action.objects.create(
        meeting=meeting, item=item, key="2030-05-01-1-1", description="B-SECRET action"
    )
    ActionOwner.objects.create(action=action, person=chair)
    ActionUpdate.objects.create(action=action, status="open", note="B-SECRET update")
    paper = Paper(
        item=item,
        key="b-paper",
        title="B-SECRET exempt paper",
        author="B-SECRET author",
        executive_summary="B-SECRET summary",
        classification=Paper.Classification.EXEMPT,
        exemption_section="s.43",
        exemption_reason="B-SECRET reason",
        exemption_review_on=dt.date(2031, 1, 1),
    )
    paper.save()
    add_terms(other, "2030-draft", dt.date(2030, 1, 1), status="draft")
    StoredDocument.objects.create(
        meeting=meeting,
        kind="agenda",
        file="documents/other/agenda-v1.pdf",
        sha256="0" * 64,
        size=1,
    )
    # A reader's e-mail alert for board B: the address is personal data, B's alone.
    AlertSubscription.objects.create(
        email="reader@b.example",
        body=other,
        kind="search",
        query="B-SECRET search",
        requested_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    # The accounts' own records: B's secretary's and partner's.
    TOTPDevice.objects.create(user=outsider, name="B-SECRET phone", confirmed=False)
    StaticDevice.objects.create(user=outsider, name="B-SECRET codes")
    sign_in = {"username": "other-secretary", "ip_address": "10.0.0.2", "user_agent": "B"}
    AccessAttempt.objects.create(**sign_in, failures_since_start=1)
    AccessLog.objects.create(**sign_in)
    AccessFailureLog.objects.create(**sign_in)


def records_of_b(model: type[models.Model], world: AdminMatrixTests) -> list[models.Model]:
    """Board B's records of a registered model (see the module's docstring)."""
    if model is Person:
        return [Person.objects.get(key="outsider-person")]
    if model is Interest:
        return list(Interest.objects.filter(person__key="outsider-person"))
    if model is User:
        return [world.other_secretary, world.outsider]
    if model is Group:
        return list(Group.objects.all())
    if model._meta.app_label in RECORD_APPS:
        path = body_path(model)
        assert path is not None, f"{model._meta.label}: how does it belong to a body?"
        return list(model._base_manager.filter(**{f"{path}__in": [world.other.pk]}))
    users = [world.other_secretary, world.outsider]
    if any(f.name == "user" for f in model._meta.concrete_fields):
        return list(model._base_manager.filter(user__in=users))
    return list(model._base_manager.filter(username="other-secretary"))


def form_data(response: Any) -> dict[str, Any]:
    """The change form (with its inlines) as the page filled it in, ready to post back."""
    all_forms: list[forms.BaseForm] = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        all_forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in all_forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif value is None:
                data[field.html_name] = ""
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)
    return data


def with_a_change(response: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The data with the form's first plain text field (of room enough) changed."""
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        roomy = (
            field.max_length is None or field.max_length >= 50
            if hasattr(field, "max_length")
            else False
        )
        if type(field) is forms.CharField and roomy and data.get(name):
            return {**data, name: f"{data[name]} (changed)"}
    return data


def text(response: Any) -> str:
    return response.content.decode("utf-8", errors="replace") if response.content else ""


class AdminMatrixTests(DemoWorld, TestCase):
    """One test per registered model (added below the class), and the checks around them."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        for user in (cls.secretary, cls.other_secretary):
            user.is_staff = True
            user.save()
        board_b_world(cls.other, cls.outsider, cls.other_secretary)

    def setUp(self) -> None:
        self.a = Client()
        self.a.force_login(self.secretary)
        self.b = Client()
        self.b.force_login(self.other_secretary)

    def check_model(self, model: type[models.Model]) -> None:
        model_admin = admin.site._registry[model]
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        theirs = records_of_b(model, self)
        assert theirs, f"add a record of board B's {opts.verbose_name} to board_b_world"
        scoped = isinstance(model_admin, ScopedAdmin)
        failures: list[str] = []

        def leaks(what: str, response: Any, allowed: tuple[int, ...]) -> None:
            if response.status_code not in allowed:
                failures.append(f"{what}: {response.status_code}, expected one of {allowed}")
            found = [m for m in B_MARKERS if m in text(response)]
            if found:
                failures.append(f"{what} shows {found}")

        def unchanged(what: str, post: Any) -> None:
            before = records()
            response = post()
            if response.status_code not in (302, 403, 404):
                failures.append(f"{what}: {response.status_code}")
            elif response.status_code == 302 and response.url != reverse("admin:index"):
                failures.append(f"{what} went on to {response.url}")
            if records() != before:
                failures.append(f"{what} changed the records")

        # The change list, its filters and its pop-up lookup list B's records not at all.
        for query in ("", "?_popup=1&_to_field=id", "?q=SECRET"):
            response = self.a.get(reverse(f"{name}_changelist") + query)
            leaks(f"the change list{query}", response, (200,) if scoped else (403,))
            if response.status_code == 200:
                listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
                shown = [o.pk for o in theirs if o.pk in listed]
                if shown:
                    failures.append(f"the change list{query} lists {shown}")

        # The add form offers none of B's records in any choice (people by name aside).
        if model_admin.has_add_permission(self._request(self.secretary)):
            response = self.a.get(reverse(f"{name}_add"))
            leaks("the add form", response, (200,))
            failures += self.choices_of_b(response)
        else:
            leaks("the add form", self.a.get(reverse(f"{name}_add")), (403,))

        for obj in theirs:
            editable = obj is theirs[-1]  # the newest (a draft where there are stages)
            change = reverse(f"{name}_change", args=[obj.pk])
            leaks(f"GET {change}", self.a.get(change), (302, 403, 404))
            seen = self.b.get(change) if scoped and editable else None
            data: dict[str, Any] = {}
            if seen is not None and seen.status_code == 200 and "adminform" in seen.context:
                data = with_a_change(seen, form_data(seen))
            unchanged(f"POST {change}", lambda c=change, d=data: self.a.post(c, d))
            if data and model_admin.has_change_permission(self._request(self.other_secretary), obj):
                # The same post by B's own secretary changes the record: the data is valid.
                before = records()
                response = self.b.post(change, data)
                if response.status_code != 302 or records() == before:
                    errors = response.context["adminform"].form.errors if response.context else ""
                    failures.append(f"B's own POST {change} changed nothing: {errors}")
            delete = reverse(f"{name}_delete", args=[obj.pk])
            leaks(f"GET {delete}", self.a.get(delete), (302, 403, 404))
            unchanged(f"POST {delete}", lambda d=delete: self.a.post(d, {"post": "yes"}))
            history = reverse(f"{name}_history", args=[obj.pk])
            leaks(f"GET {history}", self.a.get(history), (302, 403, 404))
            for version in self.versions(obj):
                try:
                    url = reverse(f"{name}_simple_history", args=[obj.pk, version])
                except NoReverseMatch:
                    break
                leaks(f"GET {url}", self.a.get(url), (403, 404))
                unchanged(f"POST {url}", lambda u=url, d=data: self.a.post(u, d))

        failures += self.autocompletes(model_admin)
        assert failures == [], "\n".join(failures)

    def _request(self, user: User) -> Any:
        request = RequestFactory().get("/admin/")
        request.user = user
        return request

    @staticmethod
    def versions(obj: models.Model) -> list[int]:
        history = getattr(type(obj), "history", None)
        if history is None:
            return []
        return list(history.filter(id=obj.pk).values_list("history_id", flat=True)[:1])

    def choices_of_b(self, response: Any) -> list[str]:
        """The choices of the add form (and its inlines) that offer a record of B's."""
        found = []
        all_forms = [response.context["adminform"].form]
        for inline in response.context["inline_admin_formsets"]:
            all_forms.append(inline.formset.empty_form)
        for form in all_forms:
            for field_name, field in form.fields.items():
                queryset = getattr(field, "queryset", None)
                # An inline's hidden id field: a posted id of another record's is taken for
                # a new row (Django's formsets look rows up through the parent).
                hidden = isinstance(field.widget, forms.HiddenInput)
                if queryset is None or hidden or queryset.model in (Person, User):
                    continue
                ours = {o.pk for o in records_of_b(queryset.model, self)}
                offered = set(queryset.values_list("pk", flat=True)) & ours
                if offered:
                    found.append(f"the add form's {field_name} offers B's {sorted(offered)}")
        return found

    def autocompletes(self, model_admin: admin.ModelAdmin) -> list[str]:
        """Every autocomplete of the model's admin and its inlines answers names only."""
        found = []
        admins = [model_admin, *model_admin.get_inline_instances(self._request(self.secretary))]
        for source in admins:
            for field_name in source.get_autocomplete_fields(self._request(self.secretary)):
                query = {
                    "app_label": source.model._meta.app_label,
                    "model_name": source.model._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                }
                response = self.a.get(reverse("admin:autocomplete"), query)
                if response.status_code != 200:
                    continue  # refused: nothing shown
                answer = json.loads(response.content)
                target = source.model._meta.get_field(field_name).related_model
                ours = {str(o.pk) for o in records_of_b(target, self)}
                if target is not Person and ours & {r["id"] for r in answer["results"]}:
                    found.append(f"the autocomplete of {field_name} offers B's records")
                leaked = [m for m in B_MARKERS if m in response.content.decode()]
                if leaked:
                    found.append(f"the autocomplete of {field_name} shows {leaked}")
        return found

    def test_every_admin_of_the_record_apps_is_scoped_to_the_users_bodies(self) -> None:
        unscoped = [
            model._meta.label
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in RECORD_APPS and not isinstance(model_admin, ScopedAdmin)
        ]
        assert unscoped == []

    def test_board_bs_own_secretary_sees_its_records_in_the_admin(self) -> None:
        page = text(self.b.get(reverse("admin:reports_paper_changelist")))
        assert "B-SECRET exempt paper" in page
        page = text(self.b.get(reverse("admin:meetings_meeting_changelist")))
        assert "Other Partnership Board" in page and "City Hall" not in page

    def test_the_body_filter_offers_only_the_secretarys_own_bodies(self) -> None:
        page = text(self.a.get(reverse("admin:meetings_meeting_changelist")))
        assert "Partnership Reference Group" in page
        assert "Other Partnership Board" not in page


def row_test(model: type[models.Model]) -> Any:
    def test(self: AdminMatrixTests) -> None:
        self.check_model(model)

    return test


for _model in admin.site._registry:
    _test = row_test(_model)
    _test.__name__ = (
        f"test_{_model._meta.app_label}_{_model._meta.model_name}_of_board_b_is_not_for_a"
    )
    _test.__doc__ = f"/admin/{_model._meta.app_label}/{_model._meta.model_name}/"
    setattr(AdminMatrixTests, _test.__name__, _test)
