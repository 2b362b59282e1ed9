"""The record that the secretaries were reminded an appointment is about to end."""

from __future__ import annotations

from django.db import models

from members.models.appointment import Appointment


class AppointmentEndReminder(models.Model):
    """Sent once per end date: an end date moved later is reminded of again."""

    # (A log of an e-mail, not a governance record: it goes with its appointment.)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="end_reminders"
    )
    end = models.DateField(help_text="The end date the reminder was about.")
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.TextField(blank=True, help_text="The addresses it went to, one a line.")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "end"],
                name="one_end_reminder_per_appointment_end",
                violation_error_message="The end of this appointment was reminded of already.",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder: {self.appointment} ends {self.end:%d %b %Y}"
