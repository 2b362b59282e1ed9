"""Property-based tests of the partners' portal: generated input posted to its forms (an
action's update, a declared interest, a proposal for the forward plan) never gets a server
error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.security.fuzz_world import FUZZ, FuzzWorld, form, value


class PartnerFormFuzzTests(FuzzWorld, TestCase):
    """The partners' forms answer generated input with a page or a redirect, never a 500."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build()

    @FUZZ
    @given(which=st.sampled_from(["update", "interest", "edit", "propose"]), data=st.data())
    def test_partner_forms(self, which: str, data: st.DataObject) -> None:
        action = self.jake_action
        prefix = f"action-{action.pk}"
        body = f"propose-{self.body.pk}"
        interest = {
            "interest-category": value("text", ["other", "gift"]),
            "interest-description": value("text"),
            "interest-registered_on": value("date"),
            "interest-ended_on": value("date", [""]),
        }
        strategies = {
            "update": (
                f"/partners/prg/actions/2019-03-06/{action.key}/",
                form(
                    **{
                        f"{prefix}-status": value("text", ["open", "complete"]),
                        f"{prefix}-note": value("text"),
                    }
                ),
            ),
            "interest": ("/partners/interests/", form(**interest)),
            "edit": (f"/partners/interests/{self.interest.pk}/", form(**interest)),
            "propose": (
                "/partners/prg/propose/",
                form(
                    **{
                        f"{body}-title": value("text", ["An idea"]),
                        f"{body}-presenter": value("text"),
                        f"{body}-notes": value("text"),
                        f"{body}-target_meeting": value("number"),
                        f"{body}-target_month": value("date", ["2019-09"]),
                    }
                ),
            ),
        }
        url, strategy = strategies[which]
        self.answer(self.client_for(self.partner), url, data.draw(strategy))
