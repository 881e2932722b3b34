"""Sign in with a provider (API.md, "Sign in with a provider (OpenID Connect)"), end to end: the
real authserver binary against the real authlib provider (Tests/Support/oidc_provider.py), over
HTTP on loopback and over HTTPS with a test CA, following every redirect by hand with `requests`
so that each step can be looked at (the real-browser version is in test_browser.py).

The module's server trusts the session provider; tests that need a cache of their own (issuer
mismatch in discovery, key rotation) start their own server, and for rotation their own provider.
"""
from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
import urllib.parse
from types import SimpleNamespace

import pytest
import requests

from conftest import Server, register, unique_email
from mail_fixtures import sql
from oidc_fixtures import oidc_https_provider, oidc_https_provider_process, oidc_provider, oidc_provider_process  # noqa: F401
from oidc_provider import OIDCProviderProcess

PUBLIC_URL = "http://auth.test"  # the callback URI's base; requests are sent to server.url
APP_URL = "http://app.test"
SUCCESS_URL = APP_URL + "/auth/callback"
CALLBACK_PATH = "/api/auth/oauth/test/callback"
FRONTEND_REDIRECT_URI = APP_URL + "/oauth/test"  # OIDC_TEST_REDIRECT_URI: the JSON flow's
PASSWORD = "correct horse battery"
TIMEOUT = 2  # OIDC_TIMEOUT of the module's server


def provider_settings(provider, name="test", client_id=None, **extra) -> dict[str, str]:
    prefix = f"OIDC_{name.upper()}_"
    return {"OIDC_PROVIDERS": name, prefix + "ISSUER": provider.issuer, prefix + "CLIENT_ID": client_id or provider.client_id,
            prefix + "CLIENT_SECRET": provider.client_secret, "PUBLIC_URL": PUBLIC_URL, "APP_URL": APP_URL,
            "OIDC_TIMEOUT": str(TIMEOUT), "LOG_LEVEL": "notice", **extra}


def start_server(provider, **extra) -> Server:
    provider.set_client(redirect_uris=[PUBLIC_URL + CALLBACK_PATH])
    return Server(**provider_settings(provider, **extra))


@pytest.fixture(scope="module")
def server(oidc_provider_process):
    running = start_server(oidc_provider_process, OIDC_PROVIDERS="test,other", OIDC_TEST_REDIRECT_URI=FRONTEND_REDIRECT_URI,
                           OIDC_OTHER_ISSUER=oidc_provider_process.issuer, OIDC_OTHER_CLIENT_ID="other-client",
                           OIDC_OTHER_CLIENT_SECRET=oidc_provider_process.client_secret)
    yield running
    running.stop()


@pytest.fixture
def provider(oidc_provider, server):
    """The session provider, reset, with this module's two clients registered."""
    oidc_provider.set_client(redirect_uris=[PUBLIC_URL + CALLBACK_PATH, FRONTEND_REDIRECT_URI])
    oidc_provider.set_client(client_id="other-client", redirect_uris=[PUBLIC_URL + "/api/auth/oauth/other/callback"])
    return oidc_provider


# --- the flow, one step at a time ------------------------------------------------------------

def begin(server, browser: requests.Session, name="test") -> str:
    """GET /api/auth/oauth/NAME: the provider's authorization URL (and the oauthState cookie)."""
    response = browser.get(server.url + f"/api/auth/oauth/{name}", allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def authorize(provider, url: str) -> str:
    """The provider signs its test user in: the callback URL with code and state."""
    response = requests.get(url, allow_redirects=False, timeout=10, verify=provider._verify)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def finish(server, browser: requests.Session, callback_url: str) -> requests.Response:
    parts = urllib.parse.urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_URL
    return browser.get(server.url + parts.path + "?" + parts.query, allow_redirects=False, timeout=30)


def landing_error(response: requests.Response) -> str | None:
    """The error code the redirect flow sends the browser to the frontend with; None on success."""
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(SUCCESS_URL), location
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("error", [None])[0]


def sign_in(server, provider, browser: requests.Session | None = None, name="test"):
    browser = browser or requests.Session()
    response = finish(server, browser, authorize(provider, begin(server, browser, name)))
    return landing_error(response), browser, response


def refreshed(server, browser: requests.Session) -> dict:
    """What the frontend does on /auth/callback: POST /api/auth/refresh with the cookie."""
    response = browser.post(server.url + "/api/auth/refresh", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def signed_in(server, provider, name="test") -> dict:
    error, browser, _ = sign_in(server, provider, name=name)
    assert error is None
    return refreshed(server, browser)


def as_user(email: str, sub: str | None = None, **claims) -> dict:
    return {"sub": sub or "sub-" + email, "email": email, "email_verified": True, **claims}


def bearer(token: str) -> dict:
    return {"Authorization": "Bearer " + token}


def identities(server, token: str) -> list[dict]:
    response = requests.get(server.url + "/api/auth/identities", headers=bearer(token), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["identities"]


def refused(server, provider, code: str, **user) -> None:
    provider.set_user(**as_user(unique_email("refused"), **user))
    error, _, _ = sign_in(server, provider)
    assert error == code


# --- signing in --------------------------------------------------------------------------------

def test_a_new_user_signs_in_and_the_frontend_refreshes_by_cookie(server, provider):
    email = unique_email("new")
    provider.set_user(**as_user(email, given_name="Grace", family_name="Hopper", name="Grace Hopper"))
    browser = requests.Session()
    authorization = begin(server, browser)
    state_cookie = next(c for c in browser.cookies if c.name == "oauthState")
    assert state_cookie.path == "/api/auth/oauth" and state_cookie.has_nonstandard_attr("HttpOnly")

    callback = authorize(provider, authorization)
    response = finish(server, browser, callback)
    assert landing_error(response) is None
    assert response.headers["Location"] == SUCCESS_URL, "no token, nor anything else, in the URL"
    set_cookies = response.headers.get("Set-Cookie", "")
    assert "refreshToken=" in set_cookies and "HttpOnly" in set_cookies

    session = refreshed(server, browser)
    user = session["user"]
    assert (user["email"], user["hasPassword"], user["emailVerified"], user["role"]) == (email, False, True, "CANDIDATE")
    assert (user["name"], user["firstName"], user["lastName"]) == ("Grace Hopper", "Grace", "Hopper")
    me = requests.get(server.url + "/api/auth/me", headers=bearer(session["accessToken"]), timeout=10)
    assert me.status_code == 200 and me.json()["user"]["email"] == email
    assert [(i["provider"], i["email"]) for i in identities(server, session["accessToken"])] == [("test", email)]


def test_the_authorization_request_carries_state_nonce_and_pkce_and_the_exchange_its_verifier(server, provider):
    email = unique_email("pkce")
    provider.set_user(**as_user(email))
    browser = requests.Session()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(begin(server, browser)).query)
    assert query["response_type"] == ["code"] and query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == [PUBLIC_URL + CALLBACK_PATH] and query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
    assert landing_error(finish(server, browser, authorize(provider, begin(server, browser)))) is None
    token_request = provider.requests("token")[-1]
    verifier = token_request["params"]["code_verifier"]
    challenge = provider.requests("authorize")[-1]["params"]["code_challenge"]
    assert base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode() == challenge
    assert token_request["client_auth"] == "client_secret_basic"


def test_the_json_flow_answers_the_url_then_the_token_response(server, provider):
    email = unique_email("json")
    provider.set_user(**as_user(email))
    browser = requests.Session()
    started = browser.get(server.url + "/api/auth/oauth/test?format=json", timeout=10)
    assert started.status_code == 200 and started.json()["success"] is True
    # The provider sends the browser to the frontend itself, which posts what it brought.
    landing = authorize(provider, started.json()["url"])
    assert landing.startswith(FRONTEND_REDIRECT_URI + "?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(landing).query)
    answer = browser.post(server.url + CALLBACK_PATH, json={"code": query["code"][0], "state": query["state"][0]}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["user"]["email"] == email and answer.json()["tokens"]["refreshToken"]
    assert provider.requests("token")[-1]["params"]["redirect_uri"] == FRONTEND_REDIRECT_URI
    replay = browser.post(server.url + CALLBACK_PATH, json={"code": query["code"][0], "state": query["state"][0]}, timeout=30)
    assert (replay.status_code, replay.json()["code"]) == (400, "OAUTH_STATE_INVALID")


def test_a_denial_posted_by_the_frontend_is_oauth_denied(server, provider):
    provider.control(authorize="deny")
    browser = requests.Session()
    started = browser.get(server.url + "/api/auth/oauth/test?format=json", timeout=10).json()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize(provider, started["url"])).query)
    answer = browser.post(server.url + CALLBACK_PATH, json={"error": query["error"][0], "state": query["state"][0]}, timeout=30)
    assert (answer.status_code, answer.json()["code"]) == (403, "OAUTH_DENIED")


def test_concurrent_first_sign_ins_of_one_identity_make_one_account(server, provider):
    provider.set_user(**as_user(unique_email("race")))
    browsers = [requests.Session() for _ in range(4)]
    callbacks = [authorize(provider, begin(server, browser)) for browser in browsers]
    outcomes: list = [None] * len(browsers)

    def finish_one(index: int) -> None:
        error = landing_error(finish(server, browsers[index], callbacks[index]))
        outcomes[index] = (error, None if error else refreshed(server, browsers[index])["user"]["id"])

    threads = [threading.Thread(target=finish_one, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [error for error, _ in outcomes] == [None] * len(browsers), outcomes
    assert len({user for _, user in outcomes}) == 1, outcomes


def test_an_unknown_provider_is_404(server):
    response = requests.get(server.url + "/api/auth/oauth/nosuch", allow_redirects=False, timeout=10)
    assert (response.status_code, response.json()["code"]) == (404, "UNKNOWN_PROVIDER")


def test_over_https_with_the_test_ca_in_extra_ca_file(oidc_https_provider):
    trusting = start_server(oidc_https_provider, EXTRA_CA_FILE=str(oidc_https_provider.ca_file))
    untrusting = start_server(oidc_https_provider)
    try:
        email = unique_email("https")
        oidc_https_provider.set_user(**as_user(email))
        assert refreshed(trusting, sign_in(trusting, oidc_https_provider)[1])["user"]["email"] == email
        # Without the CA, discovery fails its certificate check: nothing is sent to the provider.
        started = requests.get(untrusting.url + "/api/auth/oauth/test", allow_redirects=False, timeout=10)
        assert landing_error(started) == "OAUTH_EXCHANGE_FAILED"
        assert "TLS" in untrusting.output() or "certificate" in untrusting.output().lower()
    finally:
        trusting.stop()
        untrusting.stop()


# --- refusals, each its own test -------------------------------------------------------------

def test_a_replayed_state_is_refused(server, provider):
    provider.set_user(**as_user(unique_email("replay")))
    browser = requests.Session()
    callback = authorize(provider, begin(server, browser))
    assert landing_error(finish(server, browser, callback)) is None
    assert landing_error(finish(server, browser, callback)) == "OAUTH_STATE_INVALID"


def test_a_state_without_its_cookie_is_refused(server, provider):
    provider.set_user(**as_user(unique_email("nocookie")))
    browser = requests.Session()
    callback = authorize(provider, begin(server, browser))
    assert landing_error(finish(server, requests.Session(), callback)) == "OAUTH_STATE_INVALID"
    # The attempt did not use the state up: its own browser still finishes.
    assert landing_error(finish(server, browser, callback)) is None


def test_a_state_from_another_browser_is_refused(server, provider):
    provider.set_user(**as_user(unique_email("otherbrowser")))
    victim, attacker = requests.Session(), requests.Session()
    begin(server, attacker)  # the attacker has an oauthState cookie of its own
    callback = authorize(provider, begin(server, victim))
    assert landing_error(finish(server, attacker, callback)) == "OAUTH_STATE_INVALID"


def test_a_double_click_on_sign_in_still_finishes(server, provider):
    """A second begin keeps the browser's oauthState cookie, so the first authorization, the one
    the browser follows, still finishes."""
    provider.set_user(**as_user(unique_email("doubleclick")))
    browser = requests.Session()
    first = begin(server, browser)
    begin(server, browser)
    assert landing_error(finish(server, browser, authorize(provider, first))) is None


def test_a_wrong_nonce_is_refused(server, provider):
    provider.fault("wrong_nonce")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_a_wrong_audience_is_refused(server, provider):
    provider.fault("wrong_aud")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_several_audiences_need_azp_naming_us(server, provider):
    provider.fault("multi_aud")
    refused(server, provider, "OAUTH_TOKEN_INVALID")
    provider.fault("multi_aud_azp_other")
    refused(server, provider, "OAUTH_TOKEN_INVALID")
    provider.fault("multi_aud_azp")
    provider.set_user(**as_user(unique_email("azp")))
    assert sign_in(server, provider)[0] is None


def test_an_expired_id_token_is_refused(server, provider):
    provider.fault("expired")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_an_id_token_issued_in_the_future_is_refused(server, provider):
    provider.fault("iat_future")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_another_issuer_in_the_id_token_is_refused(server, provider):
    provider.fault("wrong_iss")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_alg_none_is_refused(server, provider):
    provider.fault("alg_none")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_hs256_signed_with_the_providers_public_key_is_refused(server, provider):
    provider.fault("hs256_rsa_pem")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_a_bad_signature_is_refused(server, provider):
    provider.fault("bad_signature")
    refused(server, provider, "OAUTH_TOKEN_INVALID")


def test_an_es256_id_token_verifies(server, provider):
    provider.control(id_token_alg="ES256")
    provider.set_user(**as_user(unique_email("es256")))
    assert sign_in(server, provider)[0] is None


def test_an_unverified_provider_email_is_refused(server, provider):
    refused(server, provider, "EMAIL_NOT_VERIFIED", email_verified=False)


def test_a_denied_authorization_lands_with_oauth_denied(server, provider):
    provider.control(authorize="deny")
    refused(server, provider, "OAUTH_DENIED")


def test_a_failing_token_endpoint_is_an_exchange_failure(server, provider):
    provider.control(token_fault="invalid_grant")
    refused(server, provider, "OAUTH_EXCHANGE_FAILED")



@pytest.mark.parametrize("fault, status", [("invalid_grant", 400), ("server_error", 502)])
def test_the_json_flow_tells_a_refused_code_from_a_failing_provider(server, provider, fault, status):
    """A code the token endpoint refuses (expired, used) is the client's 400; a provider that
    fails is a 502 worth retrying. Both carry OAUTH_EXCHANGE_FAILED."""
    provider.set_user(**as_user(unique_email("exchange")))
    browser = requests.Session()
    started = browser.get(server.url + "/api/auth/oauth/test?format=json", timeout=10).json()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize(provider, started["url"])).query)
    provider.control(token_fault=fault)
    answer = browser.post(server.url + CALLBACK_PATH, json={"code": query["code"][0], "state": query["state"][0]}, timeout=30)
    assert (answer.status_code, answer.json()["code"]) == (status, "OAUTH_EXCHANGE_FAILED")

def test_refusals_are_security_events_with_provider_and_reason_and_no_secret(server, provider):
    provider.fault("wrong_nonce")
    provider.set_user(**as_user(unique_email("logged")))
    browser = requests.Session()
    callback = authorize(provider, begin(server, browser))
    assert landing_error(finish(server, browser, callback)) == "OAUTH_TOKEN_INVALID"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)
    code, state = query["code"][0], query["state"][0]
    output = server.output()
    line = [l for l in output.splitlines() if "login.provider_refused" in l][-1]
    assert '"provider":"test"' in line.replace(" ", "") and "nonce" in line
    for secret in (code, state, provider.client_secret, browser.cookies.get("oauthState")):
        assert secret not in output


def test_an_issuer_mismatch_in_discovery_is_refused(oidc_provider):
    oidc_provider.control(discovery_issuer="https://evil.example.com")
    own = start_server(oidc_provider)
    try:
        started = requests.get(own.url + "/api/auth/oauth/test", allow_redirects=False, timeout=10)
        assert landing_error(started) == "OAUTH_EXCHANGE_FAILED"
        json_start = requests.get(own.url + "/api/auth/oauth/test?format=json", timeout=10)
        assert (json_start.status_code, json_start.json()["code"]) == (502, "OAUTH_EXCHANGE_FAILED")
        assert oidc_provider.count("authorize") == 0 and oidc_provider.count("jwks") == 0
    finally:
        own.stop()


def test_a_hanging_provider_fails_within_the_timeout_while_me_keeps_answering(server, provider):
    session = signed_in(server, provider)  # before the provider starts hanging
    provider.set_user(**as_user(unique_email("hang")))
    provider.delay(token=TIMEOUT + 10)
    browser = requests.Session()
    callback = authorize(provider, begin(server, browser))
    outcome = {}

    def hang():
        started = time.monotonic()
        outcome["error"] = landing_error(finish(server, browser, callback))
        outcome["seconds"] = time.monotonic() - started

    threads = [threading.Thread(target=hang)]
    threads[0].start()
    slowest_me = 0.0
    while threads[0].is_alive():
        started = time.monotonic()
        me = requests.get(server.url + "/api/auth/me", headers=bearer(session["accessToken"]), timeout=5)
        assert me.status_code == 200
        slowest_me = max(slowest_me, time.monotonic() - started)
        time.sleep(0.1)
    threads[0].join()
    assert outcome["error"] == "OAUTH_EXCHANGE_FAILED"
    assert outcome["seconds"] < TIMEOUT + 2, outcome
    assert slowest_me < 1.0, slowest_me


def test_a_flood_of_sign_ins_to_a_hanging_provider_is_bounded_and_spares_bcrypt(server, provider):
    """The provider pool has 4 threads and 16 places in its queue: 22 callbacks against a token
    endpoint that hangs run 4 at a time, the 2 beyond the queue are refused at once, and
    password logins (bcrypt, another pool) and /me answer quickly throughout."""
    email = unique_email("flood")
    register(server.url, email, PASSWORD)
    provider.set_user(**as_user(unique_email("flooding")))
    browsers = [requests.Session() for _ in range(22)]
    callbacks = [authorize(provider, begin(server, browser)) for browser in browsers]
    provider.delay(token=TIMEOUT + 10)
    seconds: list = [None] * len(browsers)

    def finish_one(index: int) -> None:
        started = time.monotonic()
        assert landing_error(finish(server, browsers[index], callbacks[index])) == "OAUTH_EXCHANGE_FAILED"
        seconds[index] = time.monotonic() - started

    threads = [threading.Thread(target=finish_one, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    slowest_login = 0.0
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        login = requests.post(server.url + "/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
        assert login.status_code == 200, login.text
        slowest_login = max(slowest_login, time.monotonic() - started)
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    assert None not in seconds, "a callback failed otherwise"
    assert sum(1 for s in seconds if s < 1) >= 2, sorted(seconds)  # refused at once: the queue was full
    assert max(seconds) < 5 * TIMEOUT + 3, sorted(seconds)  # four rounds of four, each bounded by the timeout
    assert slowest_login < 1.0, slowest_login


def test_an_unknown_kid_is_refused_then_accepted_after_the_rotation_is_fetched(tmp_path):
    """The JWKS is fetched again on an unknown kid at most once per OIDC_JWKS_REFETCH_INTERVAL."""
    interval = 3
    with OIDCProviderProcess.start(tls_dir=tmp_path) as own_provider:
        own = start_server(own_provider, OIDC_JWKS_REFETCH_INTERVAL=str(interval))
        try:
            own_provider.set_user(**as_user(unique_email("rotate")))
            assert sign_in(own, own_provider)[0] is None
            assert own_provider.count("jwks") == 1
            time.sleep(interval)
            # A kid the JWKS does not have: fetched again once, then refused until the interval passes.
            own_provider.fault("unpublished_kid", times=None)
            assert sign_in(own, own_provider)[0] == "OAUTH_TOKEN_INVALID"
            assert sign_in(own, own_provider)[0] == "OAUTH_TOKEN_INVALID"
            assert own_provider.count("jwks") == 2
            own_provider.fault(None)

            own_provider.rotate("RS256", keep_old=False)
            assert sign_in(own, own_provider)[0] == "OAUTH_TOKEN_INVALID", "refetched less than the interval ago"
            assert own_provider.count("jwks") == 2
            time.sleep(interval)
            assert sign_in(own, own_provider)[0] is None, "after the interval, the new key is fetched and accepted"
            assert own_provider.count("jwks") == 3
        finally:
            own.stop()


# --- linking -----------------------------------------------------------------------------------

def test_an_existing_verified_account_is_linked_and_keeps_its_password(server, provider):
    email = unique_email("verified")
    registered = register(server.url, email, PASSWORD)
    sql(os.environ["TEST_DATABASE_URL"], f"UPDATE users SET email_verified = true WHERE email = '{email}'")
    provider.set_user(**as_user(email))
    session = signed_in(server, provider)
    assert session["user"]["id"] == registered["user"]["id"] and session["user"]["hasPassword"] is True
    assert requests.post(server.url + "/api/auth/refresh", json={"refreshToken": registered["tokens"]["refreshToken"]},
                         timeout=10).status_code == 200, "its sessions live on"
    login = requests.post(server.url + "/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    assert login.status_code == 200
    # Signed in again by (provider, sub): the same account, still one identity.
    again = signed_in(server, provider)
    assert again["user"]["id"] == registered["user"]["id"]
    assert len(identities(server, again["accessToken"])) == 1


def test_an_unverified_account_is_taken_over_safely(server, provider):
    """Someone registered the address first and never proved it: the provider's sign-in removes
    that password and revokes those sessions before linking, so the squatter is locked out."""
    email = unique_email("squatted")
    squatter = register(server.url, email, PASSWORD)
    # A link to move the account to the squatter's own address, kept for later.
    change = requests.post(server.url + "/api/auth/change-email", headers=bearer(squatter["accessToken"]),
                           json={"newEmail": unique_email("squatter"), "password": PASSWORD}, timeout=10)
    assert change.status_code == 202, change.text
    live_links = f"SELECT count(*) FROM email_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = '{email}' AND t.used_at IS NULL"
    assert sql(os.environ["TEST_DATABASE_URL"], live_links) != "0"
    provider.set_user(**as_user(email))
    session = signed_in(server, provider)
    user = session["user"]
    assert user["id"] == squatter["user"]["id"] and user["hasPassword"] is False and user["emailVerified"] is True
    stale = requests.post(server.url + "/api/auth/refresh", json={"refreshToken": squatter["tokens"]["refreshToken"]}, timeout=10)
    assert stale.status_code == 401
    me = requests.get(server.url + "/api/auth/me", headers=bearer(squatter["accessToken"]), timeout=10)
    assert me.status_code == 401
    login = requests.post(server.url + "/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    assert (login.status_code, login.json()["code"]) == (401, "INVALID_CREDENTIALS")
    assert sql(os.environ["TEST_DATABASE_URL"], live_links) == "0", "no mailed link acts on the account any more"


def test_a_second_provider_is_linked_and_only_the_last_method_cannot_be_unlinked(server, provider):
    email = unique_email("two")
    provider.set_user(**as_user(email))
    first = signed_in(server, provider, "test")
    second = signed_in(server, provider, "other")
    assert second["user"]["id"] == first["user"]["id"]
    token = second["accessToken"]
    assert sorted(i["provider"] for i in identities(server, token)) == ["other", "test"]

    unlink = requests.delete(server.url + "/api/auth/identities/other", headers=bearer(token), timeout=10)
    assert unlink.status_code == 200, unlink.text
    last = requests.delete(server.url + "/api/auth/identities/test", headers=bearer(token), timeout=10)
    assert (last.status_code, last.json()["code"]) == (409, "LAST_SIGN_IN_METHOD")
    missing = requests.delete(server.url + "/api/auth/identities/other", headers=bearer(token), timeout=10)
    assert missing.status_code == 404
    assert [i["provider"] for i in identities(server, token)] == ["test"]


def test_an_account_with_a_password_may_unlink_its_only_provider(server, provider):
    email = unique_email("withpassword")
    register(server.url, email, PASSWORD)
    sql(os.environ["TEST_DATABASE_URL"], f"UPDATE users SET email_verified = true WHERE email = '{email}'")
    provider.set_user(**as_user(email))
    token = signed_in(server, provider)["accessToken"]
    assert requests.delete(server.url + "/api/auth/identities/test", headers=bearer(token), timeout=10).status_code == 200
    assert identities(server, token) == []


def test_a_known_identity_signs_in_even_when_its_email_is_no_longer_verified(server, provider):
    email = unique_email("known")
    provider.set_user(**as_user(email))
    first = signed_in(server, provider)
    provider.set_user(email_verified=False, email=unique_email("changed"))
    assert signed_in(server, provider)["user"]["id"] == first["user"]["id"]


def test_a_deactivated_account_cannot_sign_in_with_its_provider(server, provider):
    email = unique_email("disabled")
    provider.set_user(**as_user(email))
    signed_in(server, provider)
    sql(os.environ["TEST_DATABASE_URL"], f"UPDATE users SET is_active = false WHERE email = '{email}'")
    assert sign_in(server, provider)[0] == "ACCOUNT_DISABLED"


def test_password_login_to_an_account_without_a_password_is_invalid_credentials_in_the_same_time(server, provider):
    email = unique_email("nopassword")
    provider.set_user(**as_user(email))
    signed_in(server, provider)

    def login_seconds(address: str) -> float:
        started = time.monotonic()
        response = requests.post(server.url + "/api/auth/login", json={"email": address, "password": PASSWORD}, timeout=10)
        assert (response.status_code, response.json()["code"]) == (401, "INVALID_CREDENTIALS")
        return time.monotonic() - started

    without_password = sorted(login_seconds(email) for _ in range(5))[2]
    unknown = sorted(login_seconds(unique_email("unknown")) for _ in range(5))[2]
    assert abs(without_password - unknown) < 0.05 + 0.5 * max(without_password, unknown), (without_password, unknown)


def test_identities_need_an_access_token(server):
    assert requests.get(server.url + "/api/auth/identities", timeout=10).status_code == 401
    assert requests.delete(server.url + "/api/auth/identities/test", timeout=10).status_code == 401


# --- the account's own data --------------------------------------------------------------------

def test_a_provider_account_exports_its_identity_and_deletes_itself_after_signing_in(server, provider):
    """The export and the admin's view show the linked identity; an account without a password
    re-authenticates by its recent sign-in, and deleting it takes the identity along."""
    email = unique_email("exported")
    provider.set_user(**as_user(email))
    session = signed_in(server, provider)
    token = session["accessToken"]
    export = requests.get(server.url + "/api/auth/me/export", headers=bearer(token), timeout=10)
    assert export.status_code == 200, export.text
    assert [(i["provider"], i["email"]) for i in export.json()["identities"]] == [("test", email)]

    sql(os.environ["TEST_DATABASE_URL"], f"UPDATE users SET role = 'ADMIN' WHERE email = '{email}'")
    shown = requests.get(server.url + f"/api/admin/users/{session['user']['id']}", headers=bearer(token), timeout=10)
    assert shown.status_code == 200, shown.text
    assert [i["provider"] for i in shown.json()["identities"]] == ["test"]

    deleted = requests.delete(server.url + "/api/auth/me", headers=bearer(token), json={}, timeout=10)
    assert deleted.status_code == 200, deleted.text
    remaining = sql(os.environ["TEST_DATABASE_URL"],
                    f"SELECT count(*) FROM identities WHERE email = '{email}'")
    assert remaining.strip() == "0"
    provider.set_user(**as_user(email))
    assert signed_in(server, provider)["user"]["id"] != session["user"]["id"], "a new account, not the deleted one"
