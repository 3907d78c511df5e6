from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import export_views, views
from portal.reports import pages as report_pages
from portal.reports import views as annual_views

# The root URLconf belongs to the top layer: it may import portal.reports and the apps.
urlpatterns = [
    path("", report_pages.dashboard, name="dashboard"),
    path("public/courtyards/<int:pk>/", report_pages.public_courtyard, name="public_courtyard"),
    path("public/communities/<int:pk>/", report_pages.public_community, name="public_community"),
    path("reports/annual/", annual_views.annual_report_page, name="annual_report"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/<int:pk>/file/", export_views.export_file, name="export_file"),
    path("healthz", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("courtyards.urls")),
    path("councils/", include("councils.urls")),
    path("funds/", include("funds.urls")),
    path("inspections/", include("inspections.urls")),
    path("concerns/", include("concerns.urls")),
    path("notices/", include("notices.urls")),
    path("assessments/", include("assessments.urls")),
    path("commendations/", include("commendations.urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
