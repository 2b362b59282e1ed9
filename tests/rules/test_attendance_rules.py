"""Board-wide attendance counts (vru_governance/rules/attendance.py): pure scenarios."""

from __future__ import annotations

from vru_governance.rules.attendance import Expected, MeetingRecord, grouped, meeting_tally
from vru_governance.rules.formats import file_size, pdf_label

CHAIR = Expected(1, "Sadiq Khan", "Chair", "GLA")
POLICE = Expected(2, "Mark Simmons", "Police", "MPS")
HEALTH = Expected(3, "Yvonne Doyle", "Health", "PHE")


def test_a_named_substitute_counts_for_the_seat_not_as_attended() -> None:
    record = MeetingRecord((CHAIR, POLICE, HEALTH), present=frozenset({1}), substituted={2})
    tally = meeting_tally(record)
    assert (tally.expected, tally.attended, tally.substitute, tally.absent) == (3, 1, 1, 1)
    assert tally.percent == 33 and tally.represented_percent == 67


def test_being_there_wins_over_a_substitute_and_apologies() -> None:
    record = MeetingRecord(
        (CHAIR,), present=frozenset({1}), substituted=frozenset({1}), apologies=frozenset({1})
    )
    assert meeting_tally(record).attended == 1


def test_apologies_with_a_substitute_count_as_substitute() -> None:
    record = MeetingRecord((HEALTH,), substituted=frozenset({3}), apologies=frozenset({3}))
    tally = meeting_tally(record)
    assert (tally.substitute, tally.apologies) == (1, 0)


def test_groups_add_up_over_meetings() -> None:
    first = MeetingRecord((CHAIR, POLICE), present=frozenset({1, 2}))
    second = MeetingRecord((CHAIR, POLICE), present=frozenset({1}), apologies=frozenset({2}))
    police = next(g for g in grouped([first, second], lambda e: e.seat) if g.label == "Police")
    assert (police.tally.expected, police.tally.attended, police.tally.apologies) == (2, 1, 1)
    assert police.tally.percent == 50


def test_nobody_expected_has_no_percentage() -> None:
    assert meeting_tally(MeetingRecord(())).percent is None


def test_pdf_labels_say_what_is_known() -> None:
    assert pdf_label(290_400, 42) == "PDF, 290 KB, 42 pages"
    assert pdf_label(1_234_567, 1) == "PDF, 1.2 MB, 1 page"
    assert pdf_label(290_400, 0) == "PDF, 290 KB"
    assert pdf_label(None, None) == "PDF"
    assert file_size(512) == "512 bytes"
