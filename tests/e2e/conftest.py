"""Browser tests: Playwright's Python package driving the system Chromium headless.

Playwright's own browser download does not work on our machines, so the tests use the
Debian package (`/usr/bin/chromium`, or CHROMIUM_PATH). Without it they skip, except under
CI=true, where a missing browser fails the run.

Browser tests need a live server and so `django_db(transaction=True)`; tests/conftest.py
grants the role groups again at the start of each such test, after the previous flush.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API keeps an event loop in the main thread; Django's ORM calls in the
# same thread would otherwise raise SynchronousOnlyOperation. Tests only, never settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}: install the Debian package 'chromium'"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture
def log_in(live_server):
    """log_in(page, username): fills the login form as a person would."""

    def _log_in(page, username, password="secret-password-1"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")

    return _log_in


def open_from_navigation(page, name):
    """Click an item of the main navigation as a person does: on a phone the items sit behind
    the 菜单 button, which is opened first."""
    navigation = page.get_by_role("navigation", name="主导航")
    menu = navigation.get_by_text("菜单", exact=True)
    if menu.is_visible():
        menu.click()
    navigation.get_by_role("link", name=name, exact=True).click()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every browser test also checks that its pages work under the portal's strict CSP."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield
    assert violations == [], violations


# axe-core (bundled by axe-playwright-python) checks each page a browser test reaches; serious
# and critical violations fail the test. Lesser ones (e.g. "region") are advice, not gates.
AXE = Axe()
FAILING_IMPACTS = {"serious", "critical"}
# No preload: axe would copy each stylesheet into a <style> element of its own, which the strict
# CSP refuses (and the CSP check above reports). Only css-orientation-lock needs it, and
# portal.css locks no orientation.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}


def axe_violations(page):
    """[(rule, impact, help, [nodes])] of the serious and critical violations on the page."""
    response = AXE.run(page, options=AXE_OPTIONS).response
    return [
        (v["id"], v["impact"], v["help"], [" ".join(node["target"]) for node in v["nodes"]])
        for v in response["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


@pytest.fixture(autouse=True)
def _no_serious_accessibility_violations(request):
    """Every page a browser test reaches is checked with axe-core, once per distinct state.

    A state is (method of the request that loaded it, URL): a form re-shown after a POST is
    checked apart from the empty form. axe runs on each `load` of the main frame while the test
    goes on; when the test navigates away first, a GET page is loaded again after the test in the
    same browser context (same login) and checked there. A POST result that was left too soon
    cannot be replayed and is skipped.
    """
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    last_method = {"value": "GET"}
    checked = {}  # (method, url) -> violations
    missed = []  # GET URLs left before axe finished

    def on_request(req):
        if req.is_navigation_request() and req.frame == page.main_frame:
            last_method["value"] = req.method

    def on_load(loaded):
        if not loaded.url.startswith("http"):  # about:blank, a page.set_content()
            return
        key = (last_method["value"], loaded.url)
        if key in checked:
            return
        checked[key] = None  # claimed, so a second load of the same state does not rerun
        try:
            checked[key] = axe_violations(loaded)
        except PlaywrightError:  # the page navigated away while axe ran
            del checked[key]
            if key[0] == "GET":
                missed.append(key[1])

    page.on("request", on_request)
    page.on("load", on_load)
    yield
    if not page.is_closed():
        key = (last_method["value"], page.url)
        # a check the load handler has claimed may still be running: let it finish first
        for _ in range(50):
            if key not in checked or checked[key] is not None:
                break
            page.wait_for_timeout(100)
        if checked.get(key) is None and page.url.startswith("http"):
            checked[key] = axe_violations(page)
    page.remove_listener("load", on_load)
    for url in dict.fromkeys(missed):
        if ("GET", url) in checked:
            continue
        again = page.context.new_page()
        try:
            again.goto(url)
            checked[("GET", url)] = axe_violations(again)
        finally:
            again.close()
    report = [
        f"{method} {url}: {rule} ({impact}) {help_text}: {', '.join(nodes)}"
        for (method, url), violations in checked.items()
        for rule, impact, help_text, nodes in violations or []
    ]
    assert report == [], "accessibility violations:\n" + "\n".join(report)


# The two screens every daily task is tried on: an office desktop and a phone.
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Screenshots the tests take, for a person to look at after a run (git ignores the folder).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request, page):
    """Runs the test once on a desktop and once on a phone; the value is "desktop" or "phone"."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def screenshot(request):
    """screenshot(page, "meeting-form"): the whole page as a PNG under screenshots/<test>/."""

    def _screenshot(page, name):
        folder = SCREENSHOTS / request.node.name.replace("[", "-").rstrip("]")
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return _screenshot
