"""Workbooks the inspection pages offer, written through portal.excel.

A campaign's results (one row per visit, with area subtotals) and its rectifications; the
rectification list as filtered; and the bulletin, written from what the bulletin says (its
snapshot once published), so the workbook and the page always agree.
"""

from decimal import Decimal

from django.db.models import Avg, Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from inspections.models import Inspection, Rectification, Verdict
from portal.excel import DATE, INTEGER, Column, Sheet

SCORE_FORMAT = "0.0"


def _area_key(area):
    return f"area_{area.pk}"


class CampaignResultsSheet(Sheet):
    """One row per visit, in the order of the visits given, with a subtotal per criteria
    area; the last row averages them."""

    title = gettext_lazy("Results")

    def __init__(self, visits, areas):
        self.areas = list(areas)
        problems = (
            Rectification.objects.filter(inspection=OuterRef("pk"))
            .values("inspection")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # A fresh queryset over the same visits: joins the caller's annotations made (e.g.
        # counting rectifications) would multiply the sums of scores.
        self.listed = Inspection.objects.filter(pk__in=visits.values("pk"))
        self.visits = (
            self.listed.annotate(
                problems=Coalesce(Subquery(problems), 0),
                **{
                    _area_key(area): Sum("scores__score", filter=Q(scores__item__area=area))
                    for area in self.areas
                },
            )
            .select_related(
                "assignment__group", "assignment__courtyard", "assignment__community__street"
            )
            .order_by(*visits.query.order_by)  # as the page lists them
        )
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 14),
            Column(_("Community"), 14),
            Column(_("Target"), 22),
            Column(_("Kind"), 8),
            Column(_("Group"), 12),
            Column(_("Visited on"), 12, DATE),
            Column(_("Re-inspection"), 8),
            *[Column(area.name, 12, SCORE_FORMAT) for area in self.areas],
            Column(_("Total score"), 10, SCORE_FORMAT),
            Column(_("Full marks"), 8, SCORE_FORMAT),
            Column(_("Suggested verdict"), 10),
            Column(_("Final verdict"), 10),
            Column(_("Reason for the verdict"), 24),
            Column(_("Problems"), 8, INTEGER),
        ]

    def rows(self):
        verdicts = dict(Verdict.choices)
        for number, visit in enumerate(self.visits, start=1):
            assignment = visit.assignment
            yield [
                number,
                assignment.community.street.name,
                assignment.community.name,
                assignment.target_name,
                _("Community") if assignment.is_community else _("Courtyard"),
                assignment.group.name,
                visit.visited_on,
                _("Yes") if visit.is_reinspection else "",
                *[getattr(visit, _area_key(area)) for area in self.areas],
                visit.total,
                visit.max_total,
                str(verdicts[visit.suggested_verdict]),
                str(verdicts[visit.final_verdict]),
                visit.verdict_reason,
                visit.problems,
            ]

    def totals(self):
        figures = self.visits.aggregate(
            visits=Count("pk"),
            total=Avg("total"),
            **{f"avg_{_area_key(a)}": Avg(_area_key(a)) for a in self.areas},
        )
        figures["problems"] = Rectification.objects.filter(
            inspection__in=self.listed.values("pk")
        ).count()
        average = figures["total"]
        return [
            _("Average"),
            "",
            "",
            _("%(count)d visits") % {"count": figures["visits"]},
            "",
            "",
            None,
            "",
            *[_round(figures[f"avg_{_area_key(a)}"]) for a in self.areas],
            _round(average),
            "",
            "",
            "",
            "",
            figures["problems"] or 0,
        ]


def _round(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


class RectificationSheet(Sheet):
    """Rectifications as listed, overdue as of today."""

    title = gettext_lazy("Rectifications")

    def __init__(self, rectifications):
        self.rectifications = rectifications.with_overdue().select_related(
            "community__street", "inspection__assignment__courtyard", "inspection__assignment"
        )
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 14),
            Column(_("Responsible community"), 14),
            Column(_("Target"), 22),
            Column(_("Visited on"), 12, DATE),
            Column(_("Problem"), 40),
            Column(_("Deadline"), 12, DATE),
            Column(_("Status"), 10),
            Column(_("Overdue"), 8),
            Column(_("Verified on"), 12, DATE),
        ]

    def rows(self):
        statuses = dict(Rectification.Status.choices)
        for number, rect in enumerate(self.rectifications.iterator(chunk_size=2000), start=1):
            yield [
                number,
                rect.community.street.name,
                rect.community.name,
                rect.inspection.assignment.target_name,
                rect.inspection.visited_on,
                rect.problem,
                rect.deadline,
                str(statuses[rect.status]),
                _("Yes") if rect.is_overdue else "",
                rect.verified_on,
            ]

    def totals(self):
        figures = self.rectifications.aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Rectification.objects.overdue_condition()),
        )
        return [
            _("Total"),
            "",
            "",
            _("%(count)d items") % {"count": figures["total"]},
            None,
            "",
            None,
            "",
            _("%(count)d overdue") % {"count": figures["overdue"]},
            None,
        ]


# --- Bulletin, from what it says ---------------------------------------------------------


def _date(text):
    import datetime

    return datetime.date.fromisoformat(text) if text else None


def _decimal(text):
    return Decimal(text) if text not in (None, "") else None


class BulletinSummarySheet(Sheet):
    title = gettext_lazy("Summary")

    def __init__(self, content):
        self.content = content
        self.columns = [Column(_("Item"), 28), Column(_("Figure"), 30)]

    def rows(self):
        figures = self.content["figures"]
        campaign = self.content["campaign"]
        yield [_("Campaign"), campaign["title"]]
        yield [_("Period"), f"{campaign['starts_on']} — {campaign['ends_on']}"]
        yield [_("Leader"), campaign["leader"]]
        for label, key in [
            (_("Inspection staff (people)"), "staff"),
            (_("Inspection groups"), "groups"),
            (_("Targets assigned"), "targets"),
            (_("Visits (re-inspections included)"), "visits"),
            (_("Courtyards inspected"), "courtyards"),
            (_("Communities inspected"), "communities"),
            (_("Commended"), "commended"),
            (pgettext("verdict", "Passed"), "passed"),
            (_("Criticised"), "criticised"),
            (_("Problems to rectify"), "rectifications"),
            (_("Not yet verified"), "unfinished"),
            (_("Overdue"), "overdue"),
        ]:
            yield [label, figures[key]]
        yield [_("Average score"), _decimal(figures["average"])]
        yield [_("Full marks"), _decimal(campaign["full_marks"])]


class BulletinTargetsSheet(Sheet):
    """The commended or the criticised targets; the criticised with their problems."""

    def __init__(self, rows, title, with_problems=False):
        self.title = title
        self.targets = rows
        self.with_problems = with_problems
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 14),
            Column(_("Community"), 14),
            Column(_("Target"), 22),
            Column(_("Kind"), 8),
            Column(_("Visited on"), 12, DATE),
            Column(_("Total score"), 10, SCORE_FORMAT),
        ]
        if with_problems:
            self.columns += [Column(_("Problems and deadlines"), 60)]

    def rows(self):
        for number, row in enumerate(self.targets, start=1):
            values = [
                number,
                row["street"],
                row["community"],
                row["target"],
                row["kind"],
                _date(row["visited_on"]),
                _decimal(row["total"]),
            ]
            if self.with_problems:
                values.append(
                    "；".join(
                        _("%(problem)s (by %(deadline)s)")
                        % {"problem": p["problem"], "deadline": p["deadline"]}
                        for p in row["problems"]
                    )
                )
            yield values

    def totals(self):
        return [_("Total"), "", "", len(self.targets), "", None, None] + (
            [""] if self.with_problems else []
        )


class BulletinStreetsSheet(Sheet):
    title = gettext_lazy("Ranking of streets")

    def __init__(self, content):
        self.content = content
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 16),
            Column(_("Courtyards inspected"), 12, INTEGER),
            Column(_("Average score"), 12, SCORE_FORMAT),
            Column(_("Rank"), 18),
        ]

    def rows(self):
        minimum = self.content["campaign"]["min_ranked_courtyards"]
        for number, row in enumerate(self.content["streets"], start=1):
            yield [
                number,
                row["name"],
                row["courtyards"],
                _decimal(row["average"]),
                row["rank"]
                if row["rank"] is not None
                else _("Not ranked (fewer than %(n)d courtyards)") % {"n": minimum},
            ]

    def totals(self):
        return [_("Total"), "", self.content["figures"]["courtyards"], None, ""]


class BulletinOpenSheet(Sheet):
    title = gettext_lazy("Open rectifications")

    def __init__(self, content):
        self.content = content
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 14),
            Column(_("Responsible community"), 14),
            Column(_("Target"), 22),
            Column(_("Problem"), 40),
            Column(_("Deadline"), 12, DATE),
            Column(_("Status"), 12),
        ]

    def rows(self):
        for number, row in enumerate(self.content["open_rectifications"], start=1):
            status = row["status"] + (f"（{_('Overdue')}）" if row["overdue"] else "")
            yield [
                number,
                row["street"],
                row["community"],
                row["target"],
                row["problem"],
                _date(row["deadline"]),
                status,
            ]

    def totals(self):
        items = self.content["open_rectifications"]
        return [_("Total"), "", "", len(items), "", None, ""]


def bulletin_sheets(content):
    return [
        BulletinSummarySheet(content),
        BulletinTargetsSheet(content["commended"], _("Commended")),
        BulletinTargetsSheet(content["criticised"], _("Criticised"), with_problems=True),
        BulletinStreetsSheet(content),
        BulletinOpenSheet(content),
    ]


def campaign_sheets(campaign, visits, areas):
    rectifications = Rectification.objects.filter(inspection__in=visits.values("pk")).order_by(
        "deadline", "pk"
    )
    return [CampaignResultsSheet(visits, areas), RectificationSheet(rectifications)]
