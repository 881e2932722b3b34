"""Self-tests of the OpenID Connect test provider (Tests/Support/oidc_provider.py).

The relying party here is done by hand with `requests` and PyJWT, so that whoever writes the
authserver's sign-in tests can trust that each provider mode produces exactly what it says.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

from oidc_fixtures import (TEST_REDIRECT_URI, oidc_https_provider, oidc_https_provider_process,  # noqa: F401
                           oidc_provider, oidc_provider_process)
from oidc_provider import (HERE as SUPPORT, ID_TOKEN_FAULTS, OTHER_AUDIENCE, OIDCProviderProcess, decode_jwt_unverified,
                           pkce_pair)

TIMEOUT = 10


def verify_of(provider: OIDCProviderProcess):
    return str(provider.ca_file) if provider.ca_file else True


def begin(provider: OIDCProviderProcess, *, client_id: str | None = None, redirect_uri: str = TEST_REDIRECT_URI,
          scope: str = "openid email profile", challenge_method: str | None = "S256", **extra: str) -> dict:
    """GET /authorize as a browser would (no redirect followed); returns the flow's values."""
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": client_id or provider.client_id, "redirect_uri": redirect_uri,
              "scope": scope, "state": secrets.token_urlsafe(16), "nonce": secrets.token_urlsafe(16)}
    if challenge_method:
        params["code_challenge"] = challenge if challenge_method == "S256" else verifier
        params["code_challenge_method"] = challenge_method
    params.update(extra)
    response = requests.get(provider.issuer + "/authorize", params=params, allow_redirects=False,
                            timeout=TIMEOUT, verify=verify_of(provider))
    location = urllib.parse.urlsplit(response.headers.get("Location", ""))
    query = dict(urllib.parse.parse_qsl(location.query))
    return {"response": response, "params": params, "verifier": verifier, "query": query,
            "redirected_to": f"{location.scheme}://{location.netloc}{location.path}"}


def authorize(provider: OIDCProviderProcess, **kwargs) -> dict:
    flow = begin(provider, **kwargs)
    assert flow["response"].status_code == 302, flow["response"].text
    assert flow["redirected_to"] == flow["params"]["redirect_uri"]
    assert flow["query"]["state"] == flow["params"]["state"]
    assert "code" in flow["query"], flow["query"]
    return flow


def exchange(provider: OIDCProviderProcess, flow: dict, *, auth: str = "basic", verifier: str | None = None,
             client_id: str | None = None, client_secret: str | None = None, redirect_uri: str | None = None,
             timeout: float = TIMEOUT) -> requests.Response:
    """POST /token for the flow's code with client_secret_basic or client_secret_post."""
    client_id = client_id or provider.client_id
    client_secret = client_secret or provider.client_secret
    form = {"grant_type": "authorization_code", "code": flow["query"]["code"],
            "redirect_uri": redirect_uri or flow["params"]["redirect_uri"],
            "code_verifier": verifier or flow["verifier"]}
    basic = None
    if auth == "basic":
        basic = (client_id, client_secret)
    else:
        form.update(client_id=client_id, client_secret=client_secret)
    return requests.post(provider.issuer + "/token", data=form, auth=basic, timeout=timeout,
                         verify=verify_of(provider))


def sign_in(provider: OIDCProviderProcess, **kwargs) -> tuple[dict, dict]:
    """A whole code flow; returns (flow, token response body)."""
    flow = authorize(provider, **{k: v for k, v in kwargs.items() if k not in ("auth",)})
    response = exchange(provider, flow, auth=kwargs.get("auth", "basic"))
    assert response.status_code == 200, response.text
    return flow, response.json()


def verify_id_token(provider: OIDCProviderProcess, token: str, **options) -> dict:
    """What a correct relying party does: key by kid from the JWKS, alg from the key, iss, aud, exp."""
    header, _ = decode_jwt_unverified(token)
    keys = jwt.PyJWKSet.from_dict(provider.jwks())
    key = keys[header["kid"]]
    return jwt.decode(token, key.key, algorithms=[key.algorithm_name], audience=provider.client_id,
                      issuer=provider.issuer, options={"require": ["exp", "iat", "iss", "aud", "sub"]}, **options)


# --- discovery and keys ------------------------------------------------------------------------

def test_discovery_document(oidc_provider):
    response = requests.get(oidc_provider.issuer + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == oidc_provider.issuer
    for name, path in (("authorization_endpoint", "/authorize"), ("token_endpoint", "/token"),
                       ("jwks_uri", "/jwks"), ("userinfo_endpoint", "/userinfo")):
        assert doc[name] == oidc_provider.issuer + path
    assert set(doc["id_token_signing_alg_values_supported"]) == {"RS256", "ES256"}
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}
    assert "code" in doc["response_types_supported"]


def test_jwks_has_rs256_and_es256_keys_with_kids_and_no_private_parts(oidc_provider):
    response = requests.get(oidc_provider.issuer + "/jwks", timeout=TIMEOUT)
    assert "max-age" in response.headers["Cache-Control"]
    keys = response.json()["keys"]
    assert sorted(k["alg"] for k in keys) == ["ES256", "RS256"]
    assert len({k["kid"] for k in keys}) == 2
    for key in keys:
        assert key["use"] == "sig" and key["kid"]
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    assert {k["kty"]: k.get("crv") for k in keys} == {"RSA": None, "EC": "P-256"}


# --- the code flow -----------------------------------------------------------------------------

def test_code_flow_with_pkce_and_client_secret_basic(oidc_provider):
    flow, tokens = sign_in(oidc_provider, auth="basic")
    assert tokens["token_type"].lower() == "bearer" and tokens["access_token"]
    claims = verify_id_token(oidc_provider, tokens["id_token"])
    header, _ = decode_jwt_unverified(tokens["id_token"])
    assert header["alg"] == "RS256"
    assert claims["nonce"] == flow["params"]["nonce"]
    assert claims["aud"] == oidc_provider.client_id
    assert claims["sub"] == "110169484474386276334"
    assert claims["email"] == "ada.lovelace@example.com" and claims["email_verified"] is True
    assert (claims["name"], claims["given_name"], claims["family_name"]) == ("Ada Lovelace", "Ada", "Lovelace")
    assert claims["iat"] <= time.time() + 5 < claims["exp"]
    token_request = oidc_provider.requests("token")[-1]
    assert token_request["client_auth"] == "client_secret_basic"
    assert token_request["params"]["code_verifier"] == flow["verifier"]
    userinfo = requests.get(oidc_provider.issuer + "/userinfo", timeout=TIMEOUT,
                            headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert userinfo.json()["email"] == "ada.lovelace@example.com"


def test_code_flow_with_client_secret_post_and_es256(oidc_provider):
    oidc_provider.control(id_token_alg="ES256")
    _, tokens = sign_in(oidc_provider, auth="post")
    header, _ = decode_jwt_unverified(tokens["id_token"])
    assert header["alg"] == "ES256"
    assert verify_id_token(oidc_provider, tokens["id_token"])["email"] == "ada.lovelace@example.com"
    assert oidc_provider.requests("token")[-1]["client_auth"] == "client_secret_post"
    assert oidc_provider.requests("token")[-1]["params"]["client_secret"] == "<redacted>"


def test_authorization_request_is_logged_for_the_test_to_check(oidc_provider):
    flow = authorize(oidc_provider)
    logged = oidc_provider.requests("authorize")[-1]["params"]
    for name in ("state", "nonce", "code_challenge", "scope", "redirect_uri", "client_id"):
        assert logged[name] == flow["params"][name]
    assert logged["code_challenge_method"] == "S256"


def test_pkce_mismatch_is_refused(oidc_provider):
    flow = authorize(oidc_provider)
    wrong_verifier, _ = pkce_pair()
    response = exchange(oidc_provider, flow, verifier=wrong_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_pkce_is_required_and_only_s256(oidc_provider):
    for method in (None, "plain"):
        flow = begin(oidc_provider, challenge_method=method)
        assert flow["response"].status_code == 302
        assert flow["query"]["error"] == "invalid_request", method
        assert flow["query"]["state"] == flow["params"]["state"]
        assert "code" not in flow["query"]


def test_code_is_single_use(oidc_provider):
    flow = authorize(oidc_provider)
    assert exchange(oidc_provider, flow).status_code == 200
    again = exchange(oidc_provider, flow)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert oidc_provider.requests("token")[-1]["code_reused"] is True


def test_code_is_bound_to_redirect_uri_and_client(oidc_provider):
    other_uri = "http://localhost:3000/other-callback"
    oidc_provider.set_client(redirect_uris=[TEST_REDIRECT_URI, other_uri])
    oidc_provider.set_client(client_id="second-client", client_secret="second-secret-0123456789",
                             redirect_uris=[TEST_REDIRECT_URI])
    flow = authorize(oidc_provider)
    wrong_uri = exchange(oidc_provider, flow, redirect_uri=other_uri)
    assert wrong_uri.status_code == 400 and wrong_uri.json()["error"] == "invalid_grant"
    wrong_client = exchange(oidc_provider, flow, client_id="second-client", client_secret="second-secret-0123456789")
    assert wrong_client.status_code == 400 and wrong_client.json()["error"] == "invalid_grant"
    assert exchange(oidc_provider, flow).status_code == 200  # the right client and URI still can


def test_expired_code_is_refused(oidc_provider):
    oidc_provider.control(code_ttl=0)
    flow = authorize(oidc_provider)
    response = exchange(oidc_provider, flow)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_client_authentication(oidc_provider):
    flow = authorize(oidc_provider)
    for auth in ("basic", "post"):
        bad = exchange(oidc_provider, flow, auth=auth, client_secret="not-the-secret")
        assert bad.status_code in (400, 401) and bad.json()["error"] == "invalid_client", auth
    oidc_provider.set_client(auth_methods=["client_secret_basic"])
    refused = exchange(oidc_provider, flow, auth="post")
    assert refused.json()["error"] == "invalid_client"
    assert exchange(oidc_provider, flow, auth="basic").status_code == 200


def test_unknown_client_or_unregistered_redirect_uri_is_never_redirected(oidc_provider):
    unknown_client = begin(oidc_provider, client_id="who-is-this")
    assert unknown_client["response"].status_code == 400 and "Location" not in unknown_client["response"].headers
    unregistered = begin(oidc_provider, redirect_uri="http://evil.example/steal")
    assert unregistered["response"].status_code == 400 and "Location" not in unregistered["response"].headers


def test_deny_mode_redirects_with_access_denied(oidc_provider):
    oidc_provider.control(authorize="deny")
    flow = begin(oidc_provider)
    assert flow["response"].status_code == 302
    assert flow["redirected_to"] == TEST_REDIRECT_URI
    assert flow["query"]["error"] == "access_denied"
    assert flow["query"]["state"] == flow["params"]["state"]
    assert "code" not in flow["query"]


def test_user_claims_are_controlled_by_the_test(oidc_provider):
    oidc_provider.set_user(sub="google-42", email="Someone@Example.COM", email_verified=False,
                           name="Grace Hopper", given_name="Grace", family_name=None)
    oidc_provider.control(extra_claims={"hd": "example.com"})
    _, tokens = sign_in(oidc_provider)
    claims = verify_id_token(oidc_provider, tokens["id_token"])
    assert claims["sub"] == "google-42" and claims["email"] == "Someone@Example.COM"
    assert claims["email_verified"] is False and claims["name"] == "Grace Hopper"
    assert "family_name" not in claims and claims["hd"] == "example.com"
    oidc_provider.reset()
    _, tokens = sign_in(oidc_provider)
    assert verify_id_token(oidc_provider, tokens["id_token"])["sub"] == "110169484474386276334"


# --- misbehaving ID tokens ---------------------------------------------------------------------

def rsa_public_pem_from_jwks(provider: OIDCProviderProcess, kid: str) -> bytes:
    jwk = next(k for k in provider.jwks()["keys"] if k["kid"] == kid)
    number = lambda value: int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")  # noqa: E731
    key = RSAPublicNumbers(number(jwk["e"]), number(jwk["n"])).public_key()
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def check_fault(name: str, provider: OIDCProviderProcess, flow: dict, token: str) -> None:
    header, claims = decode_jwt_unverified(token)
    published = {k["kid"] for k in provider.jwks()["keys"]}
    if name == "wrong_nonce":
        assert verify_id_token(provider, token)["nonce"] != flow["params"]["nonce"]
    elif name == "no_nonce":
        assert "nonce" not in verify_id_token(provider, token)
    elif name == "wrong_aud":
        assert claims["aud"] == OTHER_AUDIENCE
        with pytest.raises(jwt.InvalidAudienceError):
            verify_id_token(provider, token)
    elif name in ("multi_aud", "multi_aud_azp", "multi_aud_azp_other"):
        assert claims["aud"] == [provider.client_id, OTHER_AUDIENCE]
        expected_azp = {"multi_aud": None, "multi_aud_azp": provider.client_id,
                        "multi_aud_azp_other": OTHER_AUDIENCE}[name]
        assert claims.get("azp") == expected_azp
        verify_id_token(provider, token)  # a valid signature: only the aud/azp rules can refuse it
    elif name == "wrong_iss":
        with pytest.raises(jwt.InvalidIssuerError):
            verify_id_token(provider, token)
    elif name == "expired":
        assert claims["exp"] < time.time() - 3000
        with pytest.raises(jwt.ExpiredSignatureError):
            verify_id_token(provider, token)
    elif name == "iat_future":
        # Signature, aud and exp are all fine: only an iat check catches it (PyJWT versions differ).
        assert claims["iat"] > time.time() + 3000 and claims["exp"] > claims["iat"]
    elif name == "alg_none":
        assert header["alg"] == "none" and token.endswith(".") and "kid" not in header
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(token, options={"verify_signature": True}, algorithms=["RS256", "ES256"], key="x")
    elif name == "hs256_rsa_pem":
        assert header["alg"] == "HS256" and header["kid"] in published
        pem = rsa_public_pem_from_jwks(provider, header["kid"])
        signing_input, signature = token.rsplit(".", 1)
        expected = base64.urlsafe_b64encode(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())
        assert signature == expected.rstrip(b"=").decode()
        with pytest.raises(jwt.InvalidTokenError):  # a correct verifier: alg comes from the key
            verify_id_token(provider, token)
    elif name == "unpublished_kid":
        assert header["kid"] not in published
        assert header["kid"] == provider.state()["unpublished_kid"]
    elif name == "no_kid":
        assert "kid" not in header and header["alg"] == "RS256"
    elif name == "bad_signature":
        assert header["kid"] in published
        with pytest.raises(jwt.InvalidSignatureError):
            verify_id_token(provider, token)
    else:
        raise AssertionError(f"no check for {name}")
    if name not in ("wrong_nonce", "no_nonce"):
        assert claims.get("nonce") == flow["params"]["nonce"]  # only the named fault is wrong
    assert claims["email"] == "ada.lovelace@example.com"


@pytest.mark.parametrize("fault", ID_TOKEN_FAULTS)
def test_id_token_fault(oidc_provider, fault):
    oidc_provider.fault(fault)
    flow, tokens = sign_in(oidc_provider)
    check_fault(fault, oidc_provider, flow, tokens["id_token"])
    _, next_tokens = sign_in(oidc_provider)  # times=1: the next one is good again
    verify_id_token(oidc_provider, next_tokens["id_token"])


def test_fault_times_and_until_cleared(oidc_provider):
    oidc_provider.fault("expired", times=2)
    for _ in range(2):
        with pytest.raises(jwt.ExpiredSignatureError):
            verify_id_token(oidc_provider, sign_in(oidc_provider)[1]["id_token"])
    verify_id_token(oidc_provider, sign_in(oidc_provider)[1]["id_token"])
    oidc_provider.fault("wrong_aud", times=None)
    for _ in range(3):
        with pytest.raises(jwt.InvalidAudienceError):
            verify_id_token(oidc_provider, sign_in(oidc_provider)[1]["id_token"])
    oidc_provider.fault(None)
    verify_id_token(oidc_provider, sign_in(oidc_provider)[1]["id_token"])


def test_token_endpoint_faults(oidc_provider):
    oidc_provider.control(token_fault="server_error")
    flow = authorize(oidc_provider)
    assert exchange(oidc_provider, flow).status_code == 500
    oidc_provider.control(token_fault="not_json")
    response = exchange(oidc_provider, flow)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    oidc_provider.control(token_fault="invalid_grant")
    assert exchange(oidc_provider, flow).json()["error"] == "invalid_grant"
    oidc_provider.control(token_fault="no_id_token")
    body = exchange(oidc_provider, flow).json()  # the code was still unused: the faults above came first
    assert "access_token" in body and "id_token" not in body


# --- keys, discovery, hangs, the log -----------------------------------------------------------

def test_key_rotation(oidc_provider):
    original = {k["alg"]: k["kid"] for k in oidc_provider.jwks()["keys"]}
    kept = oidc_provider.rotate("RS256", keep_old=True)
    kids = {k["kid"] for k in oidc_provider.jwks()["keys"]}
    assert kept not in original.values() and {kept, *original.values()} == kids
    _, tokens = sign_in(oidc_provider)
    assert decode_jwt_unverified(tokens["id_token"])[0]["kid"] == kept
    verify_id_token(oidc_provider, tokens["id_token"])

    dropped_old = oidc_provider.rotate("RS256", keep_old=False)
    kids = {k["kid"] for k in oidc_provider.jwks()["keys"]}
    assert dropped_old in kids and kept not in kids and original["RS256"] in kids

    oidc_provider.control(id_token_alg="ES256")
    pending = oidc_provider.rotate("ES256", keep_old=True, publish=False)
    _, tokens = sign_in(oidc_provider)
    assert decode_jwt_unverified(tokens["id_token"])[0]["kid"] == pending
    assert pending not in {k["kid"] for k in oidc_provider.jwks()["keys"]}  # not yet
    oidc_provider.control(publish_pending=True)
    verify_id_token(oidc_provider, tokens["id_token"])  # now it is

    oidc_provider.reset()
    assert {k["alg"]: k["kid"] for k in oidc_provider.jwks()["keys"]} == original


def test_discovery_can_announce_another_issuer(oidc_provider):
    oidc_provider.control(discovery_issuer="https://accounts.example.invalid")
    doc = requests.get(oidc_provider.issuer + "/.well-known/openid-configuration", timeout=TIMEOUT).json()
    assert doc["issuer"] == "https://accounts.example.invalid"
    assert doc["token_endpoint"] == oidc_provider.issuer + "/token"  # endpoints stay reachable


def test_hang_mode_delays_one_endpoint_without_blocking_others(oidc_provider):
    oidc_provider.delay(token=1.5)
    flow = authorize(oidc_provider)
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        exchange(oidc_provider, flow, timeout=0.5)
    fast = time.monotonic()
    assert requests.get(oidc_provider.issuer + "/jwks", timeout=2).status_code == 200
    assert time.monotonic() - fast < 1.0, "other endpoints answer while the token endpoint hangs"
    hanging = oidc_provider.requests("token")[-1]
    assert hanging["status"] is None  # arrived, not answered yet
    oidc_provider.delay(token=0)
    time.sleep(max(0.0, 1.6 - (time.monotonic() - started)))
    assert oidc_provider.requests("token")[-1]["status"] == 200  # answered, to nobody

    oidc_provider.delay(jwks=0.4, discovery=0.4)
    started = time.monotonic()
    requests.get(oidc_provider.issuer + "/jwks", timeout=5)
    requests.get(oidc_provider.issuer + "/.well-known/openid-configuration", timeout=5)
    assert time.monotonic() - started >= 0.8


def test_request_log_counts_and_clear(oidc_provider):
    assert oidc_provider.log() == {"requests": [], "counts": {"discovery": 0, "jwks": 0, "authorize": 0,
                                                              "token": 0, "userinfo": 0}}
    for _ in range(3):
        oidc_provider.jwks()
    sign_in(oidc_provider)
    log = oidc_provider.log()
    assert log["counts"] == {"discovery": 0, "jwks": 3, "authorize": 1, "token": 1, "userinfo": 0}
    assert all(entry["time"] <= time.time() for entry in log["requests"])
    oidc_provider.control(clear_log=True)
    assert oidc_provider.count("jwks") == 0


def test_control_refuses_unknown_keys_and_values(oidc_provider):
    with pytest.raises(ValueError, match="unknown keys"):
        oidc_provider.control(nonse="typo")
    with pytest.raises(ValueError):
        oidc_provider.fault("not-a-fault")
    with pytest.raises(ValueError):
        oidc_provider.control(id_token_alg="HS256")


# --- HTTPS, the command line, an issuer with a path --------------------------------------------

def test_https_with_the_test_ca(oidc_https_provider):
    assert oidc_https_provider.issuer.startswith("https://localhost:")
    # A client that connects and never sends its TLS hello must not stall the others.
    silent = socket.create_connection(("127.0.0.1", oidc_https_provider.port), timeout=5)
    doc = requests.get(oidc_https_provider.issuer + "/.well-known/openid-configuration", timeout=TIMEOUT,
                       verify=str(oidc_https_provider.ca_file)).json()
    assert doc["issuer"] == oidc_https_provider.issuer and doc["token_endpoint"].startswith("https://")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(oidc_https_provider.issuer + "/jwks", timeout=TIMEOUT)  # not in the system's CAs
    flow, tokens = sign_in(oidc_https_provider)
    assert verify_id_token(oidc_https_provider, tokens["id_token"])["nonce"] == flow["params"]["nonce"]
    silent.close()


def test_command_line_prints_the_port_and_serves_an_issuer_path(tmp_path):
    with OIDCProviderProcess.start(tls_dir=tmp_path, issuer_path="/realms/test",
                                   redirect_uris=[TEST_REDIRECT_URI]) as provider:
        assert provider.stdout_file.read_text().splitlines()[0] == str(provider.port)
        assert provider.issuer == f"http://127.0.0.1:{provider.port}/realms/test"
        doc = requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=TIMEOUT).json()
        assert doc["issuer"] == provider.issuer and doc["jwks_uri"] == provider.issuer + "/jwks"
        flow, tokens = sign_in(provider)
        assert verify_id_token(provider, tokens["id_token"])["nonce"] == flow["params"]["nonce"]
    assert provider.process.returncode is not None


def test_command_line_refuses_a_non_loopback_bind():
    result = subprocess.run([sys.executable, str(SUPPORT / "oidc_provider.py"),
                             "--host", "0.0.0.0"], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "loopback" in result.stderr
