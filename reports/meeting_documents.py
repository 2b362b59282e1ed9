"""The documents of a meeting a reader may open (agenda, packs, minutes), each with its frozen
versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from meetings import access
from meetings.access import AnyUser
from meetings.models import AgendaItem, Meeting
from reports.meeting_facts import ItemRow
from reports.models import StoredDocument
from reports.published import document_url


@dataclass(frozen=True)
class Version:
    """One frozen version of a document: when it was issued and, for a correction, why."""

    number: int
    url: str
    issued: dt.datetime
    reason: str
    # Why it was withdrawn (a paper it held is now exempt): listed, not linked.
    withdrawn: str = ""
    # As stored when it was frozen: the link says "PDF, 290 KB, 42 pages".
    size: int = 0
    pages: int = 0


@dataclass
class Document:
    """A document of a meeting that the reader may open."""

    label: str
    url: str
    kind: str = "PDF"
    note: str = ""
    stored_kind: str = ""
    versions: list[Version] = field(default_factory=list)

    @property
    def current(self) -> Version | None:
        """The version the document's own link serves (the newest), for its label."""
        return next((v for v in self.versions if v.url), None)


# The documents only partners open: label, file, and the kind frozen (none: the chair's brief
# is rendered when asked for).
PARTNERS_DOCUMENTS = [
    (
        "Partners' pack (includes papers not for publication)",
        "partners-pack.pdf",
        StoredDocument.Kind.PARTNERS_PACK,
    ),
    (
        "Partners' agenda (page numbers of the partners' pack)",
        "partners-agenda.pdf",
        StoredDocument.Kind.PARTNERS_AGENDA,
    ),
    ("Chair's brief (timing, quorum, interests, recommendations)", "chairs-brief.pdf", ""),
]


def meeting_documents(
    user: AnyUser, meeting: Meeting, agenda: list[ItemRow] | None = None
) -> list[Document]:
    """The agenda, packs and minutes of a meeting that the user may open (no queries).

    Given the agenda's rows, the generated actions-arising report is listed only when the
    agenda has an Actions Arising item that carries no report of its own: with one, the pack
    prints that one, so the meeting offers one actions-arising report, not two that differ;
    without the item (a body's first meeting), there is no report to offer."""
    docs: list[Document] = []
    if not access.can_see_agenda(user, meeting):
        return docs
    Kind = StoredDocument.Kind
    docs.append(Document("Agenda", document_url(meeting, "agenda.pdf"), stored_kind=Kind.AGENDA))
    docs.append(
        Document(
            "Agenda pack (agenda and public papers)",
            document_url(meeting, "pack.pdf"),
            stored_kind=Kind.PACK,
        )
    )
    arising = [row for row in agenda or [] if row.item.kind == AgendaItem.Kind.ACTIONS_ARISING]
    # Listed when the agenda has an Actions Arising item without a report of its own (a
    # body's first meeting has none: there is no earlier meeting whose actions to report).
    if agenda is None or (arising and not any(row.papers for row in arising)):
        docs.append(
            Document(
                "Actions arising",
                document_url(meeting, "actions-arising.pdf"),
                stored_kind=Kind.ACTIONS_ARISING,
            )
        )
    if access.can_see_body_records(user, meeting.body):
        docs += [
            Document(label, document_url(meeting, name), note="Partners only", stored_kind=kind)
            for label, name, kind in PARTNERS_DOCUMENTS
        ]
    if access.can_see_minutes(user, meeting):
        note = "" if meeting.minutes_are_public else "Draft: not published"
        docs.append(Document("Minutes", document_url(meeting, "minutes/"), "web page", note))
        docs.append(
            Document(
                "Minutes", document_url(meeting, "minutes.pdf"), note=note, stored_kind=Kind.MINUTES
            )
        )
    return docs


def with_versions(meeting: Meeting, docs: list[Document]) -> list[Document]:
    """Each document's frozen versions, newest first, with their dates and the reasons for
    corrections (one query); every version stays downloadable."""
    wanted = {d.stored_kind for d in docs if d.stored_kind}
    if not wanted:
        return docs
    by_kind: dict[str, list[Version]] = {}
    stored = (
        meeting.stored_documents.filter(kind__in=wanted)
        .order_by("-version")
        .only(
            "kind",
            "version",
            "created_at",
            "is_correction",
            "correction_note",
            "withdrawn_at",
            "withdrawn_note",
            "size",
            "pages",
        )
    )
    for document in stored:
        slug = document.kind.replace("_", "-")
        withdrawn = document.withdrawn_at is not None
        by_kind.setdefault(document.kind, []).append(
            Version(
                document.version,
                ""
                if withdrawn
                else document_url(meeting, f"documents/{document.version}/{slug}.pdf"),
                document.created_at,
                document.correction_note if document.is_correction else "",
                (document.withdrawn_note or "Withdrawn.") if withdrawn else "",
                document.size,
                document.pages,
            )
        )
    for doc in docs:
        doc.versions = by_kind.get(doc.stored_kind, [])
    return docs
