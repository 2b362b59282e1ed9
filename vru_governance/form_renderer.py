"""Form widgets rendered in Python: the same HTML as Django's widget templates, much faster.

Django renders every widget through a template, and every <option> of a select and every
radio button through one more: the attendance page's selects alone (twenty members, each
choosing from the agenda's items, and a list of every person) took most of a second.
`FastWidgetRenderer` builds the markup of the plain widgets here, character for character
what their templates in django/forms/templates/django/forms/widgets/ produce
(tests/site/test_form_renderer.py compares the two on every kind of widget and value), and hands
everything else, and any value it does not expect, to those templates.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
    )
}
INPUT_OPTIONS = {
    f"{WIDGETS}{name}.html" for name in ("input_option", "radio_option", "checkbox_option")
}
SELECT = f"{WIDGETS}select.html"
SELECT_OPTION = f"{WIDGETS}select_option.html"
TEXTAREA = f"{WIDGETS}textarea.html"


class _Unexpected(Exception):
    """A value the templates would render in a way this module does not copy."""


def escaped(text: Any) -> str:
    """django.utils.html.conditional_escape, without the lazy-string wrapper that doubles its
    cost: the same html.escape, and text that is already safe kept as it is (also for the
    workspace's rows written in Python, workspace_tags)."""
    if type(text) is str:
        return html.escape(text)
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _text(value: Any) -> str:
    """{{ value }} for text: escaped unless already safe (numbers, dates… are not copied)."""
    if isinstance(value, str | Promise):
        return escaped(value)
    raise _Unexpected


def _formatted(value: Any) -> str:
    """{{ value|stringformat:'s' }}: any value as text, escaped unless it was safe."""
    if type(value) is str:
        return html.escape(value)
    if type(value) is int:
        return str(value)  # digits and a minus sign: nothing to escape
    if callable(value):
        raise _Unexpected  # the template would call it
    text = stringformat(value, "s")
    return escaped(mark_safe(text) if isinstance(value, SafeData) else text)  # nosec B703, B308


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: True as a bare attribute, False left out."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: dict[str, Any]) -> str:
    if not widget.get("wrap_label"):
        return _input(widget)
    label_id = widget["attrs"].get("id")
    for_id = f' for="{_text(label_id)}"' if label_id else ""
    return f"<label{for_id}>{_input(widget)}\n {_text(widget['label'])}</label>"


def _select_option(widget: dict[str, Any]) -> str:
    return (
        f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>"
    )


def _select(widget: dict[str, Any]) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                raise _Unexpected
            out.append(f"\n  {_select_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict[str, Any]) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


_BUILDERS: dict[str, Callable[[dict[str, Any]], str]] = {
    **dict.fromkeys(INPUTS, _input),
    **dict.fromkeys(INPUT_OPTIONS, _input_option),
    SELECT: _select,
    SELECT_OPTION: _select_option,
    TEXTAREA: _textarea,
}


class FastWidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with the plain widgets built in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        build = _BUILDERS.get(template_name)
        widget = context.get("widget") if build is not None else None
        if isinstance(widget, dict):
            try:
                # The templates' output is stripped the same way (BaseRenderer.render).
                return build(widget).strip()
            except (_Unexpected, KeyError, TypeError, AttributeError):
                pass
        return super().render(template_name, context, request)
