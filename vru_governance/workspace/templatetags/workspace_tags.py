"""Template helpers of the secretary's workspace: Markdown and the form error summary."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from reports.markdown import render_markdown

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
