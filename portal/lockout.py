"""Who is trying to log in, and when they must stop (django-axes' settings point here).

- The client's address: behind PROXY_COUNT reverse proxies, each appending the address it
  received from to X-Forwarded-For, the client is the entry PROXY_COUNT places from the
  right. Entries further left are whatever the client sent and are never trusted. With no
  proxy (PROXY_COUNT=0) it is REMOTE_ADDR. Axes, the security log and the audit use it.
- A lockout holds the pair (username, address): five wrong passwords for an account from one
  address lock that account *from that address only*, so nobody elsewhere can lock the real
  user out.
- An address that fails AXES_ADDRESS_FAILURE_LIMIT times within the cool-off, over any
  usernames, is locked for every username: guessing a few passwords for many accounts stops.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

USERNAME_LENGTH = 255  # axes' username columns


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The address of the client that made `request`, as the trusted proxies saw it."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # not through the proxies: the address that reached us
    return _address(forwarded[-proxies]) or remote


def attempted_username(request, credentials=None):
    """The username a login tried, cut to what axes can store (a longer one is no account)."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) if source else None
    return None if username is None else str(username)[:USERNAME_LENGTH]


def failures_from(address, since):
    """Failed logins from `address` since `since`, over every username."""
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, with a limit per address across usernames: an address over
    it counts as locked out whatever username it tries."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None) or client_ip(request)
        if failures_from(address, get_cool_off_threshold(request)) >= (
            settings.AXES_ADDRESS_FAILURE_LIMIT
        ):
            return max(failures, get_failure_limit(request, credentials))
        return failures
