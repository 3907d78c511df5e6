from django.urls import path, reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from councils.resources import MembershipResource, PersonResource
from councils.views import (
    elections,
    meetings,
    notice,
    organisations,
    people,
    register,
    reports,
    research,
    supervision,
    terms,
    trainings,
)
from portal.imports import import_urls

app_name = "councils"

urlpatterns = [
    path("", organisations.organisation_list, name="list"),
    path("organisations/new/", organisations.organisation_add, name="organisation_add"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/establish/",
        organisations.organisation_establish,
        name="organisation_establish",
    ),
    path(
        "organisations/<int:pk>/accept/",
        organisations.organisation_accept,
        name="organisation_accept",
    ),
    path(
        "organisations/<int:pk>/dissolve/",
        organisations.organisation_dissolve,
        name="organisation_dissolve",
    ),
    path("organisations/<int:pk>/elections/new/", elections.election_add, name="election_add"),
    path("elections/<int:pk>/", elections.election_detail, name="election"),
    path("organisations/<int:pk>/terms/new/", terms.term_add, name="term_add"),
    path("organisations/<int:pk>/members/new/", terms.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", people.membership_end, name="membership_end"),
    path(
        "organisations/<int:pk>/evaluations/new/",
        supervision.evaluation_add,
        name="evaluation_add",
    ),
    path("evaluations/<int:pk>/", supervision.evaluation_detail, name="evaluation"),
    path("organisations/<int:pk>/inquiries/new/", supervision.inquiry_add, name="inquiry_add"),
    path("inquiries/<int:pk>/", supervision.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/answer/", supervision.inquiry_answer, name="inquiry_answer"),
    path("organisations/<int:pk>/recalls/new/", supervision.recall_add, name="recall_add"),
    path("recalls/<int:pk>/", supervision.recall_detail, name="recall"),
    path("recalls/<int:pk>/vote/", supervision.recall_vote, name="recall_vote"),
    path("people/", people.person_list, name="people"),
    path("people/new/", people.person_add, name="person_add"),
    *import_urls(
        "people/import/",
        "person_import",
        PersonResource,
        permission="councils.add_person",
        title=_("Import people from Excel"),
        back=format_lazy("{}?status=all", reverse_lazy("councils:people")),  # new ones too
        back_label=_("People serving"),
    ),
    *import_urls(
        "memberships/import/",
        "membership_import",
        MembershipResource,
        permission="councils.add_membership",
        title=_("Import memberships from Excel"),
        back="councils:list",
        back_label=_("Organisations"),
    ),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("trainings/", trainings.training_list, name="trainings"),
    path("trainings/new/", trainings.training_add, name="training_add"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training_edit"),
    path("research/", research.visit_list, name="research"),
    path("research/new/", research.visit_add, name="research_visit_add"),
    path("research/<int:pk>/", research.visit_detail, name="research_visit"),
    path("research/<int:pk>/edit/", research.visit_edit, name="research_visit_edit"),
    path("representation/", reports.representation, name="representation"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/register/", register.meeting_register, name="meeting_register"),
    path("meetings/new/", meetings.meeting_add, name="meeting_add"),
    path("meetings/reports/", meetings.meeting_reports, name="meeting_reports"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/publish/", meetings.meeting_publish, name="meeting_publish"),
    path("meetings/<int:pk>/notice/", notice.meeting_notice, name="meeting_notice"),
    path(
        "meetings/attachments/<int:pk>/",
        meetings.meeting_attachment,
        name="meeting_attachment",
    ),
    path("motions/<int:pk>/objections/new/", meetings.objection_add, name="objection_add"),
    path("public/meetings/<int:pk>/", meetings.public_meeting, name="public_meeting"),
]
