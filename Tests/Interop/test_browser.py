"""A real browser (headless Chromium) running the test frontend against the real server.

The frontend is on http://localhost:<B>, the API on http://localhost:<A>: same-site, cross-origin,
the shape of a real deployment (see browser.py for why `localhost` on both matters). What is
asserted is what the browser itself enforces: CORS, HttpOnly, SameSite.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import requests

from browser import Frontend, browser, chromium, start_api_server  # noqa: F401  (fixtures)
from conftest import register, unique_email
from oidc_fixtures import TEST_REDIRECT_URI  # noqa: F401  (also puts Tests/Support on sys.path)
from oidc_provider import OIDCProviderProcess

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site():
    """The API allowing one frontend origin, and a second frontend whose origin it does not allow."""
    frontend, stranger = Frontend(), Frontend()
    server = start_api_server(frontend)
    frontend.api_url = stranger.api_url = server.api_url
    yield SimpleNamespace(frontend=frontend, stranger=stranger, server=server)
    server.stop()
    frontend.stop()
    stranger.stop()


def login_in_page(browser, frontend: Frontend, email: str, origin: str | None = None):
    browser.open(frontend.url("/", origin))
    browser.type("email", email)
    browser.type("password", PASSWORD)
    return browser.run("login")


def live_sessions(server, access_token: str) -> int:
    response = requests.get(server.url + "/api/auth/sessions", timeout=10,
                            headers={"Authorization": "Bearer " + access_token})
    assert response.status_code == 200, response.text
    return len(response.json()["sessions"])


def test_password_login_then_refresh_by_cookie_then_me(browser, site):
    email = unique_email("browser")
    register(site.server.url, email, PASSWORD)

    login = login_in_page(browser, site.frontend, email)
    assert (login.state, login.status) == ("ok", "200"), login
    assert browser.text("user-email") == email

    # The refresh cookie is in the browser, for the API's origin and path, HttpOnly, SameSite=Strict...
    cookie = next(c for c in browser.cookies(site.server.api_url + "/api/auth/refresh") if c["name"] == "refreshToken")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/api/auth"
    assert cookie["domain"] == "localhost"
    # ...and invisible to the page's JavaScript.
    assert "refreshToken" not in browser.document_cookie()
    assert "refreshToken" not in browser.text("document-cookie")

    refreshed = browser.run("refresh")
    assert (refreshed.state, refreshed.status) == ("ok", "200"), refreshed
    rotated = next(c for c in browser.cookies(site.server.api_url + "/api/auth/refresh") if c["name"] == "refreshToken")
    assert rotated["value"] != cookie["value"], "every refresh rotates the cookie"

    me = browser.run("me")
    assert (me.state, me.status) == ("ok", "200"), me
    assert browser.text("user-email") == email
    assert "refreshToken" not in browser.document_cookie()


def test_flow_button_forgets_the_access_token_and_gets_it_back_by_cookie(browser, site):
    email = unique_email("flow")
    register(site.server.url, email, PASSWORD)
    browser.open(site.frontend.url())
    browser.type("email", email)
    browser.type("password", PASSWORD)
    flow = browser.run("flow")
    assert flow.state == "ok", (flow, browser.step("login"), browser.step("refresh"), browser.step("me"))
    assert browser.text("has-access-token") == "true"
    assert browser.text("user-email") == email


def test_logout_clears_the_cookie_so_refresh_fails(browser, site):
    email = unique_email("logout")
    register(site.server.url, email, PASSWORD)
    assert login_in_page(browser, site.frontend, email).state == "ok"
    logout = browser.run("logout")
    assert (logout.state, logout.status) == ("ok", "200"), logout
    assert not [c for c in browser.cookies(site.server.api_url + "/api/auth/refresh") if c["name"] == "refreshToken"]
    refresh = browser.run("refresh")
    assert (refresh.state, refresh.status) == ("error", "401"), refresh


def test_refresh_without_a_session_is_a_readable_401(browser, site):
    browser.open(site.frontend.url())
    refresh = browser.run("refresh")
    assert (refresh.state, refresh.status) == ("error", "401"), refresh
    assert refresh.code, "an allowed origin can read the error body"


def test_callback_page_refreshes_by_cookie_and_shows_the_user(browser, site):
    email = unique_email("callback")
    register(site.server.url, email, PASSWORD)
    assert login_in_page(browser, site.frontend, email).state == "ok"
    browser.open(site.frontend.url("/auth/callback"))  # where the API will send a provider sign-in
    callback = browser.step("callback")
    assert callback.state == "ok", (callback, browser.step("refresh"))
    assert browser.text("user-email") == email
    assert browser.text("callback-query") == ""


def test_callback_page_shows_the_error_code(browser, site):
    browser.open(site.frontend.url("/auth/callback?error=OAUTH_DENIED"))
    callback = browser.step("callback")
    assert (callback.state, callback.code) == ("error", "OAUTH_DENIED")


@pytest.mark.parametrize("where", ["cross-site", "same-site"])
def test_a_page_on_an_origin_not_allowed_cannot_log_in(browser, site, where):
    """Login's JSON POST needs a preflight; without CORS headers the browser refuses it, so the
    POST is never even sent (no session appears), and the page only sees a TypeError."""
    email = unique_email("stranger")
    registered = register(site.server.url, email, PASSWORD)
    before = live_sessions(site.server, registered["accessToken"])
    origin = site.frontend.cross_site_origin if where == "cross-site" else site.stranger.origin
    login = login_in_page(browser, site.stranger if where == "same-site" else site.frontend, email, origin)
    assert (login.state, login.code) == ("network-error", "TypeError"), login
    assert browser.text("user-email") == ""
    assert live_sessions(site.server, registered["accessToken"]) == before
    assert not browser.cookies(site.server.api_url + "/api/auth/refresh")


def test_a_page_on_an_origin_not_allowed_cannot_read_even_a_simple_response(browser, site):
    """GET /health needs no preflight: the server answers, yet the browser withholds the answer."""
    browser.open(site.stranger.url())
    refused = browser.fetch(site.server.api_url + "/health")
    assert refused.get("error", "").startswith("TypeError"), refused
    browser.open(site.frontend.url())
    allowed = browser.fetch(site.server.api_url + "/health")
    assert allowed.get("status") == 200, allowed


def test_a_cross_site_frontend_never_gets_the_strict_refresh_cookie(browser):
    """Why the frontend must be same-site with the API (and why these tests say `localhost` on
    both sides): even with its origin allowed by CORS, a page on http://127.0.0.1:B logs in, but
    the browser drops the SameSite=Strict cookie set by a cross-site response, so refresh fails."""
    frontend = Frontend()
    server = start_api_server(frontend, CORS_ORIGINS=f"{frontend.origin},{frontend.cross_site_origin}")
    frontend.api_url = server.api_url
    try:
        email = unique_email("crosssite")
        register(server.url, email, PASSWORD)
        login = login_in_page(browser, frontend, email, frontend.cross_site_origin)
        assert (login.state, login.status) == ("ok", "200"), login  # CORS allows it...
        assert not browser.cookies(server.api_url + "/api/auth/refresh")  # ...SameSite does not
        refresh = browser.run("refresh")
        assert (refresh.state, refresh.status) == ("error", "401"), refresh
    finally:
        server.stop()
        frontend.stop()


# --- sign in with a provider ------------------------------------------------------------------

def test_sign_in_with_provider_in_a_real_browser(browser, tmp_path):
    """Button -> API -> provider -> API callback -> /auth/callback -> refresh + me, as API.md says;
    then the same page's password login and refresh, and a denied sign-in."""
    frontend = Frontend(provider="test")
    provider = OIDCProviderProcess.start(tls_dir=tmp_path)  # http://127.0.0.1:P: cross-site, like a real one
    server = None
    try:
        server = start_api_server(frontend, OIDC_PROVIDERS="test", OIDC_TEST_ISSUER=provider.issuer,
                                  OIDC_TEST_CLIENT_ID=provider.client_id,
                                  OIDC_TEST_CLIENT_SECRET=provider.client_secret)
        frontend.api_url = server.api_url
        provider.set_client(redirect_uris=[server.api_url + "/api/auth/oauth/test/callback"])
        email = unique_email("oidc")
        provider.set_user(sub="browser-oidc-" + email, email=email, email_verified=True)

        browser.open(frontend.url())
        browser.click("sign-in-provider")
        browser.wait_for(lambda d: d.current_url.startswith(frontend.origin + "/auth/callback"), 20,
                         "the browser did not come back to /auth/callback")
        browser.wait_for(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
        callback = browser.step("callback", timeout=15)
        assert callback.state == "ok", (callback, browser.text("callback-query"))
        assert browser.text("user-email") == email
        assert "token" not in browser.text("callback-query").lower()
        authorize = provider.requests("authorize")[-1]["params"]
        assert authorize["code_challenge_method"] == "S256" and authorize["nonce"] and authorize["state"]
        assert provider.requests("token")[-1]["status"] == 200
        # The browser holds the session in the HttpOnly refresh cookie alone; the state cookie is gone.
        cookies = {c["name"]: c for c in browser.cookies(server.api_url + "/api/auth/oauth/test/callback")}
        assert "oauthState" not in cookies
        assert cookies["refreshToken"]["httpOnly"] and cookies["refreshToken"]["sameSite"] == "Strict"
        assert "refreshToken" not in browser.document_cookie()

        # The same page, a password account: login, then refresh by cookie, then me.
        password_email = unique_email("browser-password")
        register(server.url, password_email, PASSWORD)
        browser.open(frontend.url())
        browser.type("email", password_email)
        browser.type("password", PASSWORD)
        flow = browser.run("flow")
        assert flow.state == "ok", (flow, browser.step("login"), browser.step("refresh"), browser.step("me"))
        assert browser.text("user-email") == password_email

        provider.control(authorize="deny")
        browser.open(frontend.url())
        browser.click("sign-in-provider")
        browser.wait_for(lambda d: d.current_url.startswith(frontend.origin + "/auth/callback"), 20)
        browser.wait_for(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
        denied = browser.step("callback")
        assert (denied.state, denied.code) == ("error", "OAUTH_DENIED")
    finally:
        if server:
            server.stop()
        provider.stop()
        frontend.stop()
