from django.core.exceptions import SuspiciousOperation
from django.template.response import TemplateResponse


class NulByteInRequest(SuspiciousOperation):
    pass


class RefuseNulBytesMiddleware:
    """A NUL byte in the address reaches no view: PostgreSQL refuses it in any text it is
    sent, so a filter or search holding one would end in a server error. Forms keep their
    own answer (Django's fields refuse NUL with a message), so posted data is not checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise NulByteInRequest("NUL byte in the path or query string")
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Django answers a GET to a POST-only view (require_POST) with an empty 405, which a
    browser shows as its own error page; people who open such an address from their history
    get the portal's page in Chinese instead, with the same status and Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = TemplateResponse(request, "405.html", status=405)
        page["Allow"] = response["Allow"]
        return page.render()


# A strict Content-Security-Policy: the pages load nothing from elsewhere and run no inline
# script or style, so injected markup cannot execute. Responses that set their own policy
# (served attachments) keep it.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
