"""The meeting register's reads (district and street staff): the meetings in the user's
scope with their motions counted, and the totals of a filtered register in one aggregate
query, so the page's query count does not grow with the data."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from councils.models import Meeting, Motion

ADOPTED = Q(motions__outcome=Motion.Outcome.ADOPTED)


def meeting_register(user):
    """The meetings the user may see, each with its motions and adopted motions counted."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("organisation__community__street", "body")
        .annotate(motion_count=Count("motions"), adopted_count=Count("motions", filter=ADOPTED))
    )


def register_totals(meetings):
    """Meetings, of which published and of which quorate; motions, of which adopted: over
    `meetings` (meeting_register, filtered), in one query."""
    return meetings.aggregate(
        meetings=Count("pk"),
        published=Count("pk", filter=Q(status=Meeting.Status.PUBLISHED)),
        quorum_met=Count("pk", filter=Q(quorum=True)),
        motions=Coalesce(Sum("motion_count"), 0),
        adopted=Coalesce(Sum("adopted_count"), 0),
    )
