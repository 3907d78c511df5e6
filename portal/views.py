import logging

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import render

from portal.lockout import client_ip

security_log = logging.getLogger("portal.security")


def permission_denied(request, exception):
    """403 page, and a line in the security log saying who was refused what."""
    security_log.warning(
        "permission denied: user=%s path=%s method=%s ip=%s",
        getattr(request.user, "username", "") or "anonymous",
        request.path,
        request.method,
        client_ip(request),
    )
    return render(request, "403.html", status=403)


def bad_request(request, exception):
    """400 page (a lookup no screen declares, a NUL byte in the address), with a line in the
    security log."""
    security_log.warning(
        "bad request: user=%s path=%s method=%s ip=%s",
        getattr(getattr(request, "user", None), "username", "") or "anonymous",
        request.path,
        request.method,
        client_ip(request),
    )
    return render(request, "400.html", status=400)


def health(request):
    """For load balancers and monitoring: the application answers and reaches its database."""
    # Any table proves it; the accounts' one keeps this ground module free of the apps.
    get_user_model().objects.exists()
    return HttpResponse("ok", content_type="text/plain")
