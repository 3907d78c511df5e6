"""The portal's own Excel import pages: the admin's two steps without the admin.

Each app wires its pages with `import_urls` (people, memberships, expenditures, income,
courtyards). A page takes the resource class, the permission that guards it (the model's
add permission, as IMPORT_EXPORT_IMPORT_PERMISSION_CODE says for the admin), its title and
where to go back. The resource is built with the requesting user, as `PortalAdmin` builds
it, so the scope and the personal-data columns are the admin's.

1. Upload (POST with `import_file`): the file is kept in django-import-export's temporary
   storage (the admin's, `IMPORT_EXPORT_TMP_STORAGE_CLASS`), read and imported as a dry
   run: nothing is saved. The page lists every problem as 行 · 列 · 问题, or previews the
   rows with a 确认导入 button.
2. Confirm (POST with `confirm`): only a file this session's own preview left is read; it
   is imported for real, all or nothing. If the data changed since the preview, the page
   lists the problems and nothing is saved.
"""

import os
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.signals import post_import
from import_export.tmp_storages import TempFolderStorage

from portal.admin import MAX_PENDING_IMPORTS
from portal.importing import ImportRefused, PortalXLSX, Problem

# The temporary files of this session's previews on the portal's pages: [page, file name].
PENDING_PAGE_IMPORTS = "portal_pending_page_imports"


class ImportFileForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy("Only the first sheet is read."),
    )


@dataclass(frozen=True)
class ImportPage:
    """One import page: what it imports, who may, and where it comes from."""

    resource_class: type
    permission: str
    title: str
    back: str  # the page the import is started from: a URL name or a URL
    back_label: str

    @property
    def key(self):
        return f"{self.resource_class.__module__}.{self.resource_class.__name__}"

    def resource(self, request):
        return self.resource_class(user=request.user)


def import_urls(route, name, resource_class, *, permission, title, back, back_label):
    """The page at `route` (named `name`) and its empty template at `route`template/
    (named `name`_template), both guarded by `permission`."""
    page = ImportPage(resource_class, permission, title, back, back_label)

    @login_required
    @permission_required(permission, raise_exception=True)
    def import_view(request):
        if request.method == "POST" and "confirm" in request.POST:
            return _confirm(request, page)
        form = ImportFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return _preview(request, page, form, form.cleaned_data["import_file"])
        return _render(request, page, form=form)

    @login_required
    @permission_required(permission, raise_exception=True)
    def template_view(request):
        response = HttpResponse(
            page.resource(request).template_workbook(),
            content_type=PortalXLSX().get_content_type(),
        )
        filename = _("%(model)s import template.xlsx") % {
            "model": resource_class._meta.model._meta.verbose_name
        }
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(str(filename))}"
        return response

    return [
        path(route, import_view, name=name),
        path(f"{route}template/", template_view, name=f"{name}_template"),
    ]


def _storage(**kwargs):
    """django-import-export's temporary storage, as the admin's import uses it."""
    storage_class = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", TempFolderStorage)
    if isinstance(storage_class, str):
        storage_class = import_string(storage_class)
    return storage_class(read_mode=PortalXLSX().get_read_mode(), encoding=None, **kwargs)


def _import(request, page, data, *, dry_run, file_name):
    """The result of importing `data`, or the problems that refused it before any row."""
    try:
        dataset = PortalXLSX().create_dataset(data)
    except ImportRefused as refused:
        return None, [Problem("", "", message) for message in refused.messages]
    result = page.resource(request).import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        file_name=file_name,
        user=request.user,
        request=request,
        retain_instance_in_row_result=not dry_run,
    )
    return result, result.problems


def _preview(request, page, form, upload):
    storage = _storage()
    storage.save(b"".join(upload.chunks()))
    result, problems = _import(request, page, storage.read(), dry_run=True, file_name=upload.name)
    if problems or result.has_errors() or result.has_validation_errors():
        storage.remove()
        return _render(request, page, form=form, result=result, problems=problems)
    name = os.path.basename(storage.name)
    pending = request.session.get(PENDING_PAGE_IMPORTS, [])[-(MAX_PENDING_IMPORTS - 1) :]
    request.session[PENDING_PAGE_IMPORTS] = [*pending, [page.key, name]]
    return _render(
        request,
        page,
        result=result,
        confirm={"import_file_name": name, "original_file_name": upload.name},
    )


def _confirm(request, page):
    """Saves a file this session's preview left for this page, all or nothing."""
    name = os.path.basename(request.POST.get("import_file_name", ""))
    pending = request.session.get(PENDING_PAGE_IMPORTS, [])
    try:
        if [page.key, name] not in pending:
            raise FileNotFoundError(name)
        storage = _storage(name=name)
        data = storage.read()
    except FileNotFoundError:
        messages.error(
            request, _("This import is no longer waiting to be confirmed: choose the file again.")
        )
        return redirect(request.get_full_path())
    original = os.path.basename(request.POST.get("original_file_name", "")) or name
    result, problems = _import(request, page, data, dry_run=False, file_name=original)
    storage.remove()
    request.session[PENDING_PAGE_IMPORTS] = [p for p in pending if p != [page.key, name]]
    if problems or result.has_errors() or result.has_validation_errors():
        return _render(request, page, form=ImportFileForm(), result=result, problems=problems)
    post_import.send(sender=None, model=page.resource_class._meta.model)
    messages.success(
        request,
        _("Imported: %(new)s new, %(update)s updated.")
        % {"new": result.totals["new"], "update": result.totals["update"]},
    )
    return redirect(_back_url(request, page))


def _back_url(request, page):
    """Where the page was opened from (`?next=`, on this site only), or the page's own."""
    wanted = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(page.back)


def _render(request, page, *, form=None, result=None, problems=(), confirm=None):
    resource = page.resource(request)
    view_name = request.resolver_match.view_name
    return render(
        request,
        "portal/import.html",
        {
            "title": page.title,
            "back_url": _back_url(request, page),
            "back_label": page.back_label,
            "template_url": resolve_url(f"{view_name}_template"),
            "columns": resource.column_guide(),
            "form": form,
            "result": result,
            "problems": problems,
            "confirm": confirm,
        },
    )
