"""Reading cells and headers the way clerks write them (portal.import_cells, and the header
matching of portal.importing), and the guard that every import column reads that way."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import User
from django.test import RequestFactory
from import_export import widgets as library_widgets

from portal.import_cells import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    TextWidget,
    clean_text,
    match_key,
    read_date,
    read_ordinal,
)
from portal.importing import ScopedForeignKeyWidget, ScopedResource, header_key


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        (" 锦里12号院\u00a0", "锦里12号院"),
        ("\u3000洗面桥３号院 ", "洗面桥3号院"),
        ("王\u3000芳", "王芳"),
        ("王  芳", "王芳"),
        ("Ａ栋 2单元", "A栋 2单元"),
        (
            "收支明细已公示，下季度再报。",
            "收支明细已公示，下季度再报。",
        ),  # Chinese punctuation kept
        ("锦里路1号（东门）", "锦里路1号（东门）"),
        ("\u200b锦里社区\ufeff", "锦里社区"),
    ],
)
def test_text_is_trimmed_and_made_half_width(typed, saved):
    assert clean_text(typed) == saved
    assert TextWidget().clean(typed) == saved


def test_names_match_whatever_their_width_and_spaces():
    assert match_key("锦里１８号院（东区）") == match_key("锦里18号院 (东区)")
    assert match_key("王\u3000芳") == match_key("王芳")
    assert match_key(1958) == match_key(1958.0) == match_key("１９５８")


def test_a_number_typed_into_a_text_column_keeps_no_decimal_point():
    assert TextWidget().clean(13812345678.0) == "13812345678"
    assert TextWidget().clean(201) == "201"


@pytest.mark.parametrize(
    ("typed", "units", "number"),
    [
        (50, (), 50),
        (50.0, (), 50),
        ("50户", ("户",), 50),
        ("1,200人", ("人",), 1200),
        (" 2,400 ", ("人",), 2400),
        ("１２０", ("户",), 120),
        ("1972年", ("年",), 1972),
        ("３栋", ("栋", "幢"), 3),
        ("-5", (), -5),
    ],
)
def test_whole_numbers_with_units_and_separators(typed, units, number):
    assert IntegerWidget(units=units).clean(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("五十户", "“五十户”不是数字：请用阿拉伯数字填写，如 50。"),
        ("50人", "“50人”：这一列以“户”为单位，请写成 50 或 50户。"),
        ("2.5", "“2.5”不是整数。"),
        (True, "“True”不是数字。"),
        ("1" * 20, "太大了"),
    ],
)
def test_a_number_that_cannot_be_read_is_refused_in_chinese(typed, message):
    with pytest.raises(ValueError, match=message):
        IntegerWidget(units=["户"]).clean(typed)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,000元", Decimal("1000")),
        ("￥500.50", Decimal("500.50")),
        ("¥1,200.5", Decimal("1200.5")),
        (500.5, Decimal("500.5")),
        ("10分", Decimal("10")),
    ],
)
def test_amounts_with_currency_and_units(typed, amount):
    assert DecimalWidget(units=["元", "分"]).clean(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        datetime.datetime(2025, 3, 5),
        datetime.date(2025, 3, 5),
        45721,  # an Excel serial number (a date cell formatted as a number)
        45721.0,
        "45721",
        "2025-3-5",
        "2025-03-05",
        "2025/3/5",
        "2025.3.5",
        "2025年3月5日",
        "2025 年 3 月 5 日",
        "２０２５年３月５日",
        "2025-03-05 00:00:00",
        "20250305",
    ],
)
def test_dates_in_the_forms_people_type(typed):
    assert read_date(typed) == datetime.date(2025, 3, 5)
    assert DateWidget().clean(typed) == datetime.date(2025, 3, 5)


@pytest.mark.parametrize("typed", ["2025-13-05", "2025年2月30日", "3/5/2025", "去年", 12, "25.3.5"])
def test_a_date_that_cannot_be_read_is_refused_in_chinese(typed):
    with pytest.raises(ValueError, match="不是有效日期：请写成 2025-3-5、2025/3/5 或 2025年3月5日"):
        read_date(typed)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        (1, 1),
        ("2", 2),
        ("第3届", 3),
        ("第一届", 1),
        ("第十届", 10),
        ("第十二届", 12),
        ("二十一", 21),
    ],
)
def test_term_numbers(typed, number):
    assert read_ordinal(typed) == number


def test_choices_by_label_or_code_whatever_the_spaces():
    widget = ChoiceWidget([("male", "男"), ("female", "女")])
    assert widget.clean(" 男 ") == "male"
    assert widget.clean("female") == "female"
    assert widget.clean(None) == ""
    with pytest.raises(ValueError, match="“未知”不是可选值，请填写以下之一：男、女。"):
        widget.clean("未知")


@pytest.mark.parametrize(
    "written",
    [
        "户数",
        "户数（户）",
        "户数\n（户）",
        "户数\n(户)",
        " 户数 ",
        "户数/户",
        "户数*",
        "户 数",
        "户数【户】",
    ],
)
def test_a_header_matches_whatever_its_spaces_brackets_and_units(written):
    assert header_key(written) == header_key("户数")


def test_a_header_with_its_unit_matches_the_same_header_without():
    assert header_key("金额（元）") == header_key("金额") == header_key("金额(元)")


def importable_resources():
    """The resources of every admin screen that offers an import (to a superuser)."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_active=True)
    return [
        resource_class
        for model_admin in site._registry.values()
        if getattr(model_admin, "resource_classes", None)
        and model_admin.has_import_permission(request)
        for resource_class in model_admin.resource_classes
    ]


def test_the_imports_the_portal_offers():
    names = {resource.__name__ for resource in importable_resources()}
    assert names == {
        "StreetResource",
        "CommunityResource",
        "CourtyardResource",
        "PersonResource",
        "MembershipResource",
        "ExpenditureResource",
        "IncomeResource",
        "AllocationResource",
        "CriteriaItemResource",
    }
    assert all(issubclass(resource, ScopedResource) for resource in importable_resources())


@pytest.mark.parametrize("resource_class", importable_resources(), ids=lambda r: r.__name__)
def test_every_import_column_reads_what_clerks_type(resource_class, db):
    resource = resource_class(user=None)
    resource.column_fields()  # raises if two headers read the same once made loose
    for field in resource.get_import_fields():
        if field.readonly:
            continue
        assert not type(field.widget).__module__.startswith(library_widgets.__name__), (
            f"{resource_class.__name__}.{field.attribute} uses the library's "
            f"{type(field.widget).__name__}, which refuses in English: use portal.import_cells"
        )
        assert isinstance(
            field.widget,
            TextWidget
            | IntegerWidget
            | DecimalWidget
            | DateWidget
            | ChoiceWidget
            | ScopedForeignKeyWidget
            | library_widgets.ForeignKeyWidget,
        )


def test_a_loose_match_is_narrowed_after_every_record_of_the_name_is_found(geo):
    from courtyards.models import Courtyard
    from portal.importing import NameIndex, find_named
    from tests.factories import CourtyardFactory

    for community in [geo.community_a1, geo.community_a2, geo.community_b1]:
        CourtyardFactory(community=community, name="锦里１号院")  # typed in full width
    index = NameIndex(Courtyard.objects.all(), ["name"])  # a widget's, read once per file
    found = find_named(
        Courtyard.objects.all(), {"name": "锦里1号院"}, index, community=geo.community_b1
    )
    assert [courtyard.community for courtyard in found] == [geo.community_b1]
