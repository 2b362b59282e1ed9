"""E-mail alerts for the public: asking for one (double opt-in: a signed link to confirm,
nothing else sent before), confirming, unsubscribing in one click (RFC 8058), and the alerts
written when an agenda or minutes is published. Every e-mail is a row of the partners' outbox
(meetings/outbox.py), written in the transaction that calls for it and sent by a job once it
commits.

A saved search's alert needs the search engine, which is the public site's: the site answers
the `published` signal (vru_governance/public/alert_matching.py) in the publishing
transaction, so the data layer never imports the site and every path that publishes (the
workspace, its jobs, the shell) alerts the same readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core import signing
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings import outbox
from meetings.models import AgendaItem, AlertSubscription, MailDelivery, Meeting
from members.models import Body

# How long a confirmation link works; an address never confirmed is deleted after it.
CONFIRM_DAYS = 7
CONFIRM_SALT = "meetings.alerts.confirm"
UNSUBSCRIBE_SALT = "meetings.alerts.unsubscribe"

Kind = MailDelivery.Kind

# Sent inside the transaction that publishes a stage ("agenda" or "minutes") of a meeting not
# recorded as history, with `meeting`, `stage` and `base_url`; a receiver returns how many
# e-mails it kept.
published = Signal()


def normalise(email: str) -> str:
    """An address as kept: one alert per mailbox, however it was typed."""
    return email.strip().lower()


def confirm_token(subscription: AlertSubscription) -> str:
    """The signed, dated token of the confirmation link (works for CONFIRM_DAYS)."""
    return signing.dumps(subscription.key, salt=CONFIRM_SALT)


def unsubscribe_token(subscription: AlertSubscription) -> str:
    """The signed token of the unsubscribe link, which works as long as the alert stands."""
    return signing.dumps(subscription.key, salt=UNSUBSCRIBE_SALT)


def _key(token: str, salt: str, max_age: dt.timedelta | None = None) -> str | None:
    try:
        key = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # forged, mangled or (SignatureExpired) too old
        return None
    return key if isinstance(key, str) else None


def confirmable(token: str) -> AlertSubscription | None:
    """The alert a confirmation link names, if the link is genuine, in time and still stands."""
    key = _key(token, CONFIRM_SALT, dt.timedelta(days=CONFIRM_DAYS))
    return AlertSubscription.objects.select_related("body").filter(key=key).first() if key else None


def unsubscribe_key(token: str) -> str | None:
    """The key an unsubscribe link names, if the link is genuine (the alert may be gone)."""
    return _key(token, UNSUBSCRIBE_SALT)


def site_url(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def unsubscribe_url(subscription: AlertSubscription, base_url: str) -> str:
    path = reverse("public:alert-unsubscribe", args=[unsubscribe_token(subscription)])
    return site_url(base_url, path)


def forget_unconfirmed(now: dt.datetime | None = None) -> int:
    """Delete the alerts not confirmed within CONFIRM_DAYS of their last request (with their
    confirmation e-mails): an address kept only while its owner may still confirm it."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=CONFIRM_DAYS)
    old = AlertSubscription.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff)
    _, deleted = old.delete()
    return deleted.get(AlertSubscription._meta.label, 0)


@transaction.atomic
def request_alert(
    *, email: str, body: Body, query: str = "", base_url: str, now: dt.datetime | None = None
) -> AlertSubscription:
    """Ask for an alert: a new or unconfirmed one gets a confirmation e-mail (with a fresh
    link); one already confirmed gets a note saying so, with its unsubscribe link. The caller
    answers the same either way, so no one learns who subscribes."""
    now = now or timezone.now()
    forget_unconfirmed(now)
    query = " ".join(query.split())
    subscription = AlertSubscription(
        email=normalise(email),
        body=body,
        kind=AlertSubscription.Kind.SEARCH if query else AlertSubscription.Kind.BODY,
        query=query,
        requested_at=now,
    )
    subscription.full_clean(validate_constraints=False)
    found = AlertSubscription.objects.select_for_update().filter(
        email=subscription.email, body=body, kind=subscription.kind, query=query
    )
    existing = found.first()
    if existing is None:
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:  # asked for twice at once: the other request's row stands
            existing = found.get()
    if existing is not None:
        subscription = existing
        if not subscription.confirmed_at:
            subscription.requested_at = now
            subscription.save(update_fields=["requested_at"])
    subscription.body = body
    context = {
        "subscription": subscription,
        "days": CONFIRM_DAYS,
        "privacy_url": site_url(base_url, reverse("public:privacy")),
    }
    if subscription.confirmed_at:
        context["unsubscribe_url"] = unsubscribe_url(subscription, base_url)
        kind, template = Kind.ALERT_ALREADY, "emails/alert_already.txt"
        subject = "You already get these e-mail alerts"
    else:
        path = reverse("public:alert-confirm", args=[confirm_token(subscription)])
        context["confirm_url"] = site_url(base_url, path)
        kind, template = Kind.ALERT_CONFIRM, "emails/alert_confirm.txt"
        subject = "Confirm your e-mail alerts"
    keep(
        [
            MailDelivery(
                subscription=subscription,
                kind=kind,
                to=subscription.email,
                subject=subject,
                body=render_to_string(template, context),
                next_attempt_at=now,
            )
        ]
    )
    return subscription


@transaction.atomic
def confirm(subscription: AlertSubscription, *, now: dt.datetime | None = None) -> bool:
    """Start the alert (its owner opened the link and confirmed). False if it already was."""
    locked = AlertSubscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.confirmed_at:
        return False
    locked.confirmed_at = now or timezone.now()
    locked.save(update_fields=["confirmed_at"])
    subscription.confirmed_at = locked.confirmed_at
    return True


@transaction.atomic
def unsubscribe(key: str) -> AlertSubscription | None:
    """Remove the alert, with every e-mail kept for it (so its address too): nothing more is
    sent to it, even an alert waiting to go. Returns what was removed (None if nothing)."""
    subscription = (
        AlertSubscription.objects.select_for_update().select_related("body").filter(key=key).first()
    )
    if subscription is not None:
        subscription.delete()
    return subscription


def keep(rows: Iterable[MailDelivery]) -> int:
    """Keep these e-mails and send them once the current transaction commits."""
    kept = MailDelivery.objects.bulk_create(list(rows))
    ids = [row.pk for row in kept]
    if ids:
        transaction.on_commit(lambda: outbox.enqueue(ids))
    return len(ids)


def alert_delivery(
    subscription: AlertSubscription,
    *,
    meeting: Meeting,
    kind: str,
    subject: str,
    text: str,
    base_url: str,
    now: dt.datetime | None = None,
) -> MailDelivery:
    """One alert to one reader: the text, then why they get it and how to stop, with the
    one-click unsubscribe headers (RFC 8058)."""
    link = unsubscribe_url(subscription, base_url)
    footer = render_to_string(
        "emails/alert_footer.txt",
        {
            "subscription": subscription,
            "unsubscribe_url": link,
            "privacy_url": site_url(base_url, reverse("public:privacy")),
        },
    )
    return MailDelivery(
        meeting=meeting,
        subscription=subscription,
        kind=kind,
        to=subscription.email,
        subject=subject,
        body=f"{text.rstrip()}\n\n{footer}",
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        next_attempt_at=now or timezone.now(),
    )


def publication_alerts(meeting: Meeting, stage: str, base_url: str) -> int:
    """Alert the readers of a published stage ("agenda" or "minutes"): the body's confirmed
    subscribers, and (through `published`) the saved searches it matches. Call it inside the
    publishing transaction. A meeting recorded as history alerts no one. Returns how many
    e-mails were kept."""
    if meeting.recorded_as_history:
        return 0
    subscribers = list(
        AlertSubscription.objects.filter(
            body=meeting.body_id, kind=AlertSubscription.Kind.BODY, confirmed_at__isnull=False
        ).order_by("pk")
    )
    for subscriber in subscribers:
        subscriber.body = meeting.body  # one body for all: no query per subscriber
    kept = 0
    if subscribers:
        meeting_path = reverse("public:meeting", args=[meeting.body.slug, meeting.key])
        if stage == "agenda":
            kind, template, what = Kind.ALERT_AGENDA, "emails/alert_agenda.txt", "Agenda"
            url = site_url(base_url, meeting_path)
        else:
            kind, template, what = Kind.ALERT_MINUTES, "emails/alert_minutes.txt", "Minutes"
            url = site_url(base_url, f"{meeting_path}minutes/")
        items = AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk")
        text = render_to_string(template, {"meeting": meeting, "url": url, "items": items})
        subject = f"{what} published: {meeting.body.name}, {meeting.date:%-d %B %Y}"
        now = timezone.now()
        kept += keep(
            alert_delivery(
                s,
                meeting=meeting,
                kind=kind,
                subject=subject,
                text=text,
                base_url=base_url,
                now=now,
            )
            for s in subscribers
        )
    for _receiver, count in published.send(
        sender=Meeting, meeting=meeting, stage=stage, base_url=base_url
    ):
        kept += count or 0
    return kept
