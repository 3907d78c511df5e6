from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.reminder_open, name="open"),
    path("read/", views.mark_all_read, name="read_all"),
]
