"""Demo assessment schemes: 浆洗街街道 has assessed its communities for this year (two areas,
computed and hand-scored indicators, scored and published); the district keeps a draft
scheme on its streets."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import selectors, services
from assessments.models import Scheme
from courtyards.models import Street

STREET_AREAS = [
    (
        "组织运行",
        [
            ("议事会议召开", "20", "meetings", "4"),
            ("决议按时公开", "20", "decisions_on_time", "90"),
            ("民情诉求按时答复", "20", "concerns_on_time", "95"),
        ],
    ),
    (
        "居民评议",
        [
            ("居民满意度测评", "25", None, "以入户测评满意率计：90%以上满分，每低5个百分点扣3分。"),
            ("特色工作", "15", None, "院落自治特色做法，经街道现场查看认定。"),
        ],
    ),
]
DISTRICT_AREAS = [
    (
        "院落自治工作",
        [
            ("专项资金执行率", "30", "fund_execution", "90"),
            ("整改按期完成率", "30", "rectifications_on_time", "100"),
            ("自治组织参训人次", "20", "training", "3"),
        ],
    ),
    ("工作创新", [("街道考评激励机制建设", "20", None, "街道制定并落实院落自治考评激励办法。")]),
]


def _build(scheme, areas):
    for title, indicators in areas:
        area = services.area_add(scheme, title=title)
        for name, weight, measure, extra in indicators:
            if measure:
                services.indicator_add(
                    area, title=name, weight=Decimal(weight), kind="computed",
                    measure=measure, target=Decimal(extra),
                )  # fmt: skip
            else:
                services.indicator_add(
                    area, title=name, weight=Decimal(weight), kind="manual", guidance=extra
                )


def build(demo):
    district = demo.found["district"]
    if Scheme.objects.filter(district=district).exists():
        return
    users = get_user_model().objects
    qu_staff, jiangxijie = users.get(username="qu_staff"), users.get(username="jd_jiangxijie")
    street = Street.objects.get(district=district, name="浆洗街街道")
    year = timezone.localdate().year
    scheme = services.scheme_create(
        by=jiangxijie, district=district, street=street, year=year,
        title=f"浆洗街街道{year}年度院落自治工作考评", level="communities", min_sample=2,
    )  # fmt: skip
    _build(scheme, STREET_AREAS)
    table = selectors.scoring_table(scheme)
    for row in table.rows:
        for indicator in row.missing:
            share = Decimal(demo.rng.choice([70, 80, 85, 90, 95, 100])) / 100
            services.score_enter(
                indicator, row.subject, points=(indicator.weight * share).quantize(Decimal("0.1")),
                note="街道考评组现场查看、入户测评", by=jiangxijie,
            )  # fmt: skip
    services.scheme_publish(scheme, by=jiangxijie)
    draft = services.scheme_create(
        by=qu_staff, district=district, year=year,
        title=f"{year}年度街道院落自治工作目标考核", level="streets", min_sample=3,
    )  # fmt: skip
    _build(draft, DISTRICT_AREAS)
