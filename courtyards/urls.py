from django.urls import path
from django.utils.translation import gettext_lazy as _

from courtyards import views
from courtyards.resources import CourtyardResource
from portal.imports import import_urls

app_name = "courtyards"

urlpatterns = [
    path("courtyards/", views.courtyard_list, name="list"),
    path("courtyards/new/", views.courtyard_add, name="courtyard_add"),
    *import_urls(
        "courtyards/import/",
        "courtyard_import",
        CourtyardResource,
        permission="courtyards.add_courtyard",
        title=_("Import courtyards from Excel"),
        back="courtyards:list",
        back_label=_("Courtyards"),
    ),
    path("courtyards/<int:pk>/", views.courtyard_detail, name="courtyard"),
    path("courtyards/<int:pk>/edit/", views.courtyard_edit, name="courtyard_edit"),
    path("communities/<int:pk>/", views.community_detail, name="community"),
    path("streets/<int:pk>/", views.street_detail, name="street"),
]
