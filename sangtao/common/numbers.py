"""Numbers as a Vietnamese office writes them — 1.234,5; 95 for 95,00; 88,5 for 88,50 — in the active locale's
separators. One place for the templates' `vn_number` filter and for plain-text writers (the audit trail)."""

from decimal import Decimal

from django.utils import formats


def vn_number(value, decimals=None) -> str:
    """1234.5 -> 1.234,5 (in the active locale's separators)."""
    if value is None or value == "":
        return ""
    if type(value) is int and decimals is None:  # the common case in big tables: no locale lookups needed
        if -1000 < value < 1000:
            return str(value)
        return f"{value:,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))
    if isinstance(value, str):
        value = Decimal(value)
    if decimals is None and isinstance(value, (Decimal, float)) and value == int(value):
        value = int(value)  # 95.00 -> 95
    elif decimals is None and isinstance(value, Decimal):
        value = value.normalize()  # 88.50 -> 88,5
    if decimals is not None:
        return formats.number_format(value, int(decimals), use_l10n=True, force_grouping=True)
    return formats.number_format(value, use_l10n=True, force_grouping=True)
