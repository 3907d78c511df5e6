"""The register's rows and totals: one annotated queryset, and one aggregate over the same
rows, so the totals always match the list and the query count does not grow with it."""

from django.db.models import Count, Q

from concerns.models import Concern, Status


def concern_register(user):
    return (
        Concern.objects.visible_to(user)
        .with_status()
        .select_related("community__street", "courtyard")
    )


def register_totals(concerns):
    totals = concerns.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        overdue=Count("pk", filter=Q(overdue_value=True)),
        dissatisfied=Count("pk", filter=Q(satisfaction=Concern.Satisfaction.DISSATISFIED)),
    )
    return totals


def open_concerns_of(communities):
    """Every concern still open in these communities, oldest first (the duty officer's list)."""
    return (
        Concern.objects.filter(community__in=communities)
        .open()
        .with_status()
        .select_related("community", "courtyard")
        .order_by("answer_due", "received_at")
    )


STATUSES = dict(Status.choices)
