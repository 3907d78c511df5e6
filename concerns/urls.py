from django.urls import path
from django.utils.translation import gettext_lazy as _

from concerns.resources import ConcernRegisterResource
from concerns.views import concern, duty, register
from portal.imports import import_urls

app_name = "concerns"

urlpatterns = [
    path("", register.register, name="register"),
    path("new/", concern.concern_new, name="new"),
    *import_urls(
        "import/",
        "import",
        ConcernRegisterResource,
        permission="concerns.import_concern",
        title=_("Import a register of concerns from Excel"),
        back="concerns:register",
        back_label=_("Residents' concerns"),
    ),
    path("mine/", duty.mine, name="mine"),
    path("<int:pk>/", concern.concern_detail, name="detail"),
    path("<int:pk>/classify/", concern.concern_classify, name="classify"),
    path("<int:pk>/answer/", concern.concern_answer, name="answer"),
    path("<int:pk>/resolve/", concern.concern_resolve, name="resolve"),
    path("<int:pk>/return-visit/", concern.concern_return_visit, name="return_visit"),
    path("<int:pk>/escalate/", concern.concern_escalate, name="escalate"),
    path("<int:pk>/note/", concern.concern_note, name="note"),
    path("<int:pk>/link/", concern.concern_link, name="link"),
    path("<int:pk>/photos/", concern.concern_add_photos, name="add_photos"),
    path("photos/<int:pk>/", concern.concern_photo, name="photo"),
    path("roster/<int:pk>/", duty.roster, name="roster"),
    path("roster/<int:pk>/handover/", duty.handover, name="handover"),
]
