"""Saved searches' alerts: when a stage of a meeting is published, each confirmed saved search
of its body is run against that meeting's newly public records, with the search page's own
engine (so an alert finds what the search page would), and each subscriber to a search that
finds something gets one e-mail listing it.

Connected to meetings.alerts.published by the site's AppConfig: it runs in the publishing
transaction, and its e-mails are the outbox's rows like every other (meetings/outbox.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings import alerts
from meetings.models import AlertSubscription, MailDelivery, Meeting
from vru_governance.public import search

# What each stage makes public, as the search engine names its hits.
NEW_AT = {"agenda": ("item", "paper"), "minutes": ("minutes",)}


def on_publication(
    sender: type[Meeting], *, meeting: Meeting, stage: str, base_url: str, **kwargs: Any
) -> int:
    """Keep an alert for each confirmed saved search of the body that the published stage
    matches; returns how many e-mails were kept. One search per distinct query."""
    subscriptions = list(
        AlertSubscription.objects.filter(
            body=meeting.body_id, kind=AlertSubscription.Kind.SEARCH, confirmed_at__isnull=False
        ).order_by("query", "pk")
    )
    by_query: dict[str, list[AlertSubscription]] = {}
    for subscription in subscriptions:
        subscription.body = meeting.body
        by_query.setdefault(subscription.query, []).append(subscription)
    now = timezone.now()
    rows: list[MailDelivery] = []
    for query, readers in by_query.items():
        hits = [
            h
            for h in search.ranked(query, body=meeting.body, meeting=meeting)
            if h.kind in NEW_AT.get(stage, ())
        ]
        results = search.results(query, hits) if hits else []
        if not results:
            continue
        search_path = (
            reverse("public:search") + "?" + urlencode({"q": query, "body": meeting.body.slug})
        )
        text = render_to_string(
            "emails/alert_search.txt",
            {
                "meeting": meeting,
                "query": query,
                "results": [
                    {"kind": r.kind, "title": r.title, "url": alerts.site_url(base_url, r.url)}
                    for r in results
                ],
                "search_url": alerts.site_url(base_url, search_path),
            },
        )
        subject = f"New records matching “{query}”: {meeting.body.name}"
        rows += [
            alerts.alert_delivery(
                reader,
                meeting=meeting,
                kind=MailDelivery.Kind.ALERT_SEARCH,
                subject=subject[:300],
                text=text,
                base_url=base_url,
                now=now,
            )
            for reader in readers
        ]
    return alerts.keep(rows)


def connect() -> None:
    alerts.published.connect(on_publication, sender=Meeting, dispatch_uid="saved-search-alerts")
