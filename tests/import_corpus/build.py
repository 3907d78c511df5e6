"""A corpus of workbooks made the way street and community clerks make them in Excel, each
with what importing it must do written beside it.

    python tests/import_corpus/build.py DIR     # writes the .xlsx files and EXPECTED.md

tests/import_corpus/test_corpus.py builds them into a temporary folder and uploads each
through the import page (the admin's, or the portal's for community members) as the
persona named, then confirms the import or checks
that it was refused with exactly the messages below and that nothing was saved.

The data is the small district of tests/conftest.py: 浆洗街街道 (communities 锦里社区 with
锦里12号院 and 电力局宿舍, and 洗面桥社区 with 洗面桥3号院) and 望江路街道 (九眼桥社区).
A case's `needs` names the test fixtures and set-ups it relies on (test_corpus.py).

Rows in messages are numbered as Excel numbers them. Only openpyxl is needed here.
"""

import datetime
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

NBSP = "\u00a0"
IDEOGRAPHIC_SPACE = "\u3000"

COURTYARD_HEADERS = [
    "街道",
    "社区",
    "院落",
    "地址",
    "类型",
    "户数",
    "人数",
    "楼栋数",
    "物业公司",
    "业委会",
    "整治情况",
    "整治年份",
]
COURTYARD_COLUMNS = (
    "本表的列有：街道、社区*、院落*、地址、类型*、户数*、人数*、楼栋数*、物业公司、业委会、"
    "整治情况、整治年份（带*的为必填列）。"
)


# What a case expects


@dataclass
class Saved:
    """After the import, the record of `model` found by `lookup` has `values`."""

    model: str
    lookup: dict
    values: dict


@dataclass
class Imported:
    new: int
    updated: int = 0
    saved: list = field(default_factory=list)
    reading: list = field(default_factory=list)  # what the preview says it read


@dataclass
class Refused:
    """Every message on the page, as (row, column, message); row and column are empty
    for what concerns the whole file. Nothing may be saved."""

    problems: list


@dataclass
class Case:
    file: str
    admin: str  # the admin screen: app_model
    persona: str  # an attribute of the `people` fixture
    describe: str
    rows: object  # fills the workbook
    expect: object
    needs: tuple = ()


def courtyard(name, community="锦里社区", street="浆洗街街道", **columns):
    row = {
        "街道": street,
        "社区": community,
        "院落": name,
        "地址": "锦里路1号",
        "类型": "无物管老式院落",
        "户数": 50,
        "人数": 130,
        "楼栋数": 2,
        "物业公司": "",
        "业委会": "",
        "整治情况": "已完成",
        "整治年份": 2023,
        **columns,
    }
    return [row[header] for header in COURTYARD_HEADERS]


def sheet_of(book, title):
    sheet = book.active
    sheet.title = title
    return sheet


# The files


def header_variants(book):
    sheet = sheet_of(book, "院落")
    sheet.append(
        [
            "街道",
            "社区",
            "院落名称",
            "地址",
            "类型",
            "户数\n（户）",
            " 人数 ",
            "楼栋数(栋)",
            "物业公司",
            "业委会",
            "整治情况",
            "整治年份（年）",
        ]
    )
    sheet.append(courtyard("锦里新1号院", 户数=50, 人数=130, 楼栋数=3))
    sheet.append(courtyard("洗面桥新2号院", community="洗面桥社区", 户数=80, 人数=210))
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True)


def names_with_spaces(book):
    sheet = sheet_of(book, "院落")
    sheet.append(COURTYARD_HEADERS)
    sheet.append(courtyard(f"锦里12号院{NBSP}", community="锦里社区 ", 户数=150, 人数=400))
    sheet.append(
        courtyard(f"{IDEOGRAPHIC_SPACE}洗面桥３号院 ", community="洗面桥社区", 户数=66, 人数=170)
    )
    sheet.append(courtyard(f" 新{IDEOGRAPHIC_SPACE}院{NBSP}", 户数=30, 人数=70))
    sheet.append(courtyard("锦里18号院(东区)", 户数=20, 人数=50))


def title_rows_and_totals(book):
    sheet = sheet_of(book, "院落")
    sheet.append(["浆洗街街道院落基本情况统计表（2025年）"])
    sheet.merge_cells("A1:M1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：浆洗街街道办事处", *[None] * 9, "填报日期：2025年3月5日"])
    sheet.append(["序号", *COURTYARD_HEADERS])
    sheet.append([1, *courtyard("锦里新3号院", 户数=40, 人数=100)])
    sheet.append([2, *courtyard("锦里新4号院", 户数=45, 人数=110)])
    sheet.append([3, *courtyard("洗面桥新5号院", community="洗面桥社区", 户数=60, 人数=150)])
    sheet.append([])
    sheet.append([4, *courtyard("洗面桥新6号院", community="洗面桥社区", 户数=70, 人数=160)])
    sheet.append([5])  # a numbered row left empty
    sheet.append(["合计", None, None, None, None, None, "=SUM(G4:G9)", "=SUM(H4:H9)", None])
    sheet.append([])
    sheet.append(["填表人：王芳", None, None, None, None, None, "审核人：李强"])


def numbers_with_units(book):
    sheet = sheet_of(book, "院落")
    sheet.append(COURTYARD_HEADERS)
    sheet.append(
        courtyard("锦里新7号院", 户数="50户", 人数="1,200人", 楼栋数="３栋", 整治年份="2019年")
    )
    sheet.append(
        courtyard("锦里新8号院", 户数="１２０", 人数=" 2,400 ", 楼栋数="4幢", 整治年份=1998)
    )


def blank_choice(book):
    sheet = sheet_of(book, "院落")
    sheet.append(COURTYARD_HEADERS)
    sheet.append(courtyard("锦里新9号院", 整治情况=None, 整治年份=None))


def unknown_header(book):
    sheet = sheet_of(book, "院落")
    sheet.append([*COURTYARD_HEADERS, "占地面积（㎡）"])
    sheet.append([*courtyard("锦里新10号院"), 1200])


def missing_column(book):
    sheet = sheet_of(book, "院落")
    headers = [header for header in COURTYARD_HEADERS if header != "户数"]
    sheet.append(headers)
    row = dict(zip(COURTYARD_HEADERS, courtyard("锦里新11号院"), strict=True))
    sheet.append([row[header] for header in headers])


def bad_cells(book):
    sheet = sheet_of(book, "院落")
    sheet.append(COURTYARD_HEADERS)
    sheet.append(courtyard("锦里新12号院"))
    sheet.append(courtyard("锦里新13号院", 户数="五十户"))
    sheet.append(courtyard("锦里新14号院", 户数="50人"))
    sheet.append(courtyard("锦里新15号院", 类型="别墅"))


def header_only(book):
    sheet = sheet_of(book, "院落")
    sheet.append(COURTYARD_HEADERS)
    for number in range(1, 6):
        sheet.append([None] * 12)
        sheet.cell(row=number + 1, column=13, value=None)


def saved_as_csv(book):
    """A list saved from Excel as CSV and renamed .xlsx: not a workbook at all."""
    return ",".join(COURTYARD_HEADERS).encode("gbk") + b"\r\n"


def data_on_second_sheet(book):
    book.active.title = "Sheet1"
    sheet = book.create_sheet("院落")
    sheet.append(COURTYARD_HEADERS)
    sheet.append(courtyard("锦里新16号院"))


def notes_on_second_sheet(book):
    sheet = sheet_of(book, "院落")
    sheet.append(COURTYARD_HEADERS)
    sheet.append(courtyard("锦里新17号院"))
    notes = book.create_sheet("填表说明")
    notes.append(["1. 户数、人数填写数字。"])
    notes.append(["2. 类型填写：无物管老式院落、单位院落、物管小区。"])


PERSON_HEADERS = ["街道", "社区", "院落", "姓名", "性别", "出生年份", "联系电话", "政治面貌"]


def people_with_spaces(book):
    sheet = sheet_of(book, "人员")
    sheet.append(["锦里社区院落自治组织成员名册"])
    sheet.merge_cells("A1:H1")
    sheet.append(
        ["街道", "社区", "院落 ", "姓名", "性别 ", "出生年份\n（年）", "联系电话", "政治面貌"]
    )
    sheet.append(
        [
            "浆洗街街道",
            "锦里社区",
            "锦里12号院 ",
            f"王{IDEOGRAPHIC_SPACE}芳",
            "女",
            "1958年",
            13812345678,
            "中共党员",
        ]
    )
    sheet.append(
        [
            "浆洗街街道",
            "锦里社区",
            "锦里12号院",
            f" 李建国{NBSP}",
            "男",
            "１９６２",
            "13900001111",
            "",
        ]
    )
    sheet.append(["浆洗街街道", "锦里社区", "电力局宿舍", "赵德明", " 男 ", 1970, None, "群众"])


def people_bad_cells(book):
    sheet = sheet_of(book, "人员")
    sheet.append(PERSON_HEADERS)
    sheet.append(["浆洗街街道", "锦里社区", "锦里12号院", "王芳", "女", 1958, None, ""])
    sheet.append(["浆洗街街道", "锦里社区", "锦里12号院", "李建国", "男", "五八年", None, ""])
    sheet.append(["浆洗街街道", "锦里社区", "锦里12号院", "赵德明", None, 1970, None, ""])


def people_repeated(book):
    sheet = sheet_of(book, "人员")
    sheet.append(PERSON_HEADERS)
    sheet.append(["浆洗街街道", "锦里社区", "锦里12号院", "王芳", "女", 1958, None, ""])
    sheet.append(
        [
            "浆洗街街道",
            "锦里社区",
            "锦里12号院 ",
            f"王{IDEOGRAPHIC_SPACE}芳",
            "女",
            "1958年",
            None,
            "",
        ]
    )


MEMBERSHIP_HEADERS = [
    "街道",
    "社区",
    "院落自治组织",
    "机构",
    "届次",
    "姓名",
    "出生年份",
    "职务",
    "任职开始日期",
    "离任日期",
    "离任原因",
]


def membership(name, started, ended=None, reason=None, number=1):
    return [
        "浆洗街街道",
        "锦里社区",
        "锦里12号院自治组织",
        "院落民情代表议事会",
        number,
        name,
        1962,
        "民情代表",
        started,
        ended,
        reason,
    ]


def membership_dates(book):
    sheet = sheet_of(book, "任职")
    sheet.append(MEMBERSHIP_HEADERS)
    sheet.append(membership("赵德明", "2023/3/5", "2023年9月1日", "辞职", number="第1届"))
    sheet.append(membership("钱淑华", datetime.date(2023, 3, 10), 45200, "迁出"))
    sheet["I3"].number_format = "yyyy/m/d"
    sheet.append(membership("孙丽华", "2023.3.15", number="第一届"))
    sheet.append(membership("周建华", "2023-3-20"))


def membership_bad_date(book):
    sheet = sheet_of(book, "任职")
    sheet.append(MEMBERSHIP_HEADERS)
    sheet.append(membership("赵德明", "2023-3-5", "2023-9-1", "辞职"))
    sheet.append(membership("钱淑华", "2023-13-05"))


EXPENDITURE_HEADERS = [
    "街道",
    "社区",
    "院落",
    "年度",
    "项目",
    "日期",
    "金额（元）",
    "收款方",
    "收款方类型",
    "凭证号",
    "摘要",
]


def spending_with_units(book):
    sheet = sheet_of(book, "支出")
    headers = [*EXPENDITURE_HEADERS]
    headers[6] = "金额\n(元)"
    sheet.append(headers)
    base = ["浆洗街街道", "锦里社区", "锦里12号院", "2026年", "楼道照明维修"]
    sheet.append([*base, "2026年6月1日", "1,000元", "锦里保洁服务社", None, 201, "保洁费"])
    sheet.append([*base, 46188, "￥500.50", "锦里电工班", "单位", "记-202", "更换灯泡"])


def income_with_totals(book):
    sheet = sheet_of(book, "收入")
    sheet.append(["锦里12号院2026年自筹收入"])
    sheet.append(["街道", "社区", "院落", "日期", "类型", "金额（元）", "备注"])
    sheet.append(
        ["浆洗街街道", "锦里社区", "锦里12号院", "2026/3/31", "停车收费", "1,800", "一季度"]
    )
    sheet.append([])
    sheet.append(
        ["浆洗街街道", "锦里社区", "锦里12号院", "2026.6.30", "停车收费", 1750.5, "二季度"]
    )
    sheet.append(["小计", None, None, None, None, 3550.5])


def criteria_with_units(book):
    sheet = sheet_of(book, "评分项")
    sheet.append(["评分标准模板", "评分领域", "评分项", "满分（分）", "排序"])
    sheet.append(["2026年评分标准", "自治运行", "居务公开", "10分", 3])
    sheet.append(["2026年评分标准", "环境安全", "消防通道", "２０", "4"])


def community_aliases(book):
    sheet = sheet_of(book, "社区")
    sheet.append(["所属街道", "社区名称", "区划代码", "办公地址"])
    sheet.append(["望江路街道 ", "望江新社区", 510107002, "望江路2号"])


CASES = [
    Case(
        "01_院落_表头换行和单位.xlsx",
        "courtyards_courtyard",
        "street_a",
        "Headers written as clerks write them: 户数 and a line break and （户）, ' 人数 ', "
        "院落名称, 楼栋数(栋). Today the households were silently saved as 0.",
        header_variants,
        Imported(
            new=2,
            saved=[
                Saved("courtyards.Courtyard", {"name": "锦里新1号院"}, {"households": 50}),
                Saved(
                    "courtyards.Courtyard",
                    {"name": "洗面桥新2号院"},
                    {"households": 80, "residents": 210, "community__name": "洗面桥社区"},
                ),
            ],
        ),
    ),
    Case(
        "02_院落_名称带空格.xlsx",
        "courtyards_courtyard",
        "street_a",
        "Names with a no-break space, an ideographic space, full-width digits: they update "
        "the existing courtyards (also one saved as 锦里１８号院（东区）), and a new name is "
        "saved trimmed.",
        names_with_spaces,
        Imported(
            new=1,
            updated=3,
            saved=[
                Saved("courtyards.Courtyard", {"name": "锦里12号院"}, {"households": 150}),
                Saved("courtyards.Courtyard", {"name": "洗面桥3号院"}, {"households": 66}),
                Saved("courtyards.Courtyard", {"name": "新院"}, {"households": 30}),
                Saved("courtyards.Courtyard", {"name": "锦里18号院(东区)"}, {"households": 20}),
            ],
        ),
        needs=("courtyard_saved_in_full_width",),
    ),
    Case(
        "03_院落_合并标题行和合计行.xlsx",
        "courtyards_courtyard",
        "street_a",
        "A merged title row and a row of who filled it in above the header, a 序号 column, "
        "blank rows, a 合计 row with formulas and signature lines below.",
        title_rows_and_totals,
        Imported(
            new=4,
            reading=[
                "已读取工作表“院落”：表头在第3行，数据在第4至8行。",
                "已跳过：空行3行、合计/小计行1行、表尾说明1行。",
            ],
        ),
    ),
    Case(
        "04_院落_数字带单位.xlsx",
        "courtyards_courtyard",
        "street_a",
        "Numbers with units, separators and full-width digits: 50户, 1,200人, ３栋, 2019年.",
        numbers_with_units,
        Imported(
            new=2,
            saved=[
                Saved(
                    "courtyards.Courtyard",
                    {"name": "锦里新7号院"},
                    {"households": 50, "residents": 1200, "buildings": 3, "remediation_year": 2019},
                ),
                Saved(
                    "courtyards.Courtyard",
                    {"name": "锦里新8号院"},
                    {"households": 120, "residents": 2400, "buildings": 4},
                ),
            ],
        ),
    ),
    Case(
        "05_院落_整治情况留空.xlsx",
        "courtyards_courtyard",
        "street_a",
        "整治情况 left blank: the model's default (无需整治), not a refusal.",
        blank_choice,
        Imported(
            new=1,
            saved=[
                Saved(
                    "courtyards.Courtyard",
                    {"name": "锦里新9号院"},
                    {"remediation": "not_needed", "remediation_year": None},
                )
            ],
        ),
    ),
    Case(
        "06_院落_未知表头.xlsx",
        "courtyards_courtyard",
        "street_a",
        "A column the table does not have: refused before any row is read.",
        unknown_header,
        Refused(
            [
                ("", "", "第1行是表头，其中“占地面积（㎡）”（M列）不是本表的列。"),
                ("", "", COURTYARD_COLUMNS),
            ]
        ),
    ),
    Case(
        "07_院落_缺少户数列.xlsx",
        "courtyards_courtyard",
        "street_a",
        "No 户数 column: refused, never saved as 0 households.",
        missing_column,
        Refused([("", "", "缺少必填的“户数”列。"), ("", "", COURTYARD_COLUMNS)]),
    ),
    Case(
        "08_院落_坏单元格.xlsx",
        "courtyards_courtyard",
        "street_a",
        "Cells that cannot be read: each named by its row and column, one message each.",
        bad_cells,
        Refused(
            [
                ("第3行", "户数", "“五十户”不是数字：请用阿拉伯数字填写，如 50。"),
                ("第4行", "户数", "“50人”：这一列以“户”为单位，请写成 50 或 50户。"),
                (
                    "第5行",
                    "类型",
                    "“别墅”不是可选值，请填写以下之一：无物管老式院落、单位院落、物管小区。",
                ),
            ]
        ),
    ),
    Case(
        "09_院落_数据在第二个工作表.xlsx",
        "courtyards_courtyard",
        "street_a",
        "The first sheet is empty and the data is on the second: refused, saying so.",
        data_on_second_sheet,
        Refused(
            [
                (
                    "",
                    "",
                    "第一个工作表“Sheet1”是空的。系统只读取工作簿的第一个工作表：请把有数据的"
                    "工作表（“院落”）移到最前面，再重新上传。",
                )
            ]
        ),
    ),
    Case(
        "10_院落_只有表头.xlsx",
        "courtyards_courtyard",
        "street_a",
        "The template uploaded before it was filled in.",
        header_only,
        Refused([("", "", "工作表“院落”有表头（第1行），但表头下面没有数据。")]),
    ),
    Case(
        "11_院落_其实是CSV.xlsx",
        "courtyards_courtyard",
        "street_a",
        "A CSV file renamed .xlsx.",
        saved_as_csv,
        Refused(
            [
                (
                    "",
                    "",
                    "无法把这个文件当作 Excel 工作簿读取。请上传 .xlsx 文件（在 Excel 中："
                    "文件 › 另存为 › Excel 工作簿）。",
                )
            ]
        ),
    ),
    Case(
        "12_院落_另有说明工作表.xlsx",
        "courtyards_courtyard",
        "street_a",
        "Data on the first sheet and notes on a second: imported, and the page says the "
        "second sheet was not read.",
        notes_on_second_sheet,
        Imported(
            new=1,
            reading=[
                "已读取工作表“院落”：表头在第1行，数据在第2行。",
                "系统只读取第一个工作表，未读取工作表“填表说明”。",
            ],
        ),
    ),
    Case(
        "13_人员_姓名带空格.xlsx",
        "councils_person",
        "community",
        "A roll of people with a title row, names padded with spaces (王　芳), years as "
        "1958年 and １９６２, a phone typed as a number.",
        people_with_spaces,
        Imported(
            new=3,
            saved=[
                Saved(
                    "councils.Person",
                    {"name": "王芳"},
                    {"birth_year": 1958, "phone": "13812345678"},
                ),
                Saved(
                    "councils.Person", {"name": "李建国"}, {"birth_year": 1962, "gender": "male"}
                ),
                Saved("councils.Person", {"name": "赵德明"}, {"courtyard__name": "电力局宿舍"}),
            ],
        ),
    ),
    Case(
        "14_人员_单元格有误.xlsx",
        "councils_person",
        "community",
        "A year of birth in words and a gender left blank.",
        people_bad_cells,
        Refused(
            [
                ("第3行", "出生年份", "“五八年”不是数字：请用阿拉伯数字填写，如 50。"),
                ("第4行", "性别", "这一格是空的，请填写以下之一：男、女。"),
            ]
        ),
    ),
    Case(
        "15_人员_重复行.xlsx",
        "councils_person",
        "community",
        "The same person twice, once written 王　芳 with 1958年: found as a repeat.",
        people_repeated,
        Refused([("第3行", "出生年份", "与本文件第2行重复（院落、姓名、出生年份都相同）。")]),
    ),
    Case(
        "16_任职_日期多种写法.xlsx",
        "councils_membership",
        "community",
        "Dates as 2023/3/5, 2023年9月1日, an Excel date, a serial number, 2023.3.15 and "
        "2023-3-20; terms as 1, 第1届, 第一届.",
        membership_dates,
        Imported(
            new=4,
            saved=[
                Saved(
                    "councils.Membership",
                    {"person__name": "赵德明"},
                    {
                        "started_on": datetime.date(2023, 3, 5),
                        "ended_on": datetime.date(2023, 9, 1),
                    },
                ),
                Saved(
                    "councils.Membership",
                    {"person__name": "钱淑华"},
                    {
                        "started_on": datetime.date(2023, 3, 10),
                        "ended_on": datetime.date(2023, 10, 1),
                        "end_reason": "moved_away",
                    },
                ),
                Saved(
                    "councils.Membership",
                    {"person__name": "孙丽华"},
                    {"started_on": datetime.date(2023, 3, 15), "ended_on": None},
                ),
            ],
        ),
        needs=("council", "people_to_appoint"),
    ),
    Case(
        "17_任职_日期写错.xlsx",
        "councils_membership",
        "community",
        "A date that is not one: one message, and no second one about the body (机构).",
        membership_bad_date,
        Refused(
            [
                (
                    "第3行",
                    "任职开始日期",
                    "“2023-13-05”不是有效日期：请写成 2025-3-5、2025/3/5 或 2025年3月5日。",
                )
            ]
        ),
        needs=("council", "people_to_appoint"),
    ),
    Case(
        "18_支出_金额带单位.xlsx",
        "funds_expenditure",
        "community",
        "Amounts as 1,000元 and ￥500.50, dates as 2026年6月1日 and an Excel serial number, "
        "the year as 2026年, a voucher number typed as a number, 收款方类型 left blank.",
        spending_with_units,
        Imported(
            new=2,
            saved=[
                Saved(
                    "funds.Expenditure",
                    {"voucher_number": "201"},
                    {
                        "amount": Decimal("1000.00"),
                        "spent_on": datetime.date(2026, 6, 1),
                        "payee_kind": "organisation",
                    },
                ),
                Saved(
                    "funds.Expenditure",
                    {"voucher_number": "记-202"},
                    {"amount": Decimal("500.50"), "spent_on": datetime.date(2026, 6, 15)},
                ),
            ],
        ),
        needs=("fund",),
    ),
    Case(
        "19_收入_空行和小计行.xlsx",
        "funds_income",
        "community",
        "Income under a title row, with a blank row and a 小计 row.",
        income_with_totals,
        Imported(
            new=2,
            saved=[
                Saved("funds.Income", {"note": "二季度"}, {"amount": Decimal("1750.50")}),
            ],
            reading=[
                "已读取工作表“收入”：表头在第2行，数据在第3至5行。",
                "已跳过：空行1行、合计/小计行1行。",
            ],
        ),
        needs=("fund",),
    ),
    Case(
        "20_评分项_分值带单位.xlsx",
        "inspections_criteriaitem",
        "district_staff",
        "Scoring items with 满分（分） as 10分 and ２０.",
        criteria_with_units,
        Imported(
            new=2,
            saved=[
                Saved(
                    "inspections.CriteriaItem", {"name": "居务公开"}, {"max_score": Decimal("10")}
                ),
                Saved(
                    "inspections.CriteriaItem", {"name": "消防通道"}, {"max_score": Decimal("20")}
                ),
            ],
        ),
        needs=("criteria_template",),
    ),
    Case(
        "21_社区_表头别名.xlsx",
        "courtyards_community",
        "district_admin",
        "所属街道 and 社区名称 for 街道 and 社区; a division code typed as a number.",
        community_aliases,
        Imported(
            new=1,
            saved=[
                Saved(
                    "courtyards.Community",
                    {"name": "望江新社区"},
                    {"code": "510107002", "street__name": "望江路街道"},
                )
            ],
        ),
    ),
]


def build(directory):
    """Write every case's workbook into `directory`; returns {file name: path}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        book = Workbook()
        content = case.rows(book)
        path = directory / case.file
        if content is None:
            book.save(path)
        else:
            path.write_bytes(content)
        paths[case.file] = path
    return paths


def expected_markdown():
    lines = ["# Import corpus: what each file must do", ""]
    for case in CASES:
        lines.append(f"## {case.file}")
        where = (
            "the portal's import page"  # community members have no back office
            if case.persona in {"community", "inspector"}
            else f"/admin/{case.admin.replace('_', '/')}/import/"
        )
        lines.append(f"Upload as `{case.persona}` at {where}.")
        lines.append(case.describe)
        if isinstance(case.expect, Imported):
            lines.append(f"- imports: {case.expect.new} new, {case.expect.updated} updated")
            lines += [f"- preview says: {line}" for line in case.expect.reading]
        else:
            lines.append("- refused, nothing saved, with:")
            lines += [f"  - {' '.join(part for part in p if part)}" for p in case.expect.problems]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "import_corpus")
    build(target)
    (target / "EXPECTED.md").write_text(expected_markdown(), encoding="utf-8")
    print(f"{len(CASES)} workbooks and EXPECTED.md written to {target}")
