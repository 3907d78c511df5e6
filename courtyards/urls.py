from django.urls import path

from courtyards import views

app_name = "courtyards"

urlpatterns = [
    path("courtyards/", views.courtyard_list, name="list"),
    path("courtyards/new/", views.courtyard_add, name="courtyard_add"),
    path("courtyards/<int:pk>/", views.courtyard_detail, name="courtyard"),
    path("courtyards/<int:pk>/edit/", views.courtyard_edit, name="courtyard_edit"),
    path("communities/<int:pk>/", views.community_detail, name="community"),
    path("streets/<int:pk>/", views.street_detail, name="street"),
]
