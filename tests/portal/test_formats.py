from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template


def test_figures_show_thousands_separators_as_in_the_bureaus_spreadsheets():
    assert intcomma(120575) == "120,575"


def test_dates_in_tables_read_as_iso_dates():
    import datetime

    rendered = Template("{{ day|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"day": datetime.date(2026, 11, 22)})
    )
    assert rendered == "2026-11-22"
