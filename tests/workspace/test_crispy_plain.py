"""`crispy_plain` draws the minutes editor's small forms exactly as `|crispy` does."""

from __future__ import annotations

import datetime as dt

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms

from vru_governance.partners.forms import ActionUpdateForm, InterestForm
from vru_governance.workspace.forms.minutes import ClosingTimeForm, StepDateForm
from vru_governance.workspace.templatetags import workspace_tags
from vru_governance.workspace.templatetags.workspace_tags import crispy_plain


class _Mixed(forms.Form):
    name = forms.CharField(label="Name & role", help_text="As <em>printed</em>")
    count = forms.IntegerField(required=False)
    code = forms.CharField(widget=forms.HiddenInput, initial="x")


class _SelectAndText(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("c", "C")], required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "mono"}))


class _Checkbox(forms.Form):
    agree = forms.BooleanField()


def _same(make) -> None:
    assert str(crispy_plain(make())) == str(as_crispy_form(make()))


def test_it_draws_the_closing_time_form_as_crispy_does() -> None:
    _same(lambda: ClosingTimeForm(initial={"end_time": dt.time(16, 30), "version": 3}))
    _same(lambda: ClosingTimeForm(initial={"end_time": None, "version": 0}))
    _same(lambda: ClosingTimeForm({"end_time": "16:30", "version": "1"}))


def test_it_draws_the_step_date_forms_as_crispy_does() -> None:
    _same(lambda: StepDateForm(prefix="circulate", label="The minutes were circulated on"))
    _same(lambda: StepDateForm(prefix="publish", label="Published <on> & by", required=True))


def test_it_draws_labels_help_text_and_hidden_fields_as_crispy_does() -> None:
    _same(lambda: _Mixed())
    _same(lambda: _Mixed(prefix="p", initial={"name": 'O\'Neil "Jo"', "count": 3}))


def test_it_draws_selects_and_text_areas_as_crispy_does() -> None:
    _same(lambda: _SelectAndText())
    # Crispy takes the spaces out between tags in the text too; so does crispy_plain.
    _same(lambda: _SelectAndText(initial={"kind": "c", "text": "a <b>    </b>\n\n   <i>"}))
    _same(lambda: ActionUpdateForm(prefix="action-7", initial={"status": "open", "version": 2}))
    _same(lambda: InterestForm(prefix="interest"))


def test_a_form_with_errors_or_a_checkbox_is_left_to_crispy() -> None:
    _same(lambda: _Mixed({"name": "", "count": "x"}))
    _same(lambda: ClosingTimeForm({"end_time": "25:99", "version": "1"}))
    _same(lambda: _Checkbox())
    assert 'class="invalid-feedback"' in str(crispy_plain(_Mixed({"name": ""})))


def test_the_plain_forms_are_drawn_without_crispy(monkeypatch) -> None:
    def refuse(form: forms.Form) -> str:
        raise AssertionError(f"{type(form).__name__} went to crispy")

    monkeypatch.setattr(workspace_tags, "as_crispy_form", refuse)
    for form in (
        ClosingTimeForm(initial={"version": 1}),
        StepDateForm(prefix="publish", label="Published on"),
        _Mixed(),
        _SelectAndText(),
        ActionUpdateForm(prefix="action-7"),
        InterestForm(prefix="interest"),
    ):
        assert 'class="mb-3"' in crispy_plain(form)
