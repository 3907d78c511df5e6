from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("issued/", views.notice_issued_list, name="issued"),
    path("new/", views.notice_new, name="new"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/issue/", views.notice_issue, name="issue"),
    path("<int:pk>/acknowledge/", views.notice_acknowledge, name="acknowledge"),
]
