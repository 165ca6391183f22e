"""Headless-browser tests of the portal: sign-in, team landing page and switcher, tenant isolation,
API docs, API tokens and the tablet layout, driven through Playwright and Debian's Chromium against
pytest-django's live server."""

import os
import re
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"Chromium is not installed at {CHROMIUM}; browser tests skipped", allow_module_level=True)

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from rfeplatform.accounts.models import ApiToken  # noqa: E402
from rfeplatform.tenancy.roles import Role  # noqa: E402
from tests.factories import PASSWORD, CustomerFactory, MembershipFactory  # noqa: E402

pytestmark = pytest.mark.browser

TIMEOUT_MS = 10_000
MAIN_NAV = ["Overview", "Customers", "Cases", "RFE reports", "Incidents", "GitHub", "Jobs"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module. Module-scoped, so it starts before any function-scoped fixture
    arranges data. Playwright's sync API runs an event loop in this thread, and Django refuses ORM
    calls (test code arranging data) while a loop runs unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it
    is set only while this module's browser is up, so other test modules keep Django's check."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile (no cookies) per test. Requests to any host other than the live
    server are aborted, so a page that reaches out to the internet fails fast instead of hanging;
    tests that care record them (the "request" event fires before routing)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    live_host = urlsplit(live_server.url).netloc

    def only_live_server(route):
        if urlsplit(route.request.url).netloc == live_host:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def login_as(context, live_server):
    """Signs a user in without the login form (the form itself is tested separately): a session made
    by Django's test client, handed to the browser as its session cookie."""

    def login(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return login


def sign_in_with_form(page, username, password):
    page.goto("/accounts/login/")
    form = page.locator("form").filter(has=page.locator("input[name='password']"))
    form.get_by_label("Username or e-mail").fill(username)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def main_heading(page):
    return page.locator("main h1")


def test_login_form_lands_on_team_page_with_customers(page, live_server, team_a, viewer_a):
    CustomerFactory(team=team_a, name="Acme Rockets", account_number="4242")

    sign_in_with_form(page, "viewer-a", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/t/alpha/")
    expect(main_heading(page)).to_have_text("Alpha")
    customers = page.get_by_role("region", name="Customers")
    expect(customers.get_by_role("link", name="Acme Rockets")).to_be_visible()
    expect(customers.get_by_role("cell", name="4242")).to_be_visible()


def test_wrong_password_shows_error_and_stays_on_login(page, live_server, viewer_a):
    sign_in_with_form(page, "viewer-a", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text(re.compile(r"username and/or password you specified are not correct"))).to_be_visible()
    expect(page.locator("input[name='password']")).to_be_visible()
    # Still signed out: the portal sends the browser back to the login page.
    page.goto("/t/alpha/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/t/alpha/$"))


def test_team_switcher_goes_to_other_team_and_is_remembered(page, live_server, login_as, viewer_a, team_b):
    MembershipFactory(user=viewer_a, team=team_b, role=Role.ENGINEER)
    login_as(viewer_a)

    page.goto("/t/alpha/")
    expect(main_heading(page)).to_have_text("Alpha")
    switcher = page.locator("details#team-switcher")
    bravo = switcher.get_by_role("link", name="Bravo", exact=True)
    expect(bravo).to_be_hidden()
    switcher.locator("summary").click()
    expect(bravo).to_be_visible()
    bravo.click()

    expect(page).to_have_url(f"{live_server.url}/t/bravo/")
    expect(main_heading(page)).to_have_text("Bravo")
    expect(page.locator("details#team-switcher summary")).to_have_text("Team: Bravo")

    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/t/bravo/")
    expect(main_heading(page)).to_have_text("Bravo")


def test_foreign_team_page_is_404(page, live_server, login_as, viewer_a, manager_b, customer_b):
    login_as(viewer_a)

    response = page.goto("/t/bravo/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("Bravo")).to_have_count(0)
    expect(page.get_by_text("Bolt")).to_have_count(0)
    # The user's own team still works in the same session.
    assert page.goto("/t/alpha/").status == 200


def test_api_docs_render_from_local_assets_only(page, live_server, login_as, viewer_a):
    login_as(viewer_a)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    response = page.goto("/api/v1/docs/")

    assert response.status == 200
    expect(page.locator(".swagger-ui").first).to_be_visible()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("rfeplatform API")
    # The operations come from the schema endpoint, fetched with the browser session.
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    live_host = urlsplit(live_server.url).netloc
    assert any("/api/v1/schema/" in url for url in requested), requested
    external = [url for url in requested if not url.startswith("data:") and urlsplit(url).netloc != live_host]
    assert external == []
    assert failed == []


def test_api_token_key_is_shown_once(page, live_server, login_as, viewer_a):
    login_as(viewer_a)
    page.goto("/t/alpha/")

    menu = page.locator("details#user-menu")
    menu.locator("summary").click()
    menu.get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(f"{live_server.url}/account/tokens/")
    expect(main_heading(page)).to_have_text("API tokens")

    page.get_by_label("Name").fill("ci")
    page.get_by_role("button", name="Create token").click()

    key_field = page.locator("#created-key")
    expect(key_field).to_be_visible()
    key = key_field.input_value()
    assert key.startswith("rfe_")
    token = ApiToken.objects.get(user=viewer_a)
    assert token.name == "ci"
    assert key.startswith(token.prefix)

    # Coming back to the page (a fresh GET) no longer shows the key, only the listed token.
    page.goto("/account/tokens/")
    expect(main_heading(page)).to_have_text("API tokens")
    expect(page.locator("#created-key")).to_have_count(0)
    assert key not in page.content()
    tokens = page.get_by_role("region", name="Your tokens")
    expect(tokens.get_by_role("cell", name="ci", exact=True)).to_be_visible()
    expect(tokens.get_by_role("button", name="Revoke token ci")).to_be_visible()
    assert ApiToken.objects.filter(user=viewer_a).count() == 1


def test_tablet_layout_has_no_horizontal_scroll(page, live_server, login_as, team_a, manager_a, team_b):
    MembershipFactory(user=manager_a, team=team_b, role=Role.VIEWER)
    for n, name in enumerate(
        [
            "Österreichische Bundesbahnen Infrastruktur Aktiengesellschaft",
            "Deutsche Telekom IT Solutions Slovakia s.r.o.",
            "Acme Rockets",
            "Umbrella Corporation International Holdings",
        ]
    ):
        CustomerFactory(team=team_a, name=name, account_number=f"{5500000 + n}")
    login_as(manager_a)
    page.set_viewport_size({"width": 768, "height": 1024})

    page.goto("/t/alpha/")
    expect(main_heading(page)).to_have_text("Alpha")

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide in a {inner_width}px viewport"
    nav = page.get_by_role("navigation", name="Main")
    for label in MAIN_NAV:
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        expect(link).to_be_in_viewport()
    expect(nav.get_by_role("link", name="Overview", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.locator("details#team-switcher")).to_be_visible()
    expect(page.locator("details#user-menu")).to_be_visible()


def test_reloading_after_token_creation_creates_no_second_token(page, live_server, login_as, viewer_a):
    login_as(viewer_a)
    page.goto("/account/tokens/")
    page.get_by_label("Name").fill("ci")
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#created-key").input_value()
    assert key.startswith("rfe_")

    page.reload()

    expect(page.locator("#created-key")).to_have_count(0, timeout=2_000)
    assert ApiToken.objects.filter(user=viewer_a).count() == 1
