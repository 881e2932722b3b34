"""A real OpenID Connect provider on loopback, for testing "Sign in with a provider".

Built on authlib's OAuth 2.0 server (client authentication, the authorization-code grant, PKCE,
RFC 6749 error answers) and joserfc (authlib's JOSE library: keys, JWKS, signing), served by
Flask/Werkzeug in threads, so one request that is told to hang never blocks the others.

It signs in a configured test user without any form, and a test can make it misbehave the ways
real providers and attackers do (see CONTROL API). Run it as a subprocess:

    python Tests/Support/oidc_provider.py --port 0 [--port-file F] [--host 127.0.0.1]
        [--cert server.pem --key server-key.pem]          # HTTPS (see oidc_test_ca.py)
        [--client-id ID --client-secret S --redirect-uri URI ...] [--issuer-path /tenant]

The first line on stdout is the chosen port; `--port-file` also writes it (atomically). From
Python tests, `OIDCProviderProcess.start(...)` does all of that and gives a typed handle.

Endpoints (under ISSUER = scheme://host:port[/issuer-path]):
    GET  /.well-known/openid-configuration     discovery
    GET  /jwks                                 public keys (RS256 and ES256, each with a kid)
    GET  /authorize                            signs the test user in, 302 to redirect_uri?code&state
    POST /token                                authorization_code grant (client_secret_basic/post, PKCE S256)
    GET  /userinfo                             claims for the access token (Bearer)
    POST /_control                             the test control API (JSON; below)
    GET  /_control/state, /_control/log        current settings; the request log and counts

CONTROL API: POST /_control with a JSON object; every key is optional, applied in this order:
    "reset": true                 back to the start: default user, no faults/delays, original keys,
                                  empty log, no codes (registered clients are kept)
    "clear_log": true             empty the request log only
    "client": {"client_id", "client_secret", "redirect_uris": [...],
               "auth_methods": ["client_secret_basic", "client_secret_post"]}   add or replace a client
    "user": {"sub", "email", "email_verified", "name", "given_name", "family_name", ...}
                                  merged into the signed-in user's claims; null removes a claim
    "extra_claims": {...}         added to every ID token (null removes)
    "id_token_alg": "RS256"|"ES256"
    "authorize": "approve"|"deny" deny: 302 to redirect_uri?error=access_denied&state=...
    "id_token_fault": NAME|null, "fault_times": N|null   (N next ID tokens, null = until cleared; default 1)
        wrong_nonce, no_nonce, wrong_aud, multi_aud (aud [client, other], no azp),
        multi_aud_azp (same, azp = client), multi_aud_azp_other (azp = other client), wrong_iss,
        expired (exp an hour ago), iat_future (iat an hour ahead), alg_none (unsigned),
        hs256_rsa_pem (HS256 with the RSA public key's PEM as HMAC secret, kid of that RSA key),
        unpublished_kid (signed by a key whose kid is not in the JWKS), no_kid, bad_signature
    "token_fault": "server_error"|"not_json"|"no_id_token"|"invalid_grant"|null   (until cleared)
    "discovery_issuer": URL|null  discovery document announces this issuer instead of the real one
    "delay": {"token": s, "discovery": s, "jwks": s, "authorize": s, "userinfo": s}
                                  each call to that endpoint sleeps s seconds first (0 = none; max 120)
    "code_ttl": seconds           lifetime of codes issued from now on (default 600)
    "rotate": {"alg": "RS256"|"ES256", "keep_old": true, "publish": true}
                                  new signing key for alg (new kid). keep_old false drops the old
                                  key from the JWKS; publish false keeps the new kid out of the
                                  JWKS until "publish_pending" (a kid "not yet" published)
    "publish_pending": true       put every unpublished key into the JWKS
The answer is the state (as GET /_control/state): issuer, keys with kid/alg/published/active,
user, faults, delays, clients.

Log (GET /_control/log): {"requests": [{"endpoint", "method", "path", "time", "status",
"params", "client_auth"}], "counts": {"discovery": n, "jwks": n, "authorize": n, "token": n, ...}}.
`params` are the query or form fields (client_secret redacted); `client_auth` on token requests is
client_secret_basic, client_secret_post or none. Each entry is added when the request arrives
(status filled in when it is answered), so a hanging call is visible while it hangs.

Why a process and not an in-test server: the provider then behaves like a remote one (own
sockets, own threads, own clock), and the authserver under test reaches it over real HTTP(S).
"""
from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import hmac
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

DEFAULT_CLIENT_ID = "authserver-test-client"
DEFAULT_CLIENT_SECRET = "authserver-test-client-secret-0123456789"
DEFAULT_USER: dict[str, Any] = {
    "sub": "110169484474386276334",
    "email": "ada.lovelace@example.com",
    "email_verified": True,
    "name": "Ada Lovelace",
    "given_name": "Ada",
    "family_name": "Lovelace",
}
ID_TOKEN_FAULTS = (
    "wrong_nonce", "no_nonce", "wrong_aud", "multi_aud", "multi_aud_azp", "multi_aud_azp_other",
    "wrong_iss", "expired", "iat_future", "alg_none", "hs256_rsa_pem", "unpublished_kid", "no_kid",
    "bad_signature",
)
TOKEN_FAULTS = ("server_error", "not_json", "no_id_token", "invalid_grant")
ENDPOINTS = ("discovery", "jwks", "authorize", "token", "userinfo")
MAX_DELAY = 120.0
OTHER_AUDIENCE = "some-other-client.example.com"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), as a client makes them (RFC 7636 section 4)."""
    verifier = b64url(secrets.token_bytes(32))
    return verifier, b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def decode_jwt_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) of a JWS compact token, without any check: for tests to look inside."""
    header, payload = token.split(".")[:2]
    pad = lambda part: part + "=" * (-len(part) % 4)  # noqa: E731
    return (json.loads(base64.urlsafe_b64decode(pad(header))),
            json.loads(base64.urlsafe_b64decode(pad(payload))))


# ----------------------------------------------------------------------------------------------
# The provider itself (runs in the subprocess). Flask, authlib and joserfc are imported only here,
# so the handle below works in any process that has `requests`.
# ----------------------------------------------------------------------------------------------

def build_app(host: str, port_holder: dict[str, int], scheme: str, issuer_path: str,
              clients: list[dict[str, Any]]):
    """The Flask app and its state. `port_holder["port"]` is filled in once the socket is bound."""
    from authlib.integrations.flask_oauth2 import AuthorizationServer
    from authlib.oauth2 import OAuth2Error
    from authlib.oauth2.rfc6749 import ClientMixin, InvalidGrantError, InvalidRequestError
    from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
    from authlib.oauth2.rfc7636 import CodeChallenge
    from authlib.oidc.core import AuthorizationCodeMixin
    from authlib.oidc.core.grants import OpenIDCode
    from authlib.oidc.core.util import create_half_hash
    from flask import Flask, Response, jsonify, request
    from joserfc import jwt
    from joserfc.jwk import ECKey, RSAKey

    @dataclass
    class SigningKey:
        alg: str
        key: Any  # joserfc RSAKey / ECKey
        kid: str
        published: bool = True

        @classmethod
        def generate(cls, alg: str, published: bool = True) -> "SigningKey":
            key = RSAKey.generate_key(2048) if alg == "RS256" else ECKey.generate_key("P-256")
            return cls(alg, key, key.thumbprint(), published)

        def public_jwk(self) -> dict[str, Any]:
            return {**self.key.as_dict(private=False), "kid": self.kid, "alg": self.alg, "use": "sig"}

    @dataclass
    class Client(ClientMixin):
        client_id: str
        client_secret: str
        redirect_uris: list[str]
        auth_methods: list[str] = field(default_factory=lambda: ["client_secret_basic", "client_secret_post"])

        def get_client_id(self) -> str:
            return self.client_id

        def get_default_redirect_uri(self) -> str | None:
            return self.redirect_uris[0] if self.redirect_uris else None

        def get_allowed_scope(self, scope: str | None) -> str:
            return scope or ""

        def check_redirect_uri(self, redirect_uri: str) -> bool:
            return redirect_uri in self.redirect_uris  # exact match, as real providers do

        def check_client_secret(self, client_secret: str) -> bool:
            return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

        def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
            return endpoint != "token" or method in self.auth_methods

        def check_response_type(self, response_type: str) -> bool:
            return response_type == "code"

        def check_grant_type(self, grant_type: str) -> bool:
            return grant_type == "authorization_code"

    @dataclass
    class Code(AuthorizationCodeMixin):
        code: str
        client_id: str
        redirect_uri: str
        scope: str
        nonce: str | None
        code_challenge: str | None
        code_challenge_method: str | None
        user: dict[str, Any]
        expires_at: float
        auth_time: int

        def get_redirect_uri(self) -> str:
            return self.redirect_uri

        def get_scope(self) -> str:
            return self.scope

        def get_nonce(self) -> str | None:
            return self.nonce

        def get_auth_time(self) -> int:
            return self.auth_time

    class State:
        """Everything the control API can change, behind one lock."""

        def __init__(self) -> None:
            self.lock = threading.RLock()
            self.exchange_lock = threading.Lock()  # makes "look up code, then delete it" atomic
            self.clients: dict[str, Client] = {}
            self.initial_keys = [SigningKey.generate("RS256"), SigningKey.generate("ES256")]
            self.stray_key = SigningKey.generate("RS256", published=False)  # for unpublished_kid
            self.reset()

        def reset(self) -> None:
            with self.lock:
                self.keys: list[SigningKey] = list(self.initial_keys)
                self.active: dict[str, SigningKey] = {k.alg: k for k in self.initial_keys}
                self.user: dict[str, Any] = copy.deepcopy(DEFAULT_USER)
                self.extra_claims: dict[str, Any] = {}
                self.id_token_alg = "RS256"
                self.authorize_mode = "approve"
                self.id_token_fault: str | None = None
                self.fault_times: int | None = None
                self.token_fault: str | None = None
                self.discovery_issuer: str | None = None
                self.delays: dict[str, float] = {name: 0.0 for name in ENDPOINTS}
                self.code_ttl = 600.0
                self.codes: dict[str, Code] = {}
                self.used_codes: set[str] = set()
                self.access_tokens: dict[str, dict[str, Any]] = {}
                self.log: list[dict[str, Any]] = []

        @property
        def issuer(self) -> str:
            return f"{scheme}://{host_for_url}:{port_holder['port']}{issuer_path}"

        def take_fault(self) -> str | None:
            """The fault for this ID token, counting it down."""
            with self.lock:
                fault = self.id_token_fault
                if fault and self.fault_times is not None:
                    self.fault_times -= 1
                    if self.fault_times <= 0:
                        self.id_token_fault, self.fault_times = None, None
                return fault

        def rotate(self, alg: str, keep_old: bool, publish: bool) -> SigningKey:
            with self.lock:
                new = SigningKey.generate(alg, published=publish)
                old = self.active.get(alg)
                if old is not None and not keep_old:
                    self.keys = [k for k in self.keys if k is not old]
                self.keys.append(new)
                self.active[alg] = new
                return new

        def snapshot(self) -> dict[str, Any]:
            with self.lock:
                return {
                    "issuer": self.issuer,
                    "keys": [{"kid": k.kid, "alg": k.alg, "published": k.published,
                              "active": self.active.get(k.alg) is k} for k in self.keys],
                    "unpublished_kid": self.stray_key.kid,
                    "user": self.user, "extra_claims": self.extra_claims,
                    "id_token_alg": self.id_token_alg, "authorize": self.authorize_mode,
                    "id_token_fault": self.id_token_fault, "fault_times": self.fault_times,
                    "token_fault": self.token_fault, "discovery_issuer": self.discovery_issuer,
                    "delay": self.delays, "code_ttl": self.code_ttl,
                    "clients": [{"client_id": c.client_id, "redirect_uris": c.redirect_uris,
                                 "auth_methods": c.auth_methods} for c in self.clients.values()],
                }

        def add_client(self, spec: dict[str, Any]) -> None:
            client_id = spec.get("client_id", DEFAULT_CLIENT_ID)
            with self.lock:
                existing = self.clients.get(client_id)
                self.clients[client_id] = Client(
                    client_id=client_id,
                    client_secret=spec.get("client_secret", existing.client_secret if existing else DEFAULT_CLIENT_SECRET),
                    redirect_uris=list(spec.get("redirect_uris", existing.redirect_uris if existing else [])),
                    auth_methods=list(spec.get("auth_methods", existing.auth_methods if existing
                                               else ["client_secret_basic", "client_secret_post"])))

    host_for_url = f"[{host}]" if ":" in host else host
    state = State()
    for spec in clients:
        state.add_client(spec)

    # --- ID tokens -------------------------------------------------------------------------

    def make_id_token(client_id: str, code: Code, access_token: str | None) -> str:
        """Signs the ID token for `code`, misbehaving as the control API asked."""
        fault = state.take_fault()
        with state.lock:
            alg = state.id_token_alg
            signer = state.active[alg]
            issuer = state.issuer
            extra = dict(state.extra_claims)
            rsa_for_confusion = state.active["RS256"]
        now = int(time.time())
        claims: dict[str, Any] = {"iss": issuer, "aud": client_id, "iat": now, "exp": now + 3600,
                                  "auth_time": code.auth_time}
        if code.nonce is not None:
            claims["nonce"] = code.nonce
        claims.update(code.user)
        claims.update(extra)
        if access_token:
            claims["at_hash"] = create_half_hash(access_token, alg if alg in ("RS256", "ES256") else "RS256").decode()
        if fault == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-" + secrets.token_hex(8)
        elif fault == "no_nonce":
            claims.pop("nonce", None)
        elif fault == "wrong_aud":
            claims["aud"] = OTHER_AUDIENCE
        elif fault == "multi_aud":
            claims["aud"] = [client_id, OTHER_AUDIENCE]
        elif fault == "multi_aud_azp":
            claims["aud"], claims["azp"] = [client_id, OTHER_AUDIENCE], client_id
        elif fault == "multi_aud_azp_other":
            claims["aud"], claims["azp"] = [client_id, OTHER_AUDIENCE], OTHER_AUDIENCE
        elif fault == "wrong_iss":
            claims["iss"] = "https://issuer.invalid"
        elif fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif fault == "iat_future":
            claims["iat"], claims["exp"] = now + 3600, now + 7200
        header: dict[str, Any] = {"alg": alg, "typ": "JWT", "kid": signer.kid}
        if fault == "alg_none":
            return f"{b64url_json({'alg': 'none', 'typ': 'JWT'})}.{b64url_json(claims)}."
        if fault == "hs256_rsa_pem":
            # The classic algorithm confusion: a verifier that takes `alg` from the token and uses
            # "the key" as is would compute HMAC(PEM of the RSA public key) and accept this.
            pem = rsa_for_confusion.key.as_pem(private=False)
            head = {"alg": "HS256", "typ": "JWT", "kid": rsa_for_confusion.kid}
            signing_input = f"{b64url_json(head)}.{b64url_json(claims)}"
            mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{b64url(mac)}"
        if fault == "unpublished_kid":
            signer = state.stray_key if alg == "RS256" else SigningKey.generate("ES256", published=False)
            header["kid"] = signer.kid
        if fault == "no_kid":
            del header["kid"]
        token = jwt.encode(header, claims, signer.key, algorithms=[alg])
        if fault == "bad_signature":
            head, payload, signature = token.split(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[len(raw) // 2] ^= 0x01
            token = f"{head}.{payload}.{b64url(bytes(raw))}"
        return token

    # --- authlib wiring ----------------------------------------------------------------------

    class S256Challenge(CodeChallenge):
        """PKCE with S256 only, and required: a client that skips it is refused at /authorize."""

        SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

        def validate_code_challenge(self, grant, redirect_uri):
            data = grant.request.payload.data
            if not data.get("code_challenge"):
                raise InvalidRequestError("PKCE is required: missing 'code_challenge'")
            if data.get("code_challenge_method") != "S256":
                raise InvalidRequestError("PKCE 'code_challenge_method' must be S256")
            return super().validate_code_challenge(grant, redirect_uri)

    class IDToken(OpenIDCode):
        """authlib's OpenID code-flow extension, with the ID token made by `make_id_token`."""

        def exists_nonce(self, nonce, request):
            return False

        def encode_id_token(self, token, request):
            return make_id_token(request.client.get_client_id(), request.authorization_code,
                                 token.get("access_token"))

        def generate_user_info(self, user, scope):  # unused: claims come from make_id_token
            return {}

    class CodeGrant(AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code: str, req) -> None:
            data = req.payload.data
            with state.lock:
                state.codes[code] = Code(
                    code=code, client_id=req.client.get_client_id(), redirect_uri=req.payload.redirect_uri,
                    scope=req.scope or "", nonce=data.get("nonce"), code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    user=copy.deepcopy(req.user), expires_at=time.time() + state.code_ttl,
                    auth_time=int(time.time()))

        def query_authorization_code(self, code: str, client) -> Code | None:
            with state.lock:
                item = state.codes.get(code)
            if item is None or item.client_id != client.get_client_id() or time.time() > item.expires_at:
                return None
            return item

        def delete_authorization_code(self, authorization_code: Code) -> None:
            with state.lock:
                state.codes.pop(authorization_code.code, None)
                state.used_codes.add(authorization_code.code)

        def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
            return authorization_code.user

    def save_token(token: dict[str, Any], req) -> None:
        with state.lock:
            state.access_tokens[token["access_token"]] = dict(req.user)

    app = Flask("oidc_provider")
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": 3600}
    server = AuthorizationServer(app, query_client=lambda cid: state.clients.get(cid), save_token=save_token)
    server.register_grant(CodeGrant, [S256Challenge(required=True), IDToken(require_nonce=False)])

    # --- request log and delays --------------------------------------------------------------

    def endpoint_name(path: str) -> str | None:
        rest = path[len(issuer_path):] if path.startswith(issuer_path) else path
        return {"/.well-known/openid-configuration": "discovery", "/jwks": "jwks", "/authorize": "authorize",
                "/token": "token", "/userinfo": "userinfo"}.get(rest)

    @app.before_request
    def record() -> None:
        name = endpoint_name(request.path)
        if name is None:
            return
        params = dict(request.args.items())
        params.update(request.form.items())
        if "client_secret" in params:
            params["client_secret"] = "<redacted>"
        auth = request.headers.get("Authorization", "")
        client_auth = None
        if name == "token":
            client_auth = ("client_secret_basic" if auth.lower().startswith("basic ")
                           else "client_secret_post" if "client_secret" in request.form else "none")
        entry = {"endpoint": name, "method": request.method, "path": request.path, "time": time.time(),
                 "status": None, "params": params, "client_auth": client_auth}
        request.environ["oidc.log_entry"] = entry
        with state.lock:
            state.log.append(entry)
            delay = state.delays.get(name, 0.0)
        if delay > 0:
            time.sleep(delay)

    @app.after_request
    def finish(response: Response) -> Response:
        entry = request.environ.get("oidc.log_entry")
        if entry is not None:
            entry["status"] = response.status_code
        return response

    def route(path: str, **options):
        return app.route(issuer_path + path, **options)

    # --- the OIDC endpoints ------------------------------------------------------------------

    @route("/.well-known/openid-configuration")
    def discovery():
        base = state.issuer
        with state.lock:
            announced = state.discovery_issuer or base
        return jsonify({
            "issuer": announced,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "jwks_uri": base + "/jwks",
            "userinfo_endpoint": base + "/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp",
                                 "email", "email_verified", "name", "given_name", "family_name"],
        })

    @route("/jwks")
    def jwks():
        with state.lock:
            keys = [k.public_jwk() for k in state.keys if k.published]
        response = jsonify({"keys": keys})
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    @route("/authorize")
    def authorize():
        with state.lock:
            user = None if state.authorize_mode == "deny" else copy.deepcopy(state.user)
        try:
            # Validates client, redirect_uri (exact match), response_type, scope and PKCE. Errors
            # before redirect_uri is known answer 400 JSON; later ones redirect with ?error=.
            grant = server.get_consent_grant(end_user=user)
        except OAuth2Error as error:
            return server.handle_error_response(None, error)
        return server.create_authorization_response(grant=grant, grant_user=user)

    @route("/token", methods=["POST"])
    def token():
        with state.lock:
            fault = state.token_fault
        if fault == "server_error":
            return Response("upstream exploded", status=500, content_type="text/plain")
        if fault == "not_json":
            return Response("<html>maintenance</html>", status=200, content_type="text/html")
        if fault == "invalid_grant":
            return jsonify({"error": "invalid_grant", "error_description": "told to refuse"}), 400
        code = request.form.get("code")
        with state.lock:
            reused = code in state.used_codes
        if reused:
            entry = request.environ.get("oidc.log_entry")
            if entry is not None:
                entry["code_reused"] = True
        with state.exchange_lock:
            response = server.create_token_response()
        if fault == "no_id_token" and response.status_code == 200:
            body = json.loads(response.get_data())
            body.pop("id_token", None)
            response.set_data(json.dumps(body))
        return response

    @route("/userinfo", methods=["GET", "POST"])
    def userinfo():
        auth = request.headers.get("Authorization", "")
        with state.lock:
            claims = state.access_tokens.get(auth[7:]) if auth.lower().startswith("bearer ") else None
        if claims is None:
            return Response("", status=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return jsonify(claims)

    # --- the control API ---------------------------------------------------------------------

    def control_error(message: str):
        return jsonify({"ok": False, "error": message}), 400

    @route("/_control", methods=["POST"])
    def control():
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return control_error("expected a JSON object")
        known = {"reset", "clear_log", "client", "user", "extra_claims", "id_token_alg", "authorize",
                 "id_token_fault", "fault_times", "token_fault", "discovery_issuer", "delay", "code_ttl",
                 "rotate", "publish_pending"}
        unknown = set(body) - known
        if unknown:
            return control_error(f"unknown keys {sorted(unknown)}; known: {sorted(known)}")
        with state.lock:
            if body.get("reset"):
                state.reset()
            if body.get("clear_log"):
                state.log = []
            if "client" in body:
                state.add_client(body["client"])
            for name, value in (body.get("user") or {}).items():
                if value is None:
                    state.user.pop(name, None)
                else:
                    state.user[name] = value
            for name, value in (body.get("extra_claims") or {}).items():
                if value is None:
                    state.extra_claims.pop(name, None)
                else:
                    state.extra_claims[name] = value
            if "id_token_alg" in body:
                if body["id_token_alg"] not in ("RS256", "ES256"):
                    return control_error("id_token_alg is RS256 or ES256")
                state.id_token_alg = body["id_token_alg"]
            if "authorize" in body:
                if body["authorize"] not in ("approve", "deny"):
                    return control_error("authorize is approve or deny")
                state.authorize_mode = body["authorize"]
            if "id_token_fault" in body:
                fault = body["id_token_fault"]
                if fault is not None and fault not in ID_TOKEN_FAULTS:
                    return control_error(f"id_token_fault is one of {list(ID_TOKEN_FAULTS)} or null")
                state.id_token_fault = fault
                state.fault_times = body.get("fault_times", 1) if fault else None
            if "token_fault" in body:
                if body["token_fault"] is not None and body["token_fault"] not in TOKEN_FAULTS:
                    return control_error(f"token_fault is one of {list(TOKEN_FAULTS)} or null")
                state.token_fault = body["token_fault"]
            if "discovery_issuer" in body:
                state.discovery_issuer = body["discovery_issuer"]
            for name, seconds in (body.get("delay") or {}).items():
                if name not in ENDPOINTS:
                    return control_error(f"delay endpoints are {list(ENDPOINTS)}")
                state.delays[name] = max(0.0, min(float(seconds), MAX_DELAY))
            if "code_ttl" in body:
                state.code_ttl = float(body["code_ttl"])
            if "rotate" in body:
                spec = body["rotate"] or {}
                alg = spec.get("alg", "RS256")
                if alg not in ("RS256", "ES256"):
                    return control_error("rotate.alg is RS256 or ES256")
                state.rotate(alg, keep_old=spec.get("keep_old", True), publish=spec.get("publish", True))
            if body.get("publish_pending"):
                for key in state.keys:
                    key.published = True
            return jsonify({"ok": True, **state.snapshot()})

    @route("/_control/state")
    def control_state():
        return jsonify({"ok": True, **state.snapshot()})

    @route("/_control/log")
    def control_log():
        with state.lock:
            entries = [dict(e) for e in state.log]
        counts = {name: 0 for name in ENDPOINTS}
        for entry in entries:
            counts[entry["endpoint"]] += 1
        return jsonify({"requests": entries, "counts": counts})

    return app, state


def serve(args: argparse.Namespace) -> None:
    """Binds, announces the port, and serves until killed, the parent exits, or the lifetime ends."""
    import logging

    from werkzeug.serving import make_server

    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port_holder = {"port": args.port}
    scheme = "https" if args.cert else "http"
    clients = [{"client_id": args.client_id, "client_secret": args.client_secret,
                "redirect_uris": args.redirect_uri or []}]
    issuer_path = args.issuer_path.rstrip("/")
    if issuer_path and not issuer_path.startswith("/"):
        issuer_path = "/" + issuer_path
    app, _ = build_app(args.issuer_host or args.host, port_holder, scheme, issuer_path, clients)
    httpd = make_server(args.host, args.port, app, threaded=True)
    if args.cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        # Werkzeug would wrap with the handshake done in accept(), on the one listening thread, so
        # a client that connects and never says hello would stall every other client. Deferred to
        # the first read, the handshake runs in that connection's own thread.
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
        httpd.ssl_context = context
    port_holder["port"] = httpd.server_port
    if args.port_file:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(str(httpd.server_port))
        tmp.replace(args.port_file)
    print(httpd.server_port, flush=True)

    parent = os.getppid()

    def watchdog() -> None:
        # Never outlive the test run: exit when the parent is gone or the lifetime is over.
        deadline = time.monotonic() + args.max_lifetime
        while time.monotonic() < deadline and os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watchdog, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    httpd.serve_forever()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="OpenID Connect test provider (see the module docstring).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback only) [127.0.0.1]")
    parser.add_argument("--issuer-host", help="host name in the issuer URL (e.g. localhost) [--host]")
    parser.add_argument("--port", type=int, default=0, help="port, 0 for any free one [0]")
    parser.add_argument("--port-file", help="also write the chosen port to this file")
    parser.add_argument("--cert", help="PEM certificate chain: serve HTTPS")
    parser.add_argument("--key", help="PEM private key for --cert")
    parser.add_argument("--issuer-path", default="", help="path part of the issuer, e.g. /realms/test")
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    parser.add_argument("--redirect-uri", action="append", help="registered redirect URI (repeatable)")
    parser.add_argument("--max-lifetime", type=float, default=1800, help="exit after this many seconds [1800]")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.host.startswith("127."):
        parser.error("bind a loopback address only")
    return args


# ----------------------------------------------------------------------------------------------
# The handle tests use (runs in the test process; needs only `requests`).
# ----------------------------------------------------------------------------------------------

class OIDCProviderProcess:
    """A running provider subprocess, with typed helpers for the control API.

        provider = OIDCProviderProcess.start(redirect_uris=[server.url + "/api/auth/oauth/test/callback"])
        provider.issuer, provider.client_id, provider.client_secret, provider.ca_file (HTTPS only)
        provider.fault("wrong_nonce"); provider.set_user(email_verified=False); provider.delay(token=5)
        provider.count("jwks"); provider.requests("authorize")[-1]["params"]["nonce"]
        provider.stop()
    """

    def __init__(self, process: subprocess.Popen, port: int, scheme: str, host: str, issuer_path: str,
                 client_id: str, client_secret: str, ca_file: Path | None, stderr_file: Path):
        self.process = process
        self.port = port
        self.issuer = f"{scheme}://{host}:{port}{issuer_path}"
        self.url = self.issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.ca_file = ca_file
        self.stderr_file = stderr_file
        self.stdout_file = stderr_file.parent / "provider.stdout"  # its first line is the port
        self._verify: str | bool = str(ca_file) if ca_file else True

    @classmethod
    def start(cls, *, https: bool = False, tls_dir: Path | str | None = None, host: str = "127.0.0.1",
              issuer_host: str | None = None, issuer_path: str = "", client_id: str = DEFAULT_CLIENT_ID,
              client_secret: str = DEFAULT_CLIENT_SECRET, redirect_uris: list[str] | None = None,
              startup_timeout: float = 20.0, max_lifetime: float = 1800) -> "OIDCProviderProcess":
        """Starts the provider and waits (at most `startup_timeout`) until it answers discovery.

        `https=True` makes a test CA and a certificate for localhost/127.0.0.1/::1 in `tls_dir`
        (a new temporary directory by default); `ca_file` is then the CA to trust.
        """
        import tempfile

        import requests

        workdir = Path(tls_dir) if tls_dir else Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        workdir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, str(HERE / "oidc_provider.py"), "--host", host, "--port", "0",
                   "--port-file", str(workdir / "port"), "--client-id", client_id,
                   "--client-secret", client_secret, "--max-lifetime", str(max_lifetime)]
        for uri in redirect_uris or []:
            command += ["--redirect-uri", uri]
        if issuer_host:
            command += ["--issuer-host", issuer_host]
        if issuer_path:
            command += ["--issuer-path", issuer_path]
        ca_file = None
        if https:
            sys.path.insert(0, str(HERE))
            from oidc_test_ca import TestCA
            ca = TestCA.create(workdir)
            cert, key = ca.issue_server_cert(workdir)
            ca_file = ca.cert_file
            command += ["--cert", str(cert), "--key", str(key)]
        stderr_file = workdir / "provider.stderr"
        with open(stderr_file, "w") as stderr, open(workdir / "provider.stdout", "w") as stdout:
            process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
        port_file = workdir / "port"
        deadline = time.monotonic() + startup_timeout
        while not port_file.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError("OIDC provider did not start:\n" + stderr_file.read_text())
            time.sleep(0.02)
        port = int(port_file.read_text())
        path = issuer_path.rstrip("/")
        if path and not path.startswith("/"):
            path = "/" + path
        display_host = issuer_host or (f"[{host}]" if ":" in host else host)
        handle = cls(process, port, "https" if https else "http", display_host, path, client_id,
                     client_secret, ca_file, stderr_file)
        while True:  # the port is bound before serve_forever; wait for a real answer
            try:
                requests.get(handle.issuer + "/_control/state", timeout=2, verify=handle._verify)
                return handle
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    handle.stop()
                    raise RuntimeError("OIDC provider did not answer:\n" + stderr_file.read_text())
                time.sleep(0.05)

    # -- control API --------------------------------------------------------------------------

    def control(self, **changes: Any) -> dict[str, Any]:
        """POST /_control with `changes` as the JSON body; returns the new state (raises on a refusal)."""
        import requests

        response = requests.post(self.issuer + "/_control", json=changes, timeout=10, verify=self._verify)
        body = response.json()
        if response.status_code != 200:
            raise ValueError(f"provider refused {changes}: {body.get('error')}")
        return body

    def state(self) -> dict[str, Any]:
        import requests

        return requests.get(self.issuer + "/_control/state", timeout=10, verify=self._verify).json()

    def reset(self) -> dict[str, Any]:
        return self.control(reset=True)

    def set_user(self, **claims: Any) -> dict[str, Any]:
        """Merge claims into the signed-in user (None removes one)."""
        return self.control(user=claims)

    def set_client(self, *, client_id: str | None = None, **spec: Any) -> dict[str, Any]:
        """Add or update a client (client_secret, redirect_uris, auth_methods)."""
        return self.control(client={"client_id": client_id or self.client_id, **spec})

    def fault(self, name: str | None, times: int | None = 1) -> dict[str, Any]:
        """Make the next `times` ID tokens misbehave (None: every one, until fault(None))."""
        return self.control(id_token_fault=name, fault_times=times)

    def delay(self, **seconds: float) -> dict[str, Any]:
        """Make endpoints hang: delay(token=5), delay(jwks=3, discovery=0)."""
        return self.control(delay=seconds)

    def rotate(self, alg: str = "RS256", keep_old: bool = True, publish: bool = True) -> str:
        """New signing key for `alg`; returns its kid."""
        state = self.control(rotate={"alg": alg, "keep_old": keep_old, "publish": publish})
        return next(k["kid"] for k in state["keys"] if k["alg"] == alg and k["active"])

    def log(self) -> dict[str, Any]:
        import requests

        return requests.get(self.issuer + "/_control/log", timeout=10, verify=self._verify).json()

    def requests(self, endpoint: str | None = None) -> list[dict[str, Any]]:
        """Logged requests, optionally of one endpoint (discovery, jwks, authorize, token, userinfo)."""
        entries = self.log()["requests"]
        return [e for e in entries if endpoint is None or e["endpoint"] == endpoint]

    def count(self, endpoint: str) -> int:
        return self.log()["counts"][endpoint]

    def jwks(self) -> dict[str, Any]:
        import requests

        return requests.get(self.issuer + "/jwks", timeout=10, verify=self._verify).json()

    def stop(self) -> None:
        """Stops the subprocess by its PID (SIGTERM, then SIGKILL after 5 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "OIDCProviderProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    serve(parse_args())
