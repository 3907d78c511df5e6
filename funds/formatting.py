"""How money reads: yuan with thousands separators and two decimals, 万元 for reports.

Amounts are stored and computed in yuan; 万元 (10,000 yuan) is for display only.
"""

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)


def yuan(value):
    """1234.5 -> "1,234.50"; None -> "0.00"."""
    value = Decimal(value or 0).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:,.2f}"


def wan(value):
    """Yuan shown in 万元 with two decimals: 123456.78 -> "12.35"."""
    value = (Decimal(value or 0) / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:,.2f}"


def in_wan(value):
    """Yuan in 万元 as a Decimal of two decimals, for charts and tables that format it."""
    return (Decimal(value) / TEN_THOUSAND).quantize(Decimal("0.01"))


def mask_name(name):
    """An individual's name with all but its first character hidden: 张卫东 -> 张**."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
