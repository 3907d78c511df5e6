from django.urls import path

from commendations import views

app_name = "commendations"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/honour-roll.xlsx", views.round_workbook, name="round_workbook"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/decide/", views.round_decide, name="decide"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/evidence/", views.nomination_evidence, name="evidence"),
    path("allowances/new/<int:pk>/", views.allowance_new, name="allowance_new"),
]
