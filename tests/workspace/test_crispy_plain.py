"""`crispy_plain` draws the minutes editor's small forms exactly as `|crispy` does."""

from __future__ import annotations

import datetime as dt

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms

from vru_governance.workspace.forms.minutes import ClosingTimeForm, StepDateForm
from vru_governance.workspace.templatetags.workspace_tags import crispy_plain


class _Mixed(forms.Form):
    name = forms.CharField(label="Name & role", help_text="As <em>printed</em>")
    count = forms.IntegerField(required=False)
    code = forms.CharField(widget=forms.HiddenInput, initial="x")


class _WithSelect(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A")])


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


def test_a_form_with_errors_or_a_select_is_left_to_crispy() -> None:
    _same(lambda: _Mixed({"name": "", "count": "x"}))
    _same(lambda: ClosingTimeForm({"end_time": "25:99", "version": "1"}))
    _same(lambda: _WithSelect())
    assert 'class="invalid-feedback"' in str(crispy_plain(_Mixed({"name": ""})))
