"""A person is shared by every body whose records name them: who sees a person's record, and
who may change their contact details and register of interests.

The bodies that have a person on their records are those they hold (or held, or will hold)
an appointment in, attended a meeting of, or own an action of: each of them sends the person
notices or reminders at the e-mail address on the record. So a change needs a secretary of
every one of those bodies (or the person themselves, or a superuser): appointing another
body's partner to your own board does not hand you their address.

The layers above name the relations (attendances, owned actions) only as lookups here, so
this module imports nothing above members.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from members.models import Appointment, Body, Person

AnyUser = User | AnonymousUser


def bodies_served_by(user: AnyUser) -> QuerySet[Body]:
    """The bodies the user is secretary of: every body for a superuser, none signed out."""
    if not user.is_authenticated:
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    return Body.objects.filter(secretaries=user)


def bodies_of(person: Person) -> QuerySet[Body]:
    """The bodies that have the person on their records (see the module's docstring)."""
    if person.pk is None:
        return Body.objects.none()
    return Body.objects.filter(
        Q(pk__in=Appointment.objects.filter(person=person).values("body"))
        | Q(meetings__attendance__person=person)
        | Q(meetings__actions__owners__person=person)
    ).distinct()


def people_of(bodies: QuerySet[Body]) -> QuerySet[Person]:
    """People on the records of any of these bodies, and people on no body's records yet
    (just added, so any secretary may find them)."""
    linked = (
        Q(appointments__body__in=bodies)
        | Q(attendances__meeting__body__in=bodies)
        | Q(owned_actions__action__meeting__body__in=bodies)
    )
    unlinked = Q(appointments__isnull=True, attendances__isnull=True, owned_actions__isnull=True)
    return Person.objects.filter(pk__in=Person.objects.filter(linked | unlinked).values("pk"))


def people_seen_by(user: AnyUser) -> QuerySet[Person]:
    """The people whose records (contact details, interests, history) a user may read as a
    secretary: those of their bodies and those of no body (everyone for a superuser)."""
    if user.is_authenticated and user.is_superuser:
        return Person.objects.all()
    return people_of(bodies_served_by(user))


def _others(user: AnyUser, person: Person) -> QuerySet[Body]:
    """The person's bodies the user is not a secretary of."""
    return bodies_of(person).exclude(secretaries=user)


def may_change(user: AnyUser, person: Person) -> bool:
    """Whether the user may change the person's contact details and register of interests:
    the person themselves, a superuser, or a secretary of every body the person is on."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # The stored account, not one a form may have just typed in.
    stored = Person.objects.filter(pk=person.pk).values_list("user_id", flat=True).first()
    if person.pk is not None and stored == user.pk:
        return True
    if not bodies_served_by(user).exists():
        return False
    return not _others(user, person).exists()


def refusal(user: AnyUser, person: Person) -> str | None:
    """Why the user may not change the person's record (None: they may)."""
    if may_change(user, person):
        return None
    others = ", ".join(body.name for body in _others(user, person).order_by("name"))
    if not others or not bodies_served_by(user).exists():
        return f"You may not change {person.name}'s record."
    return (
        f"{person.name} is also on the records of {others}. Their contact details and "
        "register of interests are changed only by a secretary of every body they are on, "
        f"or by {person.name}: ask a secretary of {others}, or {person.name}, to make the change."
    )


def check_may_change(person: Person, *, by: AnyUser | None) -> None:
    """Refuse (ValidationError) a change to the person's record that `by` may not make.

    `by` None is the system itself (the importer, management commands), which is trusted."""
    reason = None if by is None else refusal(by, person)
    if reason is not None:
        raise ValidationError(reason)
