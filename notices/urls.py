from django.urls import path

from notices import return_views, views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("issued/", views.notice_issued_list, name="issued"),
    path("new/", views.notice_new, name="new"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/issue/", views.notice_issue, name="issue"),
    path("<int:pk>/acknowledge/", views.notice_acknowledge, name="acknowledge"),
    path("<int:pk>/return/", return_views.return_edit, name="return"),
    path("<int:pk>/answer/", return_views.answer, name="answer"),
    path("<int:pk>/returns.xlsx", return_views.returns_workbook, name="returns_workbook"),
    path("<int:pk>/template/", return_views.return_template, name="template"),
    path("answers/<int:pk>/file/", return_views.answer_file, name="answer_file"),
]
