"""The minutes editor's items, written out in Python: a meeting of fourteen items has sixty
paragraphs and twenty actions, and the template loop over them (with an include and a reversed
URL for each action) was two thirds of the page's rendering."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from actions.models import Action
from meetings.models import Meeting
from meetings.services.minutes import ItemView, MinutesView
from members.models import Body
from reports.markdown import render_markdown

register = template.Library()

# A value every path converter in use (int, slug, str) accepts and reverse() writes as it is.
_SLOT = "9876543210"
_PLAIN = re.compile(r"[0-9A-Za-z_-]+")


def url_for_each(name: str, param: str, **kwargs: Any) -> Callable[[Any], str]:
    """`reverse(name)` for many values of one parameter, reversed once: a plain value (letters,
    digits, '-', '_') takes the place of a slot in the one reversed URL; any other value is
    reversed as before (quoted, or refused by its converter). A reverse() costs tens of
    microseconds, and the editor has a link for each item and action (and paragraph, once
    approved)."""
    reversed_ = reverse(name, kwargs={**kwargs, param: _SLOT})
    head, _, tail = reversed_.partition(_SLOT)
    single = reversed_.count(_SLOT) == 1  # (not also in the body's slug, say)

    def url(value: Any) -> str:
        text = str(value)
        if single and _PLAIN.fullmatch(text):
            return f"{head}{text}{tail}"
        return reverse(name, kwargs={**kwargs, param: value})

    return url


@register.simple_tag
def minutes_items(view: MinutesView, meeting: Meeting, body: Body) -> SafeString:
    """Each item of the minutes editor, with its numbered paragraphs, 'Action:' lines,
    declarations, decision and dissent, and the links to write or correct them."""
    where = {"body": body.slug}
    at = {"body": body.slug, "key": meeting.key}
    urls = {
        "action": url_for_each("workspace:action", "key", meeting=meeting.key, **where),
        "action_correct": url_for_each(
            "workspace:action_correct", "key", meeting=meeting.key, **where
        ),
        "correct": url_for_each("workspace:correct", "pk", **at),
        "correct_decision": url_for_each("workspace:correct_decision", "number", **at),
        "item_minutes": url_for_each("workspace:item_minutes", "number", **at),
    }
    locked = meeting.minutes_locked
    writable = not locked and meeting.agenda_is_public
    return _joined(_item(iv, urls, locked=locked, writable=writable) for iv in view.items)


def _joined(parts: Iterable[str]) -> SafeString:
    """Parts each made by format_html (or a literal), joined: a join loses their safe type."""
    return mark_safe("".join(parts))  # nosec B703, B308: each part escaped by format_html


def _item(
    iv: ItemView, urls: dict[str, Callable[[Any], str]], *, locked: bool, writable: bool
) -> str:
    item = iv.item
    paragraphs = _joined(
        format_html(
            '\n    <div class="d-flex"><span class="minutes-paragraph-number">{}</span>'
            '<div class="text-break">{}\n      {}</div></div>\n    {}\n  ',
            pv.number,
            render_markdown(pv.paragraph.text),
            format_html(
                '<a class="small" href="{}">Correct {}</a>',
                urls["correct"](pv.paragraph.pk),
                pv.number,
            )
            if locked
            else "",
            _actions(pv.actions, urls, locked=locked),
        )
        for pv in iv.paragraphs
    )
    declarations = _joined(
        format_html(
            '<p class="small">{} declared an interest: {}{}</p>',
            d.person.name,
            d.interest,
            " (withdrew)" if d.withdrew else "",
        )
        for d in iv.declarations
    )
    dissents = _joined(
        format_html(
            '<p class="small">{} recorded by {}: {}</p>',
            d.get_kind_display(),
            d.person.name,
            d.text,
        )
        for d in iv.dissents
    )
    parts = [
        format_html(
            '<span class="badge text-bg-light border">{}</span>', item.get_outcome_display()
        )
        if item.outcome
        else "",
        SafeString('<span class="badge text-bg-danger">not quorate</span>')
        if iv.quorate is False
        else "",
        paragraphs,
        _actions(iv.actions, urls, locked=locked),
        declarations,
        format_html('<p class="small">Recommendation as put: {}</p>', item.recommendation)
        if item.recommendation
        else "",
        format_html('<p class="small">Wording approved: {}</p>', item.approved_wording)
        if item.approved_wording
        else "",
        dissents,
        format_html(
            '<a class="small" href="{}">Correct the decision of item {}</a>',
            urls["correct_decision"](item.number),
            item.number,
        )
        if locked and item.has_decision
        else "",
        format_html('<p class="small text-danger">{}</p>', iv.quorum_note)
        if iv.quorum_note
        else "",
        format_html(
            '<a href="{}">Write the minutes of item {}</a>',
            urls["item_minutes"](item.number),
            item.number,
        )
        if writable
        else "",
    ]
    return format_html(
        '\n<section class="mb-4 minutes-item" aria-labelledby="item-{}" data-number="{}">\n'
        '  <h2 class="h5" id="item-{}">{} {}\n    {}\n    {}</h2>\n'
        "  {}\n  {}\n  {}\n  {}\n  {}\n  {}\n  {}\n  {}\n  {}\n</section>\n",
        item.pk,
        item.number,
        item.pk,
        item.number,
        item.title,
        *parts,
    )


def _actions(actions: list[Action], urls: dict[str, Callable[[Any], str]], *, locked: bool) -> str:
    """An 'Action:' line for each action, with its links to confirm, edit or correct it."""
    lines = []
    for action in actions:
        owners = action.owners_display()
        confirmed = action.confirmed
        lines.append(
            format_html(
                '<p class="action-line mb-1">Action: {}{}\n  {}\n'
                '  <a class="small fw-normal" href="{}?next=minutes">{}'
                '<span class="visually-hidden"> the action for {}</span></a>\n  {}</p>\n',
                owners,
                format_html(" — {}", action.minutes_text) if action.minutes_text else "",
                ""
                if confirmed
                else SafeString('<span class="badge text-bg-warning">to confirm</span>'),
                urls["action"](action.key),
                "edit" if confirmed else "confirm or edit",
                owners,
                format_html(
                    '<a class="small fw-normal" href="{}">correct the owners'
                    '<span class="visually-hidden"> of the action for {}</span></a>',
                    urls["action_correct"](action.key),
                    owners,
                )
                if locked and confirmed
                else "",
            )
        )
    return _joined(lines)
