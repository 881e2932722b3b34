"""Schemathesis hooks for test_schemathesis.py: every generated request to a protected operation
carries a fresh access token, of the ADMIN account the test made (SCHEMATHESIS_API_URL,
SCHEMATHESIS_EMAIL, and PASSWORD below). A fresh login per case, because generated requests may
end sessions (logout with allDevices, revoking sessions) and the next case must still be
authenticated to reach past the token check."""
import os

import requests
import schemathesis

PASSWORD = "schemathesis passphrase"


def _login() -> str:
    response = requests.post(os.environ["SCHEMATHESIS_API_URL"] + "/api/auth/login",
                             json={"email": os.environ["SCHEMATHESIS_EMAIL"], "password": PASSWORD}, timeout=10)
    response.raise_for_status()
    return response.json()["accessToken"]


@schemathesis.auth(refresh_interval=None)
class FreshAccessToken:
    def get(self, case, context):
        return _login()

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
