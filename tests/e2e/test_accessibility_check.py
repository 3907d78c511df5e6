"""The axe-core check that conftest.py runs on every page a browser test reaches."""

from tests.e2e.conftest import axe_violations


def test_the_check_names_each_serious_violation_and_where_it_is(page):
    page.set_content(
        '<html lang="zh-Hans"><head><title>检查</title></head><body><main>'
        '<p id="faint" style="color: #aaa; background: #fff">浅灰色的字</p>'
        '<div id="wide" style="overflow-x: auto; width: 100px"><table><tr>'
        '<td style="white-space: nowrap">很宽的表格，一行写不下，要左右滚动才能看完</td>'
        "</tr></table></div>"
        "<h1>标题</h1><h3>跳级的小标题</h3>"
        "</main></body></html>"
    )
    found = {rule: (impact, nodes) for rule, impact, _help, nodes in axe_violations(page)}
    assert found["color-contrast"] == ("serious", ["#faint"])
    assert found["scrollable-region-focusable"] == ("serious", ["#wide"])
    assert "heading-order" not in found  # moderate: advice, not a failure
