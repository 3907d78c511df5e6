from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_new, name="new"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/areas/", views.area_add, name="area_add"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/scores/", views.scheme_scores, name="scores"),
    path("<int:pk>/ranking/", views.scheme_ranking, name="ranking"),
    path("<int:pk>/publish/", views.scheme_publish, name="publish"),
    path("<int:pk>/print/", views.scheme_print, name="print"),
    path("<int:pk>/workbook/", views.scheme_workbook, name="workbook"),
    path("scores/<int:pk>/evidence/", views.score_evidence, name="evidence"),
]
