"""The app's own error pages (403, 404, 405, 500, CSRF failure): in Vietnamese, saying what happened and giving a
way back — never Django's bare or technical pages, also under `make run` (DEBUG) for 404 and 405."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

PAGES = {403: "403.html", 404: "404.html", 405: "405.html"}


def _back(request) -> str:
    """The page the person came from, when it is ours (a way back)."""
    ref = request.META.get("HTTP_REFERER", "")
    if (
        ref
        and ref != request.build_absolute_uri()
        and url_has_allowed_host_and_scheme(ref, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return ref
    return ""


def error_page(request, status: int, headers: dict | None = None) -> HttpResponse:
    response = render(request, PAGES[status], {"back": _back(request), "path": request.path}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    response.sangtao_error_page = True
    return response


def page_not_found(request, exception=None):
    return error_page(request, 404)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def server_error(request):
    """Rendered without the request's context: the database may be what failed."""
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request, reason=""):
    response = render(request, "403_csrf.html", {"back": _back(request)}, status=403)
    response.sangtao_error_page = True
    return response


class ErrorPageMiddleware:
    """Our page for a 405 (views answer it with an empty body) and, under DEBUG, for a 404 (Django shows its
    technical page, listing every URL pattern, instead of handler404). The API keeps its JSON answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if (
            status not in (404, 405)
            or getattr(response, "sangtao_error_page", False)
            or request.path.startswith("/api/")
        ):
            return response
        if status == 404 and not settings.DEBUG:
            return response  # handler404 rendered ours already
        if status == 404 and not response.get("Content-Type", "").startswith("text/html"):
            return response  # a file download that is gone, a JSON answer
        headers = {"Allow": response["Allow"]} if response.has_header("Allow") else {}
        return error_page(request, status, headers)
