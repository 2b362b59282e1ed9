"""The partners' dashboard as a partner expects it: the site's menu, recent meetings with their
papers, "not for publication" said only above a page that shows such a paper, and actions in
the order of their deadlines."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from tests.public_world import WorldMixin, add_action


class DashboardLayoutTests(WorldMixin, TestCase):
    def setUp(self) -> None:
        self.client.force_login(self.world.partner_a)

    def dashboard(self) -> str:
        return self.page("/partners/")

    def test_the_sites_menu_for_the_partners_board_is_shown(self) -> None:
        nav = self.dashboard().split("<nav")[1].split("</nav>")[0]
        assert 'href="/prg/meetings/"' in nav and "Board home" in nav and "Decisions" in nav

    def test_recent_meetings_are_shown_with_their_papers_newest_first(self) -> None:
        text = self.dashboard()
        recent = text.split('id="recent-prg"')[1].split('id="minutes-prg"')[0]
        keys = ["2019-10-16", self.world.circulated.key, "2019-07-24"]
        assert [recent.index(f"/prg/meetings/{k}/") for k in keys] == sorted(
            recent.index(f"/prg/meetings/{k}/") for k in keys
        )
        assert recent.count('class="card mb-3"') == 3  # the three most recent only
        assert "/prg/meetings/2019-06-12/" not in recent  # a draft agenda is not a partner's

    def test_not_for_publication_is_said_only_when_such_a_paper_is_shown(self) -> None:
        assert 'id="exempt-notice"' in self.dashboard()  # the coming meeting's exempt paper
        # A dashboard whose meetings show no paper at all says nothing of exempt ones.
        with mock.patch("vru_governance.partners.base._papers_of", return_value={}):
            assert 'id="exempt-notice"' not in self.dashboard()

    def test_actions_are_in_the_order_of_their_deadlines_ongoing_last(self) -> None:
        today = timezone.localdate()
        item = self.world.circulated_action.item
        person = self.world.person_a
        add_action(
            self.world.circulated, item, "far", "FAR-ACTION", person, today + dt.timedelta(60)
        )
        add_action(
            self.world.circulated, item, "near", "NEAR-ACTION", person, today + dt.timedelta(5)
        )
        ongoing = add_action(self.world.circulated, item, "ongoing", "ONGOING-ACTION", person, None)
        assert ongoing.deadline is None
        text = self.dashboard().split('id="actions-prg"')[1]
        order = [text.index(t) for t in ("NEAR-ACTION", "FAR-ACTION", "ONGOING-ACTION")]
        assert text.index(self.world.circulated_action.description) < order[0]  # overdue
        assert order == sorted(order)
