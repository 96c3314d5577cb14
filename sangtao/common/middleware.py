"""Request id for logs and the audit trail; client address helper."""

import contextvars
import ipaddress
import logging
import uuid

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


def client_ip(request) -> str | None:
    """The client's address, for login throttling (django-axes) and the audit log.

    With SANGTAO_TRUSTED_PROXY_COUNT = 0 (the default: the app faces the clients) it is REMOTE_ADDR, and any
    X-Forwarded-For a client sends is ignored. Behind N trusted reverse proxies, each appends the address it
    received the request from, so the client is the N-th address from the right; whatever a client wrote
    further left is his own invention and not believed. A header shorter than N (a proxy was bypassed) or an
    entry that is not an address falls back to REMOTE_ADDR."""
    if request is None:
        return None

    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "SANGTAO_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-count]))
    except ValueError:
        return remote


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]
        token = _request_id.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language cookie set by the EN/VI switch).

    Django's LocaleMiddleware would also follow the browser's Accept-Language, and an office PC with an
    English Windows would then show English: Vietnamese first means the browser is not asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = (
            ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
            if "Cookie" not in response.headers.get("Vary", "")
            else response.headers["Vary"]
        )
        return response


class RejectNulMiddleware:
    """A NUL character in the address (`?q=%00`, `/api/v1/organizations/a%00b/`) is refused with 400 before any view sees it: PostgreSQL
    cannot compare text with it and answered with a server error (schemathesis found it on /api/v1/people/);
    every search box and API filter is covered here rather than each on its own. Form fields already refuse it
    (Django's CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in k or "\x00" in v for k, values in request.GET.lists() for v in values
        ):
            message = _("Địa chỉ chứa ký tự không hợp lệ (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
