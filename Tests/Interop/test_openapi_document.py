"""The served OpenAPI document and the index page cover the whole contract of API.md."""
import re

import requests
from openapi_spec_validator import validate

# Every path and method of the contract (API.md, "Endpoints").
CONTRACT = {
    "/health": {"get", "head"},
    "/health/live": {"get"},
    "/": {"get"},
    "/openapi.json": {"get"},
    "/.well-known/jwks.json": {"get"},
    "/metrics": {"get"},
    "/api/auth/register": {"post"},
    "/api/auth/login": {"post"},
    "/api/auth/refresh": {"post"},
    "/api/auth/logout": {"post"},
    "/api/auth/me": {"get", "patch", "delete"},
    "/api/auth/profile": {"get"},
    "/api/auth/sessions": {"get"},
    "/api/auth/sessions/{id}": {"delete"},
    "/api/auth/change-password": {"post"},
    "/api/auth/verify-token": {"get", "post"},
    "/api/auth/jwt-info": {"get"},
    "/api/auth/user-uploads": {"get"},
    "/api/auth/increment-upload": {"post"},
    "/api/auth/upload-stats": {"get"},
    # Email: verification and password reset.
    "/api/auth/forgot-password": {"post"},
    "/api/auth/reset-password": {"post"},
    "/api/auth/verify-email": {"post"},
    "/api/auth/resend-verification": {"post"},
    "/api/auth/change-email": {"post"},
    "/api/auth/confirm-email": {"post"},
    # Your own account; administration.
    "/api/auth/me/export": {"get"},
    "/api/admin/users": {"get"},
    "/api/admin/users/{id}": {"get", "patch", "delete"},
    "/api/admin/users/{id}/revoke-sessions": {"post"},
    "/api/admin/audit": {"get"},
    # Sign in with a provider (OpenID Connect).
    "/api/auth/oauth/{provider}": {"get"},
    "/api/auth/oauth/{provider}/callback": {"get", "post"},
    "/api/auth/identities": {"get"},
    "/api/auth/identities/{provider}": {"delete"},
}

HTTP_METHODS = {"get", "head", "post", "put", "patch", "delete", "options", "trace"}


def fetch_document(server) -> dict:
    response = requests.get(server.url + "/openapi.json", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0].strip() == "application/json"
    return response.json()


def test_openapi_document_is_valid_openapi_3_1(server):
    document = fetch_document(server)
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_openapi_document_covers_every_operation_of_the_contract(server):
    document = fetch_document(server)
    paths = document["paths"]
    missing = [f"{method.upper()} {path}" for path, methods in CONTRACT.items() for method in sorted(methods)
               if method not in paths.get(path, {})]
    assert not missing, f"operations missing from /openapi.json: {missing}"
    operation_ids = []
    for path, item in paths.items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["refreshCookie"] == {**schemes["refreshCookie"], "type": "apiKey", "in": "cookie", "name": "refreshToken"}


def test_index_page_lists_every_path(server):
    response = requests.get(server.url + "/", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0].strip() == "text/html"
    missing = [path for path in CONTRACT if path not in response.text]
    assert not missing, f"paths missing from the index page: {missing}"


def test_index_page_names_the_credentials_of_each_operation(server):
    """The credentials column comes from each operation's `security` in the served document."""
    page = requests.get(server.url + "/", timeout=10).text
    credentials = {(method, path): text for method, path, text in
                   re.findall(r"<tr><td class=m>(\w+)</td><td><code>([^<]+)</code></td><td>[^<]*</td><td>([^<]*)</td></tr>", page)}
    assert credentials, page[:500]
    assert credentials[("GET", "/api/auth/me")] == "access token"
    assert credentials[("POST", "/api/auth/refresh")] == "refresh cookie or none"
    assert credentials[("GET", "/health")] == ""
