import re
from decimal import Decimal

from portal.charts import Series, bar_chart


def bars(svg):
    """Widths of the data bars (those carrying a tooltip), in drawing order."""
    return [float(width) for width in re.findall(r'<rect [^>]*width="([\d.]+)"[^>]*><title>', svg)]


def test_bars_are_proportional_to_their_values():
    svg = str(
        bar_chart(
            ["浆洗街街道", "望江路街道"],
            [Series("万元", [Decimal("10"), Decimal("5")])],
            title="专项资金",
        )
    )
    first, second = bars(svg)
    assert first == 2 * second > 0


def test_the_chart_is_labelled_for_screen_readers_and_escapes_names():
    svg = str(bar_chart(["<b>街道</b>"], [Series("户数", [3])], title="各街道户数"))
    assert 'role="img"' in svg and 'aria-label="各街道户数"' in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_two_series_get_a_legend_and_two_bars_per_label():
    svg = str(
        bar_chart(["甲", "乙"], [Series("区级", [1, 2]), Series("街道", [3, None])], title="资金")
    )
    assert "区级" in svg and "街道" in svg
    assert len(bars(svg)) == 4


def test_no_inline_styles_so_it_renders_under_the_content_security_policy():
    svg = str(bar_chart(["甲"], [Series("x", [0])], title="空"))
    assert "style=" not in svg
