from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_new, name="new"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("<int:pk>/areas/", views.area_add, name="area_add"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/remove/", views.area_remove, name="area_remove"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/remove/", views.indicator_remove, name="indicator_remove"),
    path("<int:pk>/scores/", views.scheme_scores, name="scores"),
    path("<int:pk>/ranking/", views.scheme_ranking, name="ranking"),
    path("<int:pk>/publish/", views.scheme_publish, name="publish"),
    path("<int:pk>/print/", views.scheme_print, name="print"),
    path("<int:pk>/workbook/", views.scheme_workbook, name="workbook"),
    path("scores/<int:pk>/evidence/", views.score_evidence, name="evidence"),
]
