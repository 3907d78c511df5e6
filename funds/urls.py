from django.urls import path
from django.utils.translation import gettext_lazy as _

from funds.resources import AllocationResource, ExpenditureResource, IncomeResource
from funds.views import (
    allocations,
    community,
    courtyard,
    entries,
    generate,
    own_money,
    projects,
    reports,
)
from portal.imports import import_urls

app_name = "funds"

urlpatterns = [
    path("", reports.report, name="report"),
    path("streets/<int:pk>/", reports.street_report, name="street"),
    path("communities/<int:pk>/", reports.community_report, name="community"),
    path("communities/<int:pk>/own/", community.own_fund, name="community_fund"),
    path("communities/<int:pk>/own/spend/", community.own_spend, name="community_spend"),
    path(
        "communities/<int:pk>/own/projects/add/",
        community.own_project_add,
        name="community_project_add",
    ),
    path("courtyards/<int:pk>/", courtyard.courtyard_fund, name="courtyard"),
    path("courtyards/<int:pk>/spend/", courtyard.expenditure_new, name="spend"),
    path("courtyards/<int:pk>/income/", courtyard.income_new, name="income_add"),
    path("courtyards/<int:pk>/projects/add/", courtyard.project_new, name="project_add"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/edit/", courtyard.project_edit, name="project_edit"),
    *import_urls(
        "expenditures/import/",
        "expenditure_import",
        ExpenditureResource,
        permission="funds.add_expenditure",
        title=_("Import expenditures from Excel"),
        back="funds:report",
        back_label=_("Special fund"),
    ),
    *import_urls(
        "income/import/",
        "income_import",
        IncomeResource,
        permission="funds.add_income",
        title=_("Import income from Excel"),
        back="funds:report",
        back_label=_("Special fund"),
    ),
    path("expenditures/<int:pk>/", entries.expenditure_detail, name="expenditure"),
    path(
        "expenditures/<int:pk>/reverse/", entries.expenditure_reversal, name="expenditure_reverse"
    ),
    path("expenditures/<int:pk>/receipt/", entries.receipt, name="receipt"),
    path("income/<int:pk>/reverse/", entries.income_reversal, name="income_reverse"),
    path("allocations/", allocations.allocation_list, name="allocations"),
    path("allocations/add/", allocations.allocation_add, name="allocation_add"),
    path("allocations/<int:pk>/edit/", allocations.allocation_edit, name="allocation_edit"),
    *import_urls(
        "allocations/import/",
        "allocation_import",
        AllocationResource,
        permission="funds.add_allocation",
        title=_("Import allocations from Excel"),
        back="funds:allocations",
        back_label=_("Allocations"),
    ),
    path("allocations/generate/", generate.generate, name="generate"),
    path("courtyards/<int:pk>/own-money/", own_money.ledger, name="own_money"),
    path("courtyards/<int:pk>/own-money/spend/", own_money.spend, name="own_spend"),
    path("own-spending/<int:pk>/reverse/", own_money.reversal, name="own_reverse"),
    path("own-spending/<int:pk>/receipt/", own_money.receipt, name="own_receipt"),
]
