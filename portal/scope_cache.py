"""Figures over a user's scope, computed once and served again until a record changes.

The dashboard adds up tens of thousands of rows per request, and the same answer serves
every user of one role and unit. Saving or deleting any record of the portal's apps
touches a stamp file (at once and again when the transaction commits, so an answer
computed in between is not kept); the stamp's time is part of every key, so one change
anywhere makes every entry stale. Bulk writes that send no signals call `figures_changed()`
themselves; `FIGURES_CACHE_SECONDS` bounds whatever slips past.

The stamp is a file so that every worker process on the host sees it without a query;
each worker keeps its own entries (the default local-memory cache).
"""

import os
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from portal.access import role_of, scope_of

APPS = {"courtyards", "councils", "funds", "inspections"}


def _touch():
    path = settings.FIGURES_STAMP
    now = time.time_ns()
    try:
        os.utime(path, ns=(now, now))
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def figures_changed():
    """Say that records were written: every cached figure is stale from now on."""
    _touch()
    transaction.on_commit(_touch)


def record_saved_or_deleted(sender, **kwargs):
    if sender._meta.app_label in APPS:
        figures_changed()


def _stamp():
    try:
        return os.stat(settings.FIGURES_STAMP).st_mtime_ns
    except FileNotFoundError:
        return 0


def cached_for_scope(name, user, compute):
    """`compute()`'s result for the user's role and scope, with the time it was computed:
    `(value, computed_at)`."""
    if settings.FIGURES_CACHE_SECONDS <= 0:
        return compute(), timezone.now()
    scope = scope_of(user)
    role = "superuser" if user.is_superuser else role_of(user)
    key = f"figures:{name}:{role}:{scope.level}:{scope.pk}:{_stamp()}"
    entry = cache.get(key)
    if entry is None:
        entry = (compute(), timezone.now())
        cache.set(key, entry, settings.FIGURES_CACHE_SECONDS)
    return entry
