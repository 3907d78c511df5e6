from django.urls import path

from inspections.views import bulletins, campaigns, planning, rectifications, visits

app_name = "inspections"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", planning.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", planning.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/groups/", planning.campaign_groups, name="campaign_groups"),
    path("campaigns/<int:pk>/groups/new/", planning.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", planning.group_edit, name="group_edit"),
    path("campaigns/<int:pk>/plan/", planning.campaign_plan_targets, name="campaign_plan"),
    path("campaigns/<int:pk>/targets/", campaigns.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/visits/", campaigns.campaign_visits, name="campaign_visits"),
    path("campaigns/<int:pk>/start/", campaigns.campaign_start, name="campaign_start"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/bulletin/", bulletins.bulletin_create, name="bulletin_create"),
    path("targets/<int:pk>/visit/", visits.visit_record, name="visit_record"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/problems/", visits.visit_add_problem, name="visit_add_problem"),
    path("visits/<int:pk>/photos/", visits.visit_add_photo, name="visit_add_photo"),
    path("photos/<int:pk>/", visits.photo_file, name="photo"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    path(
        "rectifications/overview/",
        rectifications.rectification_overview,
        name="rectification_overview",
    ),
    path("rectifications/<int:pk>/", rectifications.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/report/",
        rectifications.rectification_report,
        name="rectification_report",
    ),
    path(
        "rectifications/<int:pk>/verify/",
        rectifications.rectification_verify,
        name="rectification_verify",
    ),
    path("notes/<int:pk>/evidence/", rectifications.evidence_file, name="evidence"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/publish/", bulletins.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/print/", bulletins.bulletin_print, name="bulletin_print"),
    path("bulletins/<int:pk>/workbook/", bulletins.bulletin_workbook, name="bulletin_workbook"),
]
