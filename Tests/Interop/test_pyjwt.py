"""Our access tokens verify in PyJWT with the shared secret, and PyJWT's verify here; under EdDSA,
ES256 and RS256 PyJWT fetches our keys with PyJWKClient, and its tokens signed with our key file verify here."""
import time
import uuid

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization

from conftest import SECRET, register
from signing_keys import ALGORITHMS, JWKS_PATH, fresh_claims, signing_server


def test_our_token_decodes_in_pyjwt(server):
    account = register(server.url)
    claims = jwt.decode(account["accessToken"], SECRET, algorithms=["HS256"])
    assert claims["sub"] == claims["userId"] == account["user"]["id"]
    assert claims["email"] == account["user"]["email"]
    assert claims["role"] == "CANDIDATE"
    assert claims["type"] == "access"
    assert claims["exp"] - claims["iat"] == 900
    assert uuid.UUID(claims["sid"]) and claims["jti"]
    assert jwt.get_unverified_header(account["accessToken"]) == {"alg": "HS256", "typ": "JWT"}


def test_a_pyjwt_token_is_accepted_here(server):
    account = register(server.url)
    session = jwt.decode(account["accessToken"], SECRET, algorithms=["HS256"])["sid"]
    now = int(time.time())

    def mint(sid: str) -> str:
        return jwt.encode({"sub": account["user"]["id"], "userId": account["user"]["id"], "email": account["user"]["email"],
                           "role": "CANDIDATE", "type": "access", "iat": now, "exp": now + 60,
                           "jti": str(uuid.uuid4()), "sid": sid}, SECRET, algorithm="HS256")

    token = mint(session)
    response = requests.get(server.url + "/api/auth/verify-token", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["userId"] == account["user"]["id"]
    me = requests.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200
    # Routes that read the database check the session: a well-signed token of no live login is refused there.
    orphan = requests.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {mint(str(uuid.uuid4()))}"}, timeout=10)
    assert orphan.status_code == 401 and orphan.json()["code"] == "INVALID_TOKEN"


def test_pyjwt_tokens_with_another_algorithm_or_secret_are_refused(server):
    account = register(server.url)
    now = int(time.time())
    claims = {"sub": account["user"]["id"], "email": account["user"]["email"], "role": "CANDIDATE", "type": "access",
              "iat": now, "exp": now + 60}
    for token in [jwt.encode(claims, SECRET, algorithm="HS512"),
                  jwt.encode(claims, "another-secret-of-sufficient-length-000000", algorithm="HS256"),
                  jwt.encode(claims, None, algorithm="none")]:
        response = requests.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code == 401
        assert response.json()["code"] == "INVALID_TOKEN"


@pytest.fixture(scope="module", params=ALGORITHMS)
def keyed_server(request, tmp_path_factory):
    """A server per asymmetric algorithm, with the private key PyJWT also signs with."""
    running, path, kid = signing_server(tmp_path_factory.mktemp("pyjwt-keys"), request.param)
    yield running, request.param, path, kid
    running.stop()


def test_our_asymmetric_token_verifies_in_pyjwt_through_our_jwks(keyed_server):
    running, algorithm, _, kid = keyed_server
    account = register(running.url)
    token = account["accessToken"]
    assert jwt.get_unverified_header(token) == {"alg": algorithm, "typ": "JWT", "kid": kid}
    signing_key = jwt.PyJWKClient(running.url + JWKS_PATH).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, signing_key.key, algorithms=[algorithm])
    assert claims["sub"] == claims["userId"] == account["user"]["id"]
    assert claims["type"] == "access" and claims["exp"] - claims["iat"] == 900


def test_a_pyjwt_token_signed_with_our_key_file_is_accepted_here(keyed_server):
    running, algorithm, path, kid = keyed_server
    account = register(running.url)
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    token = jwt.encode(fresh_claims(account["accessToken"]), private_key, algorithm=algorithm, headers={"kid": kid})
    response = requests.post(running.url + "/api/auth/verify-token", json={"token": token}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["userId"] == account["user"]["id"]
    assert requests.get(running.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code == 200
