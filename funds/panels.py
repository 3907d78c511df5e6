"""Sections the special fund adds to shared pages (see portal.navigation).

Each panel shows the current year and costs a fixed number of queries, whatever the data.
"""

import datetime

from django.db.models import Max, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Meeting
from courtyards.models import Community, Courtyard, Street
from funds.models import (
    ZERO,
    Allocation,
    Expenditure,
    Income,
    OwnExpenditure,
    Project,
    holder_lookup,
)
from funds.own_money import own_balance
from funds.selectors import (
    courtyard_figures,
    fund_totals,
    income_by_kind,
    live_allocations,
    own_figures,
    projects_with_spending,
)
from portal.params import year_param


def scope_panel(request, unit):
    """The fund's figures for the dashboard's scope, a street or a community this year."""
    user = request.user
    if not user.has_perm("funds.view_allocation"):
        return None
    year = timezone.localdate().year
    courtyards = Courtyard.objects.visible_to(user)
    communities = Community.objects.visible_to(user)  # their own funds (社区本级) count too
    if isinstance(unit, Street):
        courtyards, link = courtyards.filter(community__street=unit), ("street", unit)
        communities = communities.filter(street=unit)
    elif isinstance(unit, Community):
        courtyards, link = courtyards.filter(community=unit), ("community", unit)
        communities = communities.filter(pk=unit.pk)
    else:
        link = None
    return {
        "template": "funds/panels/scope.html",
        "year": year,
        "figures": fund_totals(year, "courtyard", courtyards, own=communities),
        "link": link,
    }


def courtyard_panel(request, courtyard):
    """This year's balance, projects and latest spending of the courtyard."""
    user = request.user
    if not user.has_perm("funds.view_allocation"):
        return None
    year = timezone.localdate().year
    return {
        "template": "funds/panels/courtyard.html",
        "year": year,
        "courtyard": courtyard,
        "figures": courtyard_figures(courtyard, year),
        "projects": projects_with_spending(
            Project.objects.filter(courtyard=courtyard, year=year).order_by("title")
        )[:8],
        "recent": Expenditure.objects.filter(courtyard=courtyard, year=year)
        .select_related("project")
        .order_by("-spent_on", "-pk")[:5],
        "may_spend": user.has_perm("funds.add_expenditure"),
    }


def public_panel(request, courtyard):
    """How the courtyard's special fund was used, for residents: allocations and spending by
    project for one year (the latest with records unless ?year= says). Its own income is the
    own-money panel's (`own_money_public_panel`), beside what was spent of it.

    No personal data: no payees, no descriptions of single expenditures, nothing about
    who recorded what; only sums per project and the allocations' documents."""
    year = _public_year(request, courtyard)
    if year is None:
        return None
    figures = courtyard_figures(courtyard, year)
    allocations = _public_allocations(courtyard, year)
    projects = _public_projects(courtyard, year)
    if not allocations and not projects:
        return None
    return {
        "template": "funds/panels/public.html",
        "year": year,
        "figures": figures,
        "allocations": allocations,
        "projects": projects,
    }


def public_community_panel(request, community):
    """How the community's own fund (社区本级) was used, for residents: what the public
    courtyard panel shows of a courtyard, without income (the community raises none here).
    No payees, no single payments."""
    year = _public_year(request, community)
    if year is None:
        return None
    allocations = _public_allocations(community, year)
    projects = _public_projects(community, year)
    if not allocations and not projects:
        return None
    return {
        "template": "funds/panels/public.html",
        "year": year,
        "own": True,
        "figures": own_figures(community, year),
        "allocations": allocations,
        "projects": projects,
    }


def _public_year(request, holder):
    """The year asked for, else the latest year with an allocation or a project; None when
    the holder (a courtyard, or a community's own fund) has none."""
    if "year" in request.GET:
        return year_param(request)
    latest = [
        Allocation.objects.held_by(holder).aggregate(y=Max("year"))["y"],
        Project.objects.held_by(holder).aggregate(y=Max("year"))["y"],
    ]
    years = [y for y in latest if y]
    return max(years) if years else None


def _public_allocations(holder, year):
    """The year's live allocations: date, source, document and amount."""
    allocations = list(
        live_allocations(year)
        .filter(**holder_lookup(holder))
        .order_by("allocated_on", "pk")
        .values("allocated_on", "source", "document_number", "amount")
    )
    sources = dict(Allocation._meta.get_field("source").choices)
    for allocation in allocations:
        allocation["source_label"] = sources[allocation["source"]]
    return allocations


def _public_projects(holder, year):
    """The year's projects (not the cancelled ones) with their spending and the meeting
    that approved them."""
    projects = list(
        projects_with_spending(
            Project.objects.held_by(holder)
            .filter(year=year)
            .exclude(status=Project.Status.CANCELLED)
        )
        .order_by("title")
        .values(
            "title",
            "category",
            "status",
            "budget",
            "spent",
            "resolution__title",
            "resolution__meeting__held_on",
            "resolution__meeting__kind",
        )
    )
    categories, statuses = dict(Project.Category.choices), dict(Project.Status.choices)
    meeting_kinds = dict(Meeting.Kind.choices)
    for project in projects:
        project["category_label"] = categories[project["category"]]
        project["status_label"] = statuses[project["status"]]
        project["approved_by"] = meeting_kinds.get(project["resolution__meeting__kind"], "")
    return projects


def own_money_public_panel(request, courtyard):
    """The courtyard's own money for residents, for the year asked (else the latest with
    own-money entries): income by kind, each spending (date, payee, approving resolution,
    amount) and the balance. Individuals are shown as 个人, never by name; no summaries of
    single payments, which may name people."""
    year = _own_money_year(request, courtyard)
    if year is None:
        return None
    spending = list(
        OwnExpenditure.objects.filter(courtyard=courtyard, spent_on__year=year)
        .order_by("spent_on", "pk")
        .values(
            "spent_on",
            "payee",
            "payee_kind",
            "amount",
            "reverses",
            "resolution__title",
            "resolution__meeting__held_on",
            "resolution__meeting__kind",
        )
    )
    meeting_kinds = dict(Meeting.Kind.choices)
    for line in spending:
        if line["payee_kind"] != Expenditure.PayeeKind.ORGANISATION:
            line["payee"] = _("Individual")
        line["signed_amount"] = -line["amount"] if line["reverses"] else line["amount"]
        line["approved_by"] = meeting_kinds.get(line["resolution__meeting__kind"], "")
    on = min(datetime.date(year, 12, 31), timezone.localdate())
    return {
        "template": "funds/panels/own_money_public.html",
        "year": year,
        "income_by_kind": income_by_kind(
            year, "courtyard", Courtyard.objects.filter(pk=courtyard.pk)
        ),
        "income": Income.objects.filter(courtyard=courtyard).of_year(year).total(),
        "spending": spending,
        "spent": sum((line["signed_amount"] for line in spending), ZERO),
        "balance_on": on,
        "balance": own_balance(courtyard.pk, on),
    }


def _own_money_year(request, courtyard):
    """The year asked for, else the latest year with own income or spending; None when that
    year has neither."""
    spending = OwnExpenditure.objects.filter(courtyard=courtyard)
    income = Income.objects.filter(courtyard=courtyard)
    if "year" in request.GET:
        year = year_param(request)
        has = spending.of_year(year).exists() or income.of_year(year).exists()
        return year if has else None
    latest = (
        Courtyard.objects.filter(pk=courtyard.pk)
        .values(
            spent=Subquery(spending.order_by("-spent_on").values("spent_on__year")[:1]),
            received=Subquery(income.order_by("-received_on").values("received_on__year")[:1]),
        )
        .get()
    )
    years = [year for year in latest.values() if year]
    return max(years) if years else None
