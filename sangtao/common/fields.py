"""Form fields that read numbers the way a Vietnamese office types them."""

import re

from django import forms
from django.utils.formats import get_format

_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")


class DecimalField(forms.DecimalField):
    """Accepts 1.234,5 and 1234,5 (and 1234.5) where the decimal separator is a comma; where it is a point
    (English), 1,234.5 and 1234.5."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "")
            if get_format("DECIMAL_SEPARATOR") == ",":
                if _GROUPED.fullmatch(value):
                    value = value.replace(".", "")
            else:
                value = value.replace(",", "")
        return super().to_python(value)


def plain(value):
    """A stored decimal as a person would type it again: 72.50 -> 72.5, 3.00 -> 3."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()
