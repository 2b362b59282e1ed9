"""Template helpers of the secretary's workspace: Markdown, the form error summary and the
attendance grid's rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms, template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reports.markdown import render_markdown
from vru_governance.form_renderer import escaped

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Minutes and papers are Markdown, rendered and sanitised by reports/markdown.py."""
    return render_markdown(text)


def _form_errors(form: forms.BaseForm) -> list[tuple[str, str]]:
    rows = [("", str(e)) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form.fields.get(name)
        anchor = form[name].auto_id if field is not None else ""
        label = str(field.label or name.replace("_", " ").capitalize()) if field else name
        rows += [(f"#{anchor}" if anchor else "", f"{label}: {e}") for e in errors]
    return rows


@register.inclusion_tag("workspace/partials/error_summary.html")
def error_summary(*forms_: Any, extra: Any = None) -> dict[str, Any]:
    """One list, at the top of the page, of every error of the page's forms (with links)."""
    rows: list[tuple[str, str]] = []
    for form in forms_:
        if not isinstance(form, (forms.BaseForm, forms.BaseFormSet)):
            continue  # a form the page does not have (an empty template variable)
        if isinstance(form, forms.BaseFormSet):
            rows += [("", str(e)) for e in form.non_form_errors()]
            for sub in form.forms:
                rows += _form_errors(sub)
        else:
            rows += _form_errors(form)
    if extra:
        rows += [("", str(e)) for e in extra]
    return {"rows": rows}


# How crispy's label ends, for a required field and another (constant markup).
_REQUIRED_LABEL_END = SafeString('<span class="asteriskField">*</span> </label> ')
_LABEL_END = SafeString("\n            </label> ")

# The widgets `crispy_plain` draws itself, with the class crispy's field template gives each
# (no checkbox, radio, file, multiple select or multi-widget: those go to crispy).
_PLAIN_WIDGETS = {
    **dict.fromkeys(
        (
            forms.TextInput,
            forms.NumberInput,
            forms.EmailInput,
            forms.URLInput,
            forms.DateInput,
            forms.TimeInput,
            forms.DateTimeInput,
            forms.Textarea,
        ),
        "form-control",
    ),
    forms.Select: "form-select",
}


def _plain(field: forms.BoundField) -> bool:
    return field.is_hidden or (
        type(field.field.widget) in _PLAIN_WIDGETS and bool(field.id_for_label)
    )


@register.filter
def crispy_plain(form: forms.Form) -> SafeString:
    """`form|crispy` (bootstrap5), character for character, for a form without errors whose
    fields are hidden, text-like inputs, text areas or single selects: written out here
    instead of through crispy's field template (0.5 ms a form, 0.07 ms here). Any other form
    goes to crispy itself."""
    fields = list(form)
    if form.errors or not all(_plain(f) for f in fields):
        return as_crispy_form(form)
    parts = []
    for field in fields:
        if field.is_hidden:
            parts.append(str(field))
            continue
        widget = field.field.widget
        # What crispy_field does: the widget's class name, then Bootstrap's class.
        name = type(widget).__name__.lower()
        css = widget.attrs.get("class", "")
        css = (css + f" {name}" if name not in css else css) if css else name
        bootstrap = _PLAIN_WIDGETS[type(widget)]
        if bootstrap not in css.split():
            css += f" {bootstrap}"
        widget.attrs["class"] = css
        required = field.field.required
        label = ""
        if field.label:
            # crispy's whitespace as its spaceless tag leaves it.
            label = format_html(
                '<label\n                for="{}" class="form-label{}">\n                {}{}',
                field.id_for_label,
                " requiredField" if required else "",
                field.label,
                _REQUIRED_LABEL_END if required else _LABEL_END,
            )
        help_text = ""
        if field.help_text:
            help_text = format_html(
                ' <div {}class="form-text">{}</div>',
                format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
                mark_safe(field.help_text),  # nosec B703, B308: as crispy's |safe
            )
        css_classes = field.css_classes()
        parts.append(
            format_html(
                '<div id="div_{}" class="mb-3{}"> {}{}{} </div>',
                field.auto_id,
                f" {css_classes}" if css_classes else "",
                label,
                str(field),
                help_text,
            )
        )
    # crispy's spaceless pass, over the same markup (a select's options, a text area's text).
    return mark_safe("\n\n" + remove_spaces(" ".join(parts)) + "\n")  # nosec B703, B308


def _format_html_join(format_string: str, args_generator: Iterable[Iterable[Any]]) -> SafeString:
    """format_html_join("", ...), the same characters: each argument escaped unless safe."""
    return mark_safe(  # nosec B703, B308: every argument escaped (form_renderer)
        "".join(format_string.format(*map(escaped, args)) for args in args_generator)
    )


@register.filter
def inline_radios(field: forms.BoundField) -> SafeString:
    """A radio field's choices as Bootstrap's inline checks, each input drawn by its widget:
    the attendance grid's twenty rows of four, without a template loop for each choice."""
    return _format_html_join(
        '<span class="form-check form-check-inline">{}<label class="form-check-label" '
        'for="{}">{}</label></span>',
        ((choice.tag(), choice.id_for_label, choice.choice_label) for choice in field),
    )


def field_errors(form: forms.BaseForm) -> SafeString:
    """Each field's errors on a line of their own, named by the field's label."""
    if not form.errors:
        return SafeString("")
    return _format_html_join(
        '<div class="text-danger small">{}: {}</div>',
        ((field.label, error) for field in form for error in field.errors),
    )


# A member's row of the attendance grid (the page's loop wrote these characters).
_MEMBER_ROW = (
    '\n    <tr data-person="{}">\n      <th scope="row" class="fw-normal">{}\n'
    '        <div class="small text-body-secondary">{}{}</div>\n        {}</th>\n'
    '      <td><fieldset><legend class="visually-hidden">Attendance of {}</legend>\n'
    "        {}\n      </fieldset></td>\n"
    '      <td><label class="visually-hidden" for="{}">{} arrived at item</label>{}</td>\n'
    '      <td><label class="visually-hidden" for="{}">{} left after item</label>{}</td>\n'
    "    </tr>\n  "
)


@register.filter
def member_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The attendance grid's member rows, written out here rather than by a template loop of
    a dozen lookups each, twenty times a page; each input is still drawn by its widget."""
    return _format_html_join(_MEMBER_ROW, (_member_row(row) for row in rows))


def _member_row(row: dict[str, Any]) -> tuple[Any, ...]:
    form, name = row["form"], row["name"]
    arrived, left = form["from_item"], form["to_item"]
    return (
        row["appointment"].person.key,
        name,
        row["sector"],
        _format_html_join("; substitute: {}", ((s.person.name,) for s in row["substitutes"])),
        field_errors(form),
        name,
        inline_radios(form["state"]),
        arrived.id_for_label,
        name,
        arrived,
        left.id_for_label,
        name,
        left,
    )


# A substitute's or a person in attendance's row of the grid, then a blank row for someone new.
_RECORDED_ROW = (
    '\n  <tr data-attendee="{}"><th scope="row" class="fw-normal">{}{}\n      {}</th>\n'
    '    <td><label class="visually-hidden" for="{}">{} on behalf of</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">{} remote</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">{} arrived at item</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">{} left after item</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">Remove {}</label>{}\n'
    '      <a class="small ms-1" href="{}">Edit<span class="visually-hidden"> {} on its own page'
    "</span></a></td></tr>\n  "
)
_NEW_ROW = (
    '\n  <tr class="new-attendee"><td>{}\n'
    '      <label class="visually-hidden" for="{}">New person {}: name</label>{}\n'
    '      <label class="visually-hidden" for="{}">New person {}: role</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">New person {}: on behalf of</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">New person {}: remote</label>{}</td>\n'
    '    <td><label class="visually-hidden" for="{}">New person {}: arrived at item</label>{}'
    "</td>\n"
    '    <td><label class="visually-hidden" for="{}">New person {}: left after item</label>{}'
    "</td>\n    <td></td></tr>\n  "
)


def _labelled(form: forms.BaseForm, names: tuple[str, ...], who: Any) -> list[Any]:
    """For each field: its input's id, who the hidden label names, and the input."""
    cells: list[Any] = []
    for name in names:
        field = form[name]
        cells += [field.id_for_label, who, field]
    return cells


@register.filter
def recorded_rows(forms_: list[forms.Form], meeting: Any) -> SafeString:
    """The grid's rows of the substitutes and people in attendance recorded (their forms)."""
    slug, key = meeting.body.slug, meeting.key
    return _format_html_join(
        _RECORDED_ROW,
        (
            (
                form.record.person.key,
                form.record.person.name,
                _role(form.record.person.role),
                field_errors(form),
                *_labelled(
                    form,
                    ("on_behalf_of", "remote", "from_item", "to_item", "remove"),
                    form.record.person.name,
                ),
                reverse(
                    "workspace:attendee", kwargs={"body": slug, "key": key, "pk": form.record.pk}
                ),
                form.record.person.name,
            )
            for form in forms_
        ),
    )


def _role(role: str) -> SafeString:
    if not role:
        return SafeString("")
    return format_html('<div class="small text-body-secondary">{}</div>', role)


@register.filter
def new_rows(forms_: list[forms.Form]) -> SafeString:
    """The grid's blank rows for someone new, numbered from 1."""
    return _format_html_join(
        _NEW_ROW,
        (
            (
                field_errors(form),
                *_labelled(
                    form, ("name", "role", "on_behalf_of", "remote", "from_item", "to_item"), n
                ),
            )
            for n, form in enumerate(forms_, 1)
        ),
    )
