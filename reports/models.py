"""Papers presented to a meeting: authored by section or uploaded as PDF, public or exempt."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from meetings.models import AgendaItem
from reports.paper_text import PaperFileField
from reports.pdf_accessibility import describe_failures

SECTIONS: list[tuple[str, str]] = [
    ("executive_summary", "Executive Summary"),
    ("recommendations", "Recommendations"),
    ("introduction", "Introduction and Background"),
    ("issues", "Issues for Consideration"),
    ("equality_comments", "Equality Comments"),
    ("financial_comments", "Financial Comments"),
    ("legal_comments", "Legal Comments"),
    ("next_steps", "Next Steps"),
    ("appendices", "Appendices"),
]
SECTION_KEYS = [key for key, _ in SECTIONS]


def paper_upload_to(instance: Paper, filename: str) -> str:
    # The name is rebuilt from the paper's own key: nothing of the uploaded name is trusted.
    meeting = instance.item.meeting
    return f"papers/{meeting.body.slug}/{meeting.key}/{instance.key}.pdf"


class Paper(models.Model):
    """A report presented to a meeting under an agenda item."""

    class Classification(models.TextChoices):
        PUBLIC = "public", "Public"
        EXEMPT = "exempt", "Exempt from publication"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=300, blank=True)
    presented_by = models.CharField(max_length=300, blank=True)
    cleared_by = models.CharField(max_length=300, blank=True)
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.PUBLIC
    )
    exemption_section = models.CharField(
        max_length=40, blank=True, help_text="Freedom of Information Act 2000 section, e.g. s.43."
    )
    exemption_reason = models.TextField(blank=True, help_text="The public-interest reason.")
    exemption_review_on = models.DateField(null=True, blank=True)
    final = models.BooleanField(default=False)
    supplement = models.BooleanField(
        default=False, help_text="Added after the agenda was published."
    )
    executive_summary = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    introduction = models.TextField(blank=True)
    issues = models.TextField(blank=True)
    equality_comments = models.TextField(blank=True)
    financial_comments = models.TextField(blank=True)
    legal_comments = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    appendices = models.TextField(blank=True)
    # Declared before file_text: storing a new file sets the text the same save writes.
    file = PaperFileField(upload_to=paper_upload_to, blank=True)
    file_text = models.TextField(
        blank=True, editable=False, help_text="The uploaded PDF's text, extracted for search."
    )
    file_accessibility_failures = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="What the uploaded PDF lacks for accessibility (reports/pdf_accessibility.py).",
    )
    file_has_equality_comments = models.BooleanField(
        default=False,
        help_text="The secretary confirms the uploaded PDF contains its equality comments.",
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every save from the workspace (optimistic locking)."
    )
    # The file's text is derived from the file, which the history keeps already.
    history = HistoricalRecords(excluded_fields=["file_text", "file_accessibility_failures"])

    class Meta:
        ordering = ["item", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "key"],
                name="unique_paper_key_per_item",
                violation_error_message="The item already has a paper with this key.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if "file" not in self.get_deferred_fields() and not self.file:
            self.file_text = ""  # the file was taken away
            self.file_accessibility_failures = []
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "file" in update_fields:
            kwargs["update_fields"] = {*update_fields, "file_text", "file_accessibility_failures"}
        super().save(*args, **kwargs)

    @property
    def is_exempt(self) -> bool:
        return self.classification == self.Classification.EXEMPT

    def sections(self) -> list[tuple[str, str, str]]:
        """(key, heading, text) for each section that has text, in the seed's order."""
        return [(k, h, getattr(self, k)) for k, h in SECTIONS if getattr(self, k).strip()]

    def accessibility_problems(self, *, short: bool = False) -> list[str]:
        """What the uploaded PDF lacks for accessibility, in plain words (empty if none)."""
        if not self.file:
            return []
        return describe_failures(self.file_accessibility_failures or [], short=short)

    def has_authored_content(self) -> bool:
        return any(getattr(self, k).strip() for k in SECTION_KEYS)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.file and self.has_authored_content():
            errors["file"] = "A paper is either written by section or an uploaded PDF, not both."
        if self.final:
            if self.file:
                if not self.file_has_equality_comments:
                    errors["file_has_equality_comments"] = (
                        "Confirm that the uploaded PDF says how equality issues were considered "
                        "(ToR 8.1) before marking it final."
                    )
            elif not self.equality_comments.strip():
                errors["equality_comments"] = (
                    "Every report says how equality issues were considered (ToR 8.1): add the "
                    "equality comments before marking it final."
                )
        if self.is_exempt:
            if not self.exemption_section.strip():
                errors["exemption_section"] = (
                    "An exempt paper names the Freedom of Information Act 2000 exemption."
                )
            if not self.exemption_reason.strip():
                errors["exemption_reason"] = "Give the public-interest reason for the exemption."
            if self.exemption_review_on is None:
                errors["exemption_review_on"] = "Set the date on which to review the exemption."
        elif self.exemption_section or self.exemption_reason or self.exemption_review_on:
            errors["classification"] = (
                "A public paper has no exemption; classify it as exempt or clear the exemption."
            )
        if errors:
            raise ValidationError(errors)


def stored_document_upload_to(instance: StoredDocument, filename: str) -> str:
    meeting = instance.meeting
    folder = f"documents/{meeting.body.slug}/{meeting.key}"
    if instance.paper_id:
        # Paper keys are unique per item only: the primary key keeps two papers apart.
        paper = instance.paper
        name = f"paper-{paper.key}-{paper.pk}-{instance.audience}-v{instance.version}.pdf"
        return f"{folder}/{name}"
    return f"{folder}/{instance.kind}-v{instance.version}.pdf"


class StoredDocument(models.Model):
    """A rendered document frozen on publication: served as stored, never re-rendered."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", "Agenda"
        PACK = "pack", "Agenda pack"
        PARTNERS_PACK = "partners_pack", "Partners' agenda pack"
        # The agenda with the page references of the partners' pack (exempt papers included).
        PARTNERS_AGENDA = "partners_agenda", "Partners' agenda"
        MINUTES = "minutes", "Summary minutes"
        ACTIONS_ARISING = "actions_arising", "Actions arising"
        PAPER = "paper", "Paper"

    class Audience(models.TextChoices):
        """Whom a frozen paper is served to: exempt papers have only a partners' copy."""

        PUBLIC = "public", "Public"
        PARTNERS = "partners", "Partners"

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="stored_documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Papers only: which paper, and for whom (each paper × audience has its own versions).
    paper = models.ForeignKey(
        Paper, on_delete=models.PROTECT, null=True, blank=True, related_name="stored_documents"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Private storage (the default storage is never served as a public folder).
    file = models.FileField(upload_to=stored_document_upload_to, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(default=0)
    is_correction = models.BooleanField(default=False)
    correction_note = models.TextField(blank=True)
    # The HTML of the same snapshot the PDF was rendered from (the accessible minutes page
    # reads it), so that a version's HTML and PDF never disagree.
    html = models.TextField(blank=True)
    # The facts the public meeting page shows (date, times, place, items, papers, attendance),
    # taken from the same snapshot (reports/documents/facts.py): agendas and minutes only.
    facts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A public version holding a paper since reclassified as exempt: kept for the record and
    # shown to the body's secretaries, never served to anyone else (why, in withdrawn_note).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_note = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "kind", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "version"],
                condition=~models.Q(kind="paper"),
                name="unique_stored_document_kind_version",
                violation_error_message="This version of the document is already stored.",
            ),
            models.UniqueConstraint(
                fields=["paper", "audience", "version"],
                condition=models.Q(kind="paper"),
                name="unique_stored_paper_version",
                violation_error_message=(
                    "This version of the paper is already stored for this audience."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="paper", paper__isnull=False)
                    & models.Q(audience__in=["public", "partners"])
                )
                | (~models.Q(kind="paper") & models.Q(paper__isnull=True, audience="")),
                name="stored_paper_names_paper_and_audience",
                violation_error_message=(
                    "A stored paper names its paper and audience; another document names neither."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1),
                name="stored_document_version_from_1",
                violation_error_message="Versions of a stored document are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(is_correction=False) | ~models.Q(correction_note=""),
                name="stored_correction_has_note",
                violation_error_message="A correction is stored with its note saying why.",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.paper_id:
            label = f"Paper '{self.paper.key}' ({self.get_audience_display().lower()})"
        return f"{label} v{self.version} — {self.meeting}"

    def clean(self) -> None:
        if self.paper_id and self.meeting_id and self.paper.item.meeting_id != self.meeting_id:
            raise ValidationError({"paper": "The paper belongs to another meeting."})


class PaperNote(models.Model):
    """A partner's private note on a paper: its author's alone (reports/notes.py).

    No history, no admin, no export or API: a secretary never sees it. It goes with the paper,
    and with its author's account."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paper_notes"
    )
    text = models.TextField(max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every save (a note edited on two devices at once)."
    )

    class Meta:
        ordering = ["paper", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "author"],
                name="one_note_per_paper_and_author",
                violation_error_message="You already keep a note on this paper.",
            ),
        ]

    def __str__(self) -> str:
        return f"Note on {self.paper}"


class Publication(models.Model):
    """An agenda's publication asked for in the workspace and completed by a job
    (reports/publishing.py): what was asked, and how far the job has gone."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the job"
        RENDERING = "rendering", "Rendering the documents"
        FREEZING = "freezing", "Numbering and freezing the documents"
        DONE = "done", "Published"
        FAILED = "failed", "Failed"

    OPEN_STATES = (State.QUEUED, State.RENDERING, State.FREEZING)

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="publications"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # What the secretary gave with the Publish button, passed to publish_agenda by the job.
    acknowledgements = models.JSONField(default=dict, blank=True)
    published_on = models.DateField(null=True, blank=True)
    base_url = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Moved on every step: an open publication not moved for a while lost its job.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(state__in=["queued", "rendering", "freezing"]),
                name="one_open_publication_per_meeting",
                violation_error_message="A publication of this agenda is already under way.",
            ),
        ]

    def __str__(self) -> str:
        return f"Publication of {self.meeting} ({self.get_state_display().lower()})"

    @property
    def is_open(self) -> bool:
        """Asked for and not finished: its job is waiting or running."""
        return self.state in self.OPEN_STATES

    def sentence(self) -> str:
        """How far the publication has gone, for the secretary."""
        if self.state == self.State.RENDERING and self.total:
            return f"Rendering the packs: {self.done} of {self.total} documents."
        if self.state == self.State.FAILED:
            return f"Publishing failed. {self.error}"
        if self.state == self.State.DONE and self.published_on is not None:
            return (
                f"Agenda recorded as published on {self.published_on:%-d %B %Y}; no one was "
                "e-mailed."
            )
        if self.state == self.State.DONE:
            return "Agenda published."
        return f"{self.get_state_display()}."


def annual_report_upload_to(instance: AnnualReportPdf, filename: str) -> str:
    return f"annual/{instance.body.slug}/{instance.year}-{instance.digest[:16]}.pdf"


class AnnualReportPdf(models.Model):
    """A body's annual report as a PDF, rendered by a job from the figures its digest names
    (reports/annual_pdf.py): served as stored, so no request renders it."""

    # Derived from the records, never a record itself: it goes with its body.
    body = models.ForeignKey(
        "members.Body", on_delete=models.CASCADE, related_name="annual_report_pdfs"
    )
    year = models.PositiveSmallIntegerField()
    # The SHA-256 of the HTML it was laid out from: a change in the year's records gives new
    # HTML, so a new digest and a new render; the old one is then removed.
    digest = models.CharField(max_length=64)
    file = models.FileField(upload_to=annual_report_upload_to, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "digest"],
                name="unique_annual_report_pdf_per_digest",
                violation_error_message="This report is already rendered.",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year} of {self.body} ({self.digest[:8]})"
