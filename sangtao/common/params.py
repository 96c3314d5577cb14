"""Request parameters that name objects or counts: anything that is not a whole number is "not found" (404) or the
default — never a server error."""

from django.http import Http404


def pk(value) -> int:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def small_int(value, default: int, low: int, high: int) -> int:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return default
    return max(low, min(high, int(text)))
