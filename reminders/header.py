from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from reminders.models import Reminder


def unread_count():
    """The user's open, unread reminders, as an expression over their RoleAssignment."""
    unread = (
        Reminder.objects.filter(
            user=OuterRef("user"), settled_at__isnull=True, read_at__isnull=True
        )
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread), 0)
