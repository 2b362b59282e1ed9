"""`inline_radios` draws a radio field's choices as the attendance grid's template loop did."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from vru_governance.workspace.templatetags.workspace_tags import inline_radios

LOOP = Template(
    '{% for choice in field %}<span class="form-check form-check-inline">{{ choice.tag }}'
    '<label class="form-check-label" for="{{ choice.id_for_label }}">{{ choice.choice_label }}'
    "</label></span>{% endfor %}"
)


class _State(forms.Form):
    state = forms.ChoiceField(
        choices=[("present", "Present"), ("odd", '<Odd> & "quoted"')], widget=forms.RadioSelect
    )


def test_it_draws_the_choices_as_the_template_loop_did() -> None:
    for form in (_State(prefix="m4"), _State(prefix="m5", initial={"state": "odd"})):
        expected = LOOP.render(Context({"field": form["state"]}))
        assert str(inline_radios(form["state"])) == expected
        assert "&lt;Odd&gt; &amp; &quot;quoted&quot;" in expected
