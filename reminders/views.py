"""A user's inbox of reminders: what is due or overdue in their scope, opened and settled
by the daily run (reminders/services.py). Opening one marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.scope_cache import users_changed
from reminders.models import Reminder


def _open_reminders(user):
    return Reminder.objects.filter(user=user, settled_at__isnull=True)


@login_required
def inbox(request):
    reminders = _open_reminders(request.user).order_by("read_at", "due_on", "pk")
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/inbox.html",
        {"page": page, "unread": sum(1 for r in page if r.read_at is None)},
    )


@login_required
def reminder_open(request, pk):
    """Marks the reminder read and goes to what it is about."""
    reminder = get_object_or_404(Reminder, pk=pk, user=request.user)
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
        users_changed([request.user.pk])
    if not url_has_allowed_host_and_scheme(reminder.path, allowed_hosts=None):
        return redirect("reminders:inbox")
    return redirect(reminder.path)


@login_required
@require_POST
def mark_all_read(request):
    count = (
        _open_reminders(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    )
    users_changed([request.user.pk])
    messages.success(request, _("%(count)s reminder(s) marked as read.") % {"count": count})
    return redirect("reminders:inbox")
