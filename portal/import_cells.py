"""Reading the cells of a workbook the way a clerk fills them in Excel.

Every text cell is cleaned before it is matched or saved (`clean_text`): spaces, no-break
spaces and full-width spaces trimmed, runs of spaces made one, the spaces people put
between the two characters of a name to line it up (王　芳) removed, and full-width letters
and digits made half-width. Names are matched by `match_key`, which is NFKC-normalised and
ignores spaces and case, so 锦里１２号院 (东) finds 锦里12号院（东）.

The widgets read numbers with units and separators (50户, 1,200, ¥1,200.50元, １２０),
dates in the forms people type (Excel dates and serial numbers, 2025-3-5, 2025/3/5,
2025.3.5, 2025年3月5日) and choices by their label; each refuses a cell with a sentence
in Chinese that quotes it, never with a Python message.
"""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import widgets

_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")  # zero-width spaces, byte-order marks
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_INSIDE_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
# Full-width letters, digits and the ideographic space become their half-width forms;
# full-width punctuation (，：（）) is kept, as Chinese text is written with it.
_HALF_WIDTH = {
    **{code: code - 0xFEE0 for code in range(ord("０"), ord("９") + 1)},
    **{code: code - 0xFEE0 for code in range(ord("Ａ"), ord("Ｚ") + 1)},
    **{code: code - 0xFEE0 for code in range(ord("ａ"), ord("ｚ") + 1)},
}


def clean_text(value):
    """A text cell as it should be saved: trimmed, spaces made regular, full-width
    letters and digits made half-width. Other values are returned as they are."""
    return _clean_str(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=16384)  # a file repeats its streets, communities, courtyards
def _clean_str(value):
    text = _INVISIBLE.sub("", value).translate(_HALF_WIDTH)
    text = _SPACES.sub(" ", text).strip()  # str's \s covers no-break and ideographic spaces
    return _SPACE_INSIDE_CJK.sub("", text)


def match_key(value):
    """What two spellings of one name have in common: NFKC-normalised, without spaces,
    case-folded (锦里１２号院（东） and 锦里12号院 (东) give the same key)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _key_of(str(value))


@functools.lru_cache(maxsize=16384)
def _key_of(text):
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return _SPACES.sub("", text).casefold()


def is_blank(value):
    return value is None or (isinstance(value, str) and not clean_text(value))


def _quoted(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


class TextWidget(widgets.CharWidget):
    """Text saved as `clean_text` makes it; a number typed into a text column (a voucher
    number, a phone) is read without a trailing `.0`."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
            value = value.date()
        return super().clean(clean_text(value), row, **kwargs)


_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<digits>\d+(?:\.\d+)?)$")


def read_number(value, units=()):
    """The Decimal a cell holds, allowing thousands separators, a currency sign and one
    of `units` after the digits; ValueError with a Chinese sentence otherwise."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", str(value)))
    text = _SPACES.sub("", text).replace(",", "").replace("−", "-").lstrip("¥￥")
    unit = next((unit for unit in sorted(units, key=len, reverse=True) if text.endswith(unit)), "")
    if unit:
        text = text[: -len(unit)]
    match = _NUMBER.match(text)
    if match:
        return Decimal(match.group("sign") + match.group("digits"))
    words = re.match(r"^[+-]?\d+(?:\.\d+)?(?P<unit>\D+)$", text)
    if words and units:
        raise ValueError(
            _("“%(value)s”: write the number in %(unit)s, e.g. 50 or 50%(unit)s.")
            % {"value": _quoted(value), "unit": units[0]}
        )
    raise ValueError(
        _("“%(value)s” is not a number: write it in digits, e.g. 50.") % {"value": _quoted(value)}
    )


class IntegerWidget(widgets.IntegerWidget):
    """Whole numbers: 50, 50户, １２０, 1,200, 1972年 (with `units=("户",)` etc.)."""

    def __init__(self, units=(), **kwargs):
        super().__init__(**kwargs)
        self.units = tuple(units)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = read_number(value, self.units)
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _quoted(value)})
        if abs(number) >= 10**12:
            raise ValueError(_("“%(value)s” is too large.") % {"value": _quoted(value)})
        return int(number)


class DecimalWidget(widgets.DecimalWidget):
    """Amounts and scores: 1,200.50, ¥1200, 1200元, 10分 (with `units`)."""

    def __init__(self, units=(), **kwargs):
        super().__init__(**kwargs)
        self.units = tuple(units)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = read_number(value, self.units)
        if abs(number) >= 10**12:
            raise ValueError(_("“%(value)s” is too large.") % {"value": _quoted(value)})
        return number


_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}


def read_ordinal(value):
    """A term's number as people write it: 2, 第2届, 第二届, 第十二届."""
    text = clean_text(_quoted(value)) if not isinstance(value, int | float) else value
    if isinstance(text, str):
        bare = text.removeprefix("第").removesuffix("届")
        if bare and all(char in _CHINESE_DIGITS or char == "十" for char in bare):
            tens, _sep, units = bare.rpartition("十")
            if "十" in bare:
                number = (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10
                return number + (_CHINESE_DIGITS.get(units, 0) if units else 0)
            if len(bare) == 1:
                return _CHINESE_DIGITS[bare]
        text = bare
    try:
        number = read_number(text)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value() or number < 1:
        raise ValueError(
            _("“%(value)s” is not a term number: write it as 1 or 第1届.")
            % {"value": _quoted(value)}
        )
    return int(number)


# Excel counts days from 1899-12-30 (its day 60 is a 29 February 1900 that never was).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SERIALS = range(
    (datetime.date(1900, 3, 1) - _EXCEL_EPOCH).days,
    (datetime.date(2200, 1, 1) - _EXCEL_EPOCH).days,
)
_DATE = re.compile(
    r"^(?P<year>\d{4})\s*(?:[-/.]|年)\s*(?P<month>\d{1,2})\s*(?:[-/.]|月)\s*(?P<day>\d{1,2})"
    r"\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")


def read_date(value):
    """The date a cell holds; ValueError with a Chinese sentence otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _SERIALS:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if text.isdigit() and len(text) == 5 and int(text) in _SERIALS:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(text))
        match = _DATE.match(text) or _COMPACT_DATE.match(text)
        if match:
            try:
                return datetime.date(*(int(match.group(part)) for part in ("year", "month", "day")))
            except ValueError:
                pass
    raise ValueError(
        _("“%(value)s” is not a date: write it as 2025-3-5, 2025/3/5 or 2025年3月5日.")
        % {"value": _quoted(value)}
    )


class DateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return read_date(value)


class ChoiceWidget(widgets.Widget):
    """A choice read by its label as people type it (老式院落), or by its code; written
    as its label. A blank cell is left to the resource (the model's default, if any)."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self._codes = {}

    def labels(self):
        return "、".join(str(label) for _code, label in self.choices)

    def codes(self):
        """{match key of a label or a code: code}, in the language of the page."""
        language = get_language()
        if language not in self._codes:
            codes = {match_key(code): code for code, _label in self.choices}
            codes |= {match_key(label): code for code, label in self.choices}
            self._codes[language] = codes
        return self._codes[language]

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        code = self.codes().get(match_key(value))
        if code is not None:
            return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": clean_text(_quoted(value)), "choices": self.labels()}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


# The widgets an import column may use: each reads what clerks type and refuses in Chinese.
TOLERANT_WIDGETS = (TextWidget, IntegerWidget, DecimalWidget, DateWidget, ChoiceWidget)
