"""Work an app server does once, at start, rather than in the first requests it serves.

Django compiles each template, and fills the URL resolver's tables, on first use: tens of
milliseconds each time a worker first shows a page, paid by whichever reader comes first
(the slowest requests of a freshly started worker). `warm_up` does it as the worker starts.
It reads no records and needs no database.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django import forms
from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

logger = logging.getLogger(__name__)

# The template packs our pages render forms with, besides the project's own templates.
APP_TEMPLATE_PREFIXES = ("bootstrap5/",)


def _templates() -> list[str]:
    """The names of the project's templates and of the apps' templates it renders forms with."""
    engine = engines["django"].engine
    names = []
    for directory in engine.dirs:
        names += [p.relative_to(directory).as_posix() for p in _files(Path(directory))]
    for directory in get_app_template_dirs("templates"):
        for path in _files(Path(directory)):
            name = path.relative_to(directory).as_posix()
            if name.startswith(APP_TEMPLATE_PREFIXES):
                names.append(name)
    return sorted(set(names))


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.suffix in (".html", ".txt") and p.is_file()]


class _Sample(forms.Form):
    """One field of each kind the site's forms have, rendered once to load what forms need."""

    text = forms.CharField(help_text="Help.")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    flag = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def warm_up() -> int:
    """Compile the templates (kept by Django's cached loader), build the URL resolver's tables
    and render a sample form as the pages do; the number of templates compiled."""
    engine = engines["django"]
    compiled = 0
    for name in _templates():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            # The page using it fails as it would have; the worker still starts.
            logger.exception("Template %s does not compile", name)
        else:
            compiled += 1
    get_resolver().reverse_dict  # noqa: B018 — building it is the point
    sample = _Sample({"text": "x", "choice": "c"})  # bound, with errors, as after a bad post
    engine.from_string("{% load crispy_forms_tags %}{{ form|crispy }}").render({"form": sample})
    str(sample)
    for choice in sample["radio"]:
        choice.tag()
    return compiled
