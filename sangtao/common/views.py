"""What the views of every app share, and nothing of any domain: the object a user may read (404 otherwise) and
act on (403 otherwise), a stored file or a workbook handed out as a download, and the page that follows a
background job."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def permitted(user, perm: str, obj=None):
    """`obj`, when the user holds `perm` on it; 403 otherwise."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def readable(user, queryset, pk, *, read: str, act: str | None = None):
    """The object `pk` of `queryset` that the user may `read` — one they may not read does not exist for them
    (404) — and, when `act` is named, may also act on (403 otherwise)."""
    obj = get_object_or_404(queryset, pk=pk)
    if not user.has_perm(read, obj):
        raise Http404
    return obj if act is None else permitted(user, act, obj)


def stored_file(file, *, content_type: str, filename: str, sandbox: bool = False) -> FileResponse:
    """A stored upload as an attachment, never rendered in the browser as what it claims to be (`sandbox`: not
    even as a page of its own, for files the units sent)."""
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def workbook(data: bytes, filename: str) -> HttpResponse:
    """An Excel workbook as a download named `filename`."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def job_status(request, context: dict, *, finished: bool, page: str):
    """The page of a background job (`page`, extending common/import_status.html): while the job runs, HTMX asks
    the same address for its progress bar; once it has finished, the page is reloaded whole (HX-Refresh)."""
    if request.htmx and not finished:
        return render(request, "common/_job_progress.html", context)
    if request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, page, context)
