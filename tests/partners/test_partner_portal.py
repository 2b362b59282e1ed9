"""The partners' dashboard and its forms: actions, register of interests, forward plan."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from actions.models import ActionUpdate
from meetings.models import ForwardPlanItem
from members.models import Interest
from tests.public_world import (
    CIRCULATED_ACTION,
    NEVER_PARTNER_A,
    OTHER_BOARD_EXEMPT,
    UPCOMING_EXEMPT,
    UPCOMING_PUBLIC,
    WorldMixin,
    add_action,
    user,
)


class PartnerPortalTests(WorldMixin, TestCase):
    def setUp(self) -> None:
        self.client.force_login(self.world.partner_a)
        action = self.world.circulated_action
        self.action_url = f"/partners/prg/actions/{self.world.circulated.key}/{action.key}/"
        self.action_prefix = f"action-{action.pk}"
        self.proposal_prefix = f"propose-{self.world.body_a.pk}"

    # Who may use it -----------------------------------------------------------------------

    def test_the_public_is_sent_to_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get("/partners/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/partners/"

    def test_a_user_who_is_not_a_partner_is_refused_with_an_explanation(self) -> None:
        for who in (self.world.nobody, self.world.secretary_a):
            self.client.force_login(who)
            response = self.client.get("/partners/")
            assert response.status_code == 403
            assert "This dashboard is for partners" in response.content.decode()

    def test_a_former_member_is_no_longer_a_partner(self) -> None:
        appointment = self.world.person_b.appointments.get()
        appointment.end = timezone.localdate() - dt.timedelta(days=1)
        appointment.save()
        self.client.force_login(self.world.partner_b)
        assert self.client.get("/partners/").status_code == 403

    # The dashboard ------------------------------------------------------------------------

    def dashboard(self) -> str:
        return self.page("/partners/")

    def test_upcoming_meetings_show_their_papers_exempt_ones_marked(self) -> None:
        text = self.dashboard()
        assert f"/prg/meetings/{self.world.upcoming.key}/" in text
        assert UPCOMING_PUBLIC in text and UPCOMING_EXEMPT in text
        assert "Exempt: not for publication (s.43)" in text
        assert f"/prg/meetings/{self.world.upcoming.key}/papers/commissioning.pdf" in text
        assert f"/prg/meetings/{self.world.upcoming.key}/partners-pack.pdf" in text

    def test_minutes_circulated_for_comment_are_offered(self) -> None:
        text = self.dashboard()
        assert f"/prg/meetings/{self.world.circulated.key}/minutes/" in text
        assert "Send comments to" in text

    def test_only_the_partners_own_bodies_are_shown(self) -> None:
        text = self.dashboard()
        assert "Violence Reduction Unit Partnership Reference Group" in text
        assert "Other Partnership Board" not in text
        assert not [s for s in NEVER_PARTNER_A if s in text]

    def test_the_partner_of_another_body_sees_only_that_body(self) -> None:
        self.client.force_login(self.world.partner_b)
        text = self.dashboard()
        assert "Other Partnership Board" in text
        assert OTHER_BOARD_EXEMPT in text
        assert "Violence Reduction Unit Partnership Reference Group" not in text
        assert UPCOMING_EXEMPT not in text

    def test_own_actions_are_listed_overdue_first_each_with_an_update_form(self) -> None:
        later = add_action(
            self.world.circulated,
            self.world.circulated_action.item,
            "later",
            "LATER-ACTION not yet due",
            self.world.person_a,
            timezone.localdate() + dt.timedelta(days=60),
        )
        text = self.dashboard()
        overdue = text.index(CIRCULATED_ACTION)
        assert overdue < text.index("LATER-ACTION")
        assert "Overdue" in text[: text.index("LATER-ACTION")]
        assert f'id="action-{later.pk}"' in text
        assert f'name="action-{later.pk}-status"' in text

    def test_actions_from_minutes_not_yet_circulated_are_not_shown(self) -> None:
        text = self.dashboard()
        assert "SECRET-DRAFT-ACTION" not in text

    def test_the_register_of_interests_is_listed_with_a_change_link(self) -> None:
        interest = Interest.objects.create(
            person=self.world.person_a, category="directorship", description="Trustee of a charity"
        )
        text = self.dashboard()
        assert "Trustee of a charity" in text
        assert f'href="/partners/interests/{interest.pk}/"' in text

    # Status updates on actions ------------------------------------------------------------

    def test_posting_an_update_records_it_with_its_author_and_sets_the_status(self) -> None:
        response = self.client.post(
            self.action_url,
            {
                f"{self.action_prefix}-status": "complete",
                f"{self.action_prefix}-note": "The letter has been sent.",
                f"{self.action_prefix}-version": str(self.world.circulated_action.version),
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/partners/#action-{self.world.circulated_action.pk}"
        update = ActionUpdate.objects.get(action=self.world.circulated_action)
        assert update.author == self.world.partner_a
        assert (update.status, update.note) == ("complete", "The letter has been sent.")
        self.world.circulated_action.refresh_from_db()
        assert (
            self.world.circulated_action.status_display() == "Complete: The letter has been sent."
        )
        followed = self.client.get(response["Location"]).content.decode()
        assert "is recorded" in followed

    def test_closing_an_action_needs_a_note(self) -> None:
        response = self.client.post(self.action_url, {f"{self.action_prefix}-status": "complete"})
        assert response.status_code == 400
        assert "Say what was done" in response.content.decode()
        assert not ActionUpdate.objects.exists()

    def test_a_partner_cannot_update_an_action_they_do_not_own(self) -> None:
        self.client.force_login(self.world.partner_b)
        response = self.client.post(self.action_url, {f"{self.action_prefix}-status": "ongoing"})
        assert response.status_code == 404
        other = user("other-owner")
        person = self.world.body_a.appointments.exclude(person=self.world.person_a).first().person
        person.user = other
        person.save()
        self.client.force_login(other)
        assert (
            self.client.post(
                self.action_url, {f"{self.action_prefix}-status": "ongoing"}
            ).status_code
            == 404
        )
        assert not ActionUpdate.objects.exists()

    def test_an_action_from_uncirculated_minutes_cannot_be_updated_yet(self) -> None:
        action = self.world.draft_action
        url = f"/partners/prg/actions/{self.world.held.key}/{action.key}/"
        response = self.client.post(url, {f"action-{action.pk}-status": "ongoing"})
        assert response.status_code == 404

    def test_updates_are_posted_only(self) -> None:
        assert self.client.get(self.action_url).status_code == 405

    # The register of interests ------------------------------------------------------------

    def test_a_partner_adds_an_interest_to_their_own_register(self) -> None:
        response = self.client.post(
            "/partners/interests/",
            {
                "interest-category": "employment",
                "interest-description": "Chief Executive, Hackney CVS",
                "interest-registered_on": "2019-01-01",
            },
        )
        assert response.status_code == 302
        interest = Interest.objects.get()
        assert interest.person == self.world.person_a
        assert interest.description == "Chief Executive, Hackney CVS"

    def test_an_invalid_interest_is_shown_again_with_its_error(self) -> None:
        response = self.client.post(
            "/partners/interests/",
            {"interest-category": "employment", "interest-registered_on": "2019-01-01"},
        )
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()
        assert not Interest.objects.exists()

    def test_a_partner_records_the_end_of_an_interest(self) -> None:
        interest = Interest.objects.create(
            person=self.world.person_a, description="Trustee", registered_on=dt.date(2019, 1, 1)
        )
        url = f"/partners/interests/{interest.pk}/"
        assert "Change an interest in your register" in self.page(url)
        response = self.client.post(
            url,
            {
                "interest-category": "directorship",
                "interest-description": "Trustee",
                "interest-registered_on": "2019-01-01",
                "interest-ended_on": "2019-12-31",
                "interest-version": str(interest.version),
            },
        )
        assert response.status_code == 302
        interest.refresh_from_db()
        assert interest.ended_on == dt.date(2019, 12, 31)

    def test_an_end_before_registration_is_refused(self) -> None:
        interest = Interest.objects.create(
            person=self.world.person_a, description="Trustee", registered_on=dt.date(2019, 1, 1)
        )
        response = self.client.post(
            f"/partners/interests/{interest.pk}/",
            {
                "interest-category": "other",
                "interest-description": "Trustee",
                "interest-registered_on": "2019-01-01",
                "interest-ended_on": "2018-12-31",
            },
        )
        assert response.status_code == 400

    def test_nobody_can_change_another_persons_interest(self) -> None:
        interest = Interest.objects.create(person=self.world.person_b, description="B's interest")
        assert self.client.get(f"/partners/interests/{interest.pk}/").status_code == 404
        response = self.client.post(
            f"/partners/interests/{interest.pk}/",
            {
                "interest-category": "other",
                "interest-description": "Hijacked",
                "interest-registered_on": "2019-01-01",
            },
        )
        assert response.status_code == 404
        interest.refresh_from_db()
        assert interest.description == "B's interest"

    # Proposals for the forward plan -------------------------------------------------------

    def test_a_partner_proposes_an_item_for_a_month(self) -> None:
        response = self.client.post(
            "/partners/prg/propose/",
            {
                f"{self.proposal_prefix}-title": "Youth violence in the night-time economy",
                f"{self.proposal_prefix}-presenter": "Jake Ferguson",
                f"{self.proposal_prefix}-notes": "A paper from the community sector.",
                f"{self.proposal_prefix}-target_month": "2030-03",
            },
        )
        assert response.status_code == 302
        item = ForwardPlanItem.objects.get()
        assert item.proposed_by == self.world.person_a
        assert item.body == self.world.body_a
        assert item.target_month == dt.date(2030, 3, 1)
        assert "Youth violence in the night-time economy" in self.page("/partners/")

    def test_a_partner_proposes_an_item_for_an_upcoming_meeting(self) -> None:
        response = self.client.post(
            "/partners/prg/propose/",
            {
                f"{self.proposal_prefix}-title": "Item",
                f"{self.proposal_prefix}-target_meeting": self.world.upcoming.pk,
            },
        )
        assert response.status_code == 302
        assert ForwardPlanItem.objects.get().target_meeting == self.world.upcoming

    def test_a_meeting_of_the_past_or_of_another_body_is_not_a_choice(self) -> None:
        for meeting in (self.world.published, self.world.upcoming_b):
            response = self.client.post(
                "/partners/prg/propose/",
                {
                    f"{self.proposal_prefix}-title": "Item",
                    f"{self.proposal_prefix}-target_meeting": meeting.pk,
                },
            )
            assert response.status_code == 400
        assert not ForwardPlanItem.objects.exists()

    def test_a_proposal_needs_a_title(self) -> None:
        response = self.client.post(
            "/partners/prg/propose/", {f"{self.proposal_prefix}-notes": "x"}
        )
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()

    def test_a_partner_cannot_propose_to_a_body_they_are_not_a_member_of(self) -> None:
        response = self.client.post("/partners/other/propose/", {"title": "Item"})
        assert response.status_code == 404
        assert not ForwardPlanItem.objects.exists()
