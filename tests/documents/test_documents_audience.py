"""What each audience's documents may report from minutes: published for the public only."""

from __future__ import annotations

from django.test import TestCase

from reports.documents.actions_arising import (
    ActionsArising,
    build_actions_arising,
    reports_reused,
)
from tests.public_world import CIRCULATED_ACTION, SECRET_DRAFT_ACTION, WorldMixin


def descriptions(report: ActionsArising) -> list[str]:
    return [row.action for group in report.groups for row in group.rows]


class ActionsArisingAudienceTests(WorldMixin, TestCase):
    def test_the_public_report_lists_no_action_from_unpublished_minutes(self) -> None:
        listed = " ".join(descriptions(build_actions_arising(self.world.upcoming)))
        assert CIRCULATED_ACTION not in listed
        assert SECRET_DRAFT_ACTION not in listed

    def test_the_partners_report_adds_actions_from_circulated_minutes_only(self) -> None:
        report = build_actions_arising(self.world.upcoming, partners=True)
        listed = " ".join(descriptions(report))
        assert CIRCULATED_ACTION in listed
        assert SECRET_DRAFT_ACTION not in listed

    def test_read_once_for_both_audiences_the_public_report_still_lists_only_published_minutes(
        self,
    ) -> None:
        # Within reports_reused the public report is the partners' list, read first, less the
        # actions of minutes not published (the freeze and the jobs rendering ahead).
        with reports_reused():
            partners = " ".join(descriptions(build_actions_arising(self.world.upcoming, True)))
            public = " ".join(descriptions(build_actions_arising(self.world.upcoming)))
        assert CIRCULATED_ACTION in partners
        assert CIRCULATED_ACTION not in public and SECRET_DRAFT_ACTION not in public
