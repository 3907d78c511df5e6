from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The top layer as an installed app: pages and files that gather every app's figures
    (the annual report, the dashboard, the public courtyard page), with their commands and
    template filters. It has no models: its figures are kept per community by portal/kept.py."""

    name = "portal.reports"
    label = "reports"
    # Exports the worker may write (portal/exports.py).
    export_kinds = {"annual_workbook": "portal.reports.workbook.annual_workbook"}
    # Figures kept per community and year (portal/kept.py).
    kept_figures = {"annual": "portal.reports.figures.community_values"}
