"""The widgets FastWidgetRenderer builds in Python are the HTML Django's templates make."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from vru_governance.form_renderer import FastWidgetRenderer

TEMPLATES = DjangoTemplates()
FAST = FastWidgetRenderer()


class NoTemplates(FastWidgetRenderer):
    """Fails where the fast renderer would hand over to a template."""

    def get_template(self, template_name: str) -> Any:
        raise AssertionError(f"{template_name} was rendered by its template")


NO_TEMPLATES = NoTemplates()

NASTY = 'Ada <b>"Lovelace"</b> & O\'Brien'
VALUES: list[Any] = [None, "", "plain", NASTY, mark_safe("<i>safe</i>"), 0, 42, 3.5, ("a", 1)]
ATTRS: list[dict[str, Any]] = [
    {},
    {"id": "id_x", "class": "form-control", "required": True},
    {"disabled": True, "readonly": False, "placeholder": NASTY, "data-n": 7, "aria-x": None},
    {"title": mark_safe("<em>kept</em>"), "maxlength": "300"},
]
CHOICES = [
    ("", "---------"),
    ("a", "Apple"),
    (1, NASTY),
    ("lazy", gettext_lazy("Lazy label")),
    ("Fruit", [("p", "Pear"), ("q", mark_safe("<b>Quince</b>"))]),
]
WIDGETS: list[forms.Widget] = [
    forms.TextInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(format="%Y-%m-%d"),
    forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    forms.TimeInput(format="%H:%M"),
    forms.DateTimeInput(),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 2}),
    forms.Select(choices=CHOICES),
    forms.Select(choices=CHOICES[:4]),
    forms.RadioSelect(choices=CHOICES[:4]),
    forms.CheckboxSelectMultiple(choices=CHOICES[:4]),
    forms.SelectMultiple(choices=CHOICES),
    forms.NullBooleanSelect(),
    forms.SelectDateWidget(years=[2019, 2020]),
]


def rendered(widget: forms.Widget, value: Any, attrs: dict[str, Any], renderer: Any) -> str:
    try:
        return widget.render("field", value, attrs, renderer=renderer)
    except Exception as exc:  # a value the widget itself refuses, with either renderer
        return f"refused: {type(exc).__name__}"


def both(widget: forms.Widget, value: Any, attrs: dict[str, Any]) -> tuple[str, str]:
    return rendered(widget, value, attrs, FAST), rendered(widget, value, attrs, TEMPLATES)


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
def test_every_widget_renders_as_its_template_does_for_any_value_and_attributes(
    widget: forms.Widget,
) -> None:
    values = [*VALUES, dt.date(2019, 3, 6), ["a", "p"], "a", 1, True, False]
    for value in values:
        for attrs in ATTRS:
            fast, template = both(widget, value, attrs)
            assert fast == template, (value, attrs)


def test_each_radio_button_and_option_renders_as_its_template_does() -> None:
    field = forms.ChoiceField(choices=CHOICES[1:4], widget=forms.RadioSelect)

    class Form(forms.Form):
        choice = field

    fast_form = Form({"choice": "a"}, renderer=FAST)
    template_form = Form({"choice": "a"}, renderer=TEMPLATES)
    fast = [(c.tag(), c.tag(wrap_label=True), str(c)) for c in fast_form["choice"]]
    template = [(c.tag(), c.tag(wrap_label=True), str(c)) for c in template_form["choice"]]
    assert fast == template
    assert (
        fast[0][0]
        == '<input type="radio" name="choice" value="a" id="id_choice_0" required checked>'
    )
    built = [c.tag(wrap_label=True) for c in Form({"choice": "a"}, renderer=NO_TEMPLATES)["choice"]]
    assert built == [labelled for _, labelled, _ in template]


@pytest.mark.parametrize(
    "widget",
    [w for w in WIDGETS if not isinstance(w, forms.RadioSelect | forms.SelectDateWidget)],
    ids=lambda w: type(w).__name__,
)
def test_the_plain_widgets_are_built_without_their_templates(widget: forms.Widget) -> None:
    for value in (None, "", "plain", NASTY, "a", 42):
        for attrs in ATTRS:
            assert widget.render("field", value, attrs, renderer=NO_TEMPLATES)


def test_a_select_of_model_choices_renders_as_its_template_does(db: None) -> None:
    from members.models import Body

    Body.objects.create(slug="prg", name=NASTY)
    Body.objects.create(slug="other", name="Other board")
    field = forms.ModelChoiceField(queryset=Body.objects.order_by("slug"), required=False)
    for value in (None, "", Body.objects.get(slug="prg").pk):
        fast = field.widget.render("body", value, {"id": "id_body"}, renderer=FAST)
        template = field.widget.render("body", value, {"id": "id_body"}, renderer=TEMPLATES)
        assert fast == template
        assert "Ada &lt;b&gt;&quot;Lovelace&quot;&lt;/b&gt; &amp; O&#x27;Brien" in fast


def test_the_project_uses_the_fast_renderer() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgetRenderer)
