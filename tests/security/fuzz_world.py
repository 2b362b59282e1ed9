"""What the property-based tests draw from: odd input (unicode, control characters, overlong
strings, odd numbers and dates, payloads), forms that mix good values with odd ones so that
the rules behind a form see odd input too, and the world the form tests post into (the demo
records and the cast of tests/world.py, the partner given an action and an interest).

The tests: tests/security/test_fuzz_workspace.py, tests/security/test_fuzz_partner.py,
tests/records/test_fuzz_importer.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from actions.models import Action, ActionOwner
from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, Meeting
from members.models import Appointment, Interest, Person
from tests.demo import load_demo
from tests.world import CastMixin

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# What a form may answer; anything else (500 above all) is a bug.
ANSWERS = {200, 302, 400, 404, 409}

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ secret }}{% debug %}",
    '"><svg onload=alert(1)>',
    "Robert'); DROP TABLE members_person;--",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\ue000\ue001",
    "\r\nX-Injected: yes",
    "   ",
    "",
]
ODD_NUMBERS = ["0", "-1", "²", "٣", "1e9", "9" * 25, "9" * 5000, "1.5", "NaN", "+7", "0x10"]
ODD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2019-02-30",
    "2019-13-01",
    "0000-00-00",
    "1900-01-01",
    "2019-06-12T00:00",
    "12/06/2019",
]
ODD_TIMES = ["00:00", "23:59", "24:00", "25:61", "-1:00", "noon", "14:00:00.999999"]

texts = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.text(min_size=300, max_size=5000),
    st.sampled_from(PAYLOADS),
)
numbers = st.one_of(st.integers().map(str), st.sampled_from(ODD_NUMBERS))
dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(ODD_DATES))
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(ODD_TIMES))
anything = st.one_of(texts, numbers, dates, times)


GOOD = {
    "text": st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(PAYLOADS[:5])),
    "number": st.integers(0, 5).map(str),
    "date": st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31)).map(lambda d: d.isoformat()),
    "time": st.times().map(lambda t: t.strftime("%H:%M")),
}
ODD = {"text": texts, "number": numbers, "date": dates, "time": times}


@dataclass(frozen=True)
class Field:
    """A form field's values: good ones (to reach the rules behind the form) and odd ones."""

    good: st.SearchStrategy[str]
    odd: st.SearchStrategy[str]


def value(kind: str, plausible: list[str] | None = None) -> Field:
    good = st.sampled_from(plausible) if plausible else GOOD[kind]
    return Field(good=good, odd=st.one_of(ODD[kind], anything))


def form(**fields: Field | st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """Either any of the fields with any values (a browser need not send every one), or
    every field good but one or two odd ones, so that the services see odd input too."""
    both = {k: f if isinstance(f, Field) else Field(f, f) for k, f in fields.items()}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, str]:
        if draw(st.booleans()):
            anyhow = {k: st.one_of(f.good, f.odd) for k, f in both.items()}
            return draw(st.fixed_dictionaries({}, optional=anyhow))
        odd = draw(st.sets(st.sampled_from(sorted(both)), max_size=2))
        return {k: draw(f.odd if k in odd else f.good) for k, f in both.items()}

    return build()


class FuzzWorld(CastMixin):
    """Mixin of the form tests: build() (from setUpTestData, once per class) puts the cast on
    the demo records, and gives Jake Ferguson (the cast's partner) an action and an interest
    of his own, so that the partners' forms reach their rules rather than a refusal."""

    @classmethod
    @recording_history()  # Jake's action on the 6 March minutes, entered as a past record
    def build(cls) -> None:
        load_demo()
        cls.cast_on_the_records()
        cls.jake = Person.objects.get(key="jake-ferguson")
        cls.march_action = Action.objects.filter(meeting__key="2019-03-06").first()
        cls.jake_action = Action.objects.create(
            meeting=Meeting.objects.get(key="2019-03-06"),
            item=AgendaItem.objects.get(meeting__key="2019-03-06", number="9"),
            key="fuzz-action",
            description="Jake's action.",
            status="open",
            confirmed=True,
            position=99,
        )
        ActionOwner.objects.create(action=cls.jake_action, person=cls.jake, position=0)
        cls.appointment = Appointment.objects.filter(body=cls.body, end__isnull=True).first()
        cls.interest = Interest.objects.create(person=cls.jake, description="Trustee.")

    def answer(self, client: Client, url: str, data: dict[str, str], get: bool = False) -> None:
        """Send the input; any answer but those in ANSWERS (a 500 above all) fails."""
        response = client.get(url, data) if get else client.post(url, data)
        assert response.status_code in ANSWERS, f"{url} {data!r}: {response.status_code}"
