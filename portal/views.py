import logging

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from portal.lockout import client_ip

security_log = logging.getLogger("portal.security")


def permission_denied(request, exception):
    """403 page, and one line in the security log saying who was refused what.

    INFO, not WARNING: a refusal is the guards working (a link a role may not follow, an
    address typed by hand); settings.LOGGING drops Django's own record with its traceback."""
    security_log.info(
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


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for without reading <link rel="icon">:
    the portal's SVG icon, so the request is not a 404 in every log."""
    return redirect(static("favicon.svg"), permanent=True)
