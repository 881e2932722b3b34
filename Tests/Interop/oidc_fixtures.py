"""pytest fixtures for the OpenID Connect test provider (Tests/Support/oidc_provider.py).

Import the fixtures into a test module (no conftest change needed, so nothing else is disturbed):

    from oidc_fixtures import oidc_provider, oidc_provider_process  # noqa: F401  (fixtures)
    from oidc_fixtures import oidc_https_provider, oidc_https_provider_process  # noqa: F401

`oidc_provider` is the provider of the session (HTTP on 127.0.0.1), reset to its start state
before each test (default user, no faults, no delays, its original keys, an empty log; registered
clients kept). `oidc_https_provider` is the same over HTTPS with a test CA (`.ca_file`), issuer
`https://localhost:PORT`. Both are `OIDCProviderProcess` handles: see that class for the helpers.

A test that needs its own provider (e.g. one that rotates keys under a long-lived authserver,
whose JWKS cache would then outlive the test) starts one: `with OIDCProviderProcess.start(...) as p:`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

SUPPORT = Path(__file__).resolve().parents[1] / "Support"
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

from oidc_provider import OIDCProviderProcess  # noqa: E402

#: Registered on the session providers; tests that drive an authserver add theirs with
#: `provider.set_client(redirect_uris=[server_url + "/api/auth/oauth/<name>/callback"])`.
TEST_REDIRECT_URI = "http://localhost:3000/test-callback"


@pytest.fixture(scope="session")
def oidc_provider_process(tmp_path_factory):
    provider = OIDCProviderProcess.start(tls_dir=tmp_path_factory.mktemp("oidc-http"),
                                         redirect_uris=[TEST_REDIRECT_URI])
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(oidc_provider_process):
    oidc_provider_process.reset()
    return oidc_provider_process


@pytest.fixture(scope="session")
def oidc_https_provider_process(tmp_path_factory):
    provider = OIDCProviderProcess.start(https=True, issuer_host="localhost",
                                         tls_dir=tmp_path_factory.mktemp("oidc-https"),
                                         redirect_uris=[TEST_REDIRECT_URI])
    yield provider
    provider.stop()


@pytest.fixture
def oidc_https_provider(oidc_https_provider_process):
    oidc_https_provider_process.reset()
    return oidc_https_provider_process
