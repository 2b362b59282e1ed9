"""The actions-arising table's rows, written in Python for speed (a decade's report has
thousands), escape every value and print as the template's loop did."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from meetings.models import Meeting
from reports.documents.actions_arising import Group, Row

# The template's loop as it stood before the rows were written in Python.
LOOP = Template(
    "{% for row in group.rows %}\n"
    '      <tr{% if row.overdue %} class="overdue"{% endif %}><td>{{ row.item }}</td>'
    "<td>{{ row.action }}</td><td>{% if row.overdue %}"
    '<span class="overdue-flag">Overdue</span>{% endif %}{{ row.deadline }}</td>'
    "<td>{{ row.status }}</td><td>{{ row.owner }}</td></tr>\n"
    "      {% endfor %}"
)


def _group() -> Group:
    rows = [
        Row("3. Knife <crime> & youth", 'Share "data"', "1 May 2019", "Open", "Lib Peck", True),
        Row("", "<script>alert(1)</script>", "Ongoing", "Complete: Done.", "Clerk", False),
    ]
    return Group(3, "Actions Arising", Meeting(date=dt.date(2019, 5, 1)), rows)


def test_the_rows_escape_every_value() -> None:
    html = str(_group().rows_html)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Knife &lt;crime&gt; &amp; youth" in html and "Share &quot;data&quot;" in html
    assert html.count('<span class="overdue-flag">Overdue</span>') == 1
    assert html.count('<tr class="overdue">') == 1


def test_the_rows_print_as_the_templates_loop_did() -> None:
    group = _group()
    assert str(group.rows_html) == LOOP.render(Context({"group": group}))
