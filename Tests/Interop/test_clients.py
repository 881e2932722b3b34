"""Clients no one here wrote: curl and Python's requests, driving the API as users do."""
import json
import subprocess

import requests

from conftest import register, unique_email


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True, text=True, check=True)


def test_curl_register_then_refresh_with_its_cookie_jar(server, tmp_path):
    jar = tmp_path / "cookies.txt"
    email = unique_email("curl")
    body = json.dumps({"email": email, "password": "correct horse battery"})
    registered = curl("-c", str(jar), "-H", "Content-Type: application/json", "-d", body, server.url + "/api/auth/register")
    assert json.loads(registered.stdout)["user"]["email"] == email
    assert "refreshToken" in jar.read_text()

    refreshed = curl("-b", str(jar), "-c", str(jar), "-X", "POST", server.url + "/api/auth/refresh")
    answer = json.loads(refreshed.stdout)
    assert answer["success"] is True
    assert answer["tokens"]["refreshToken"] in jar.read_text()


def test_curl_head_and_status_lines(server):
    head = curl("-I", server.url + "/health")
    assert head.stdout.startswith("HTTP/1.1 200")
    assert "content-length:" in head.stdout.lower()
    missing = curl("-o", "/dev/null", "-w", "%{http_code}", server.url + "/nothing")
    assert missing.stdout == "404"


def test_browser_like_session_with_requests(server):
    """What the frontend does: register, refresh by cookie, read the profile, list sessions, change the password, log out."""
    browser = requests.Session()
    origin = {"Origin": "http://localhost:3000"}
    email = unique_email("browser")
    registered = browser.post(server.url + "/api/auth/register", json={"email": email, "password": "first passphrase"}, headers=origin)
    assert registered.status_code == 201
    assert registered.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert registered.headers["Access-Control-Allow-Credentials"] == "true"
    assert browser.cookies.get("refreshToken", path="/api/auth")

    refreshed = browser.post(server.url + "/api/auth/refresh", headers=origin)
    assert refreshed.status_code == 200, refreshed.text
    access = refreshed.json()["accessToken"]
    auth = {"Authorization": f"Bearer {access}", **origin}

    me = browser.get(server.url + "/api/auth/me", headers=auth)
    assert me.json()["user"]["email"] == email
    sessions = browser.get(server.url + "/api/auth/sessions", headers=auth).json()["sessions"]
    assert len(sessions) == 1 and sessions[0]["current"] is True

    changed = browser.post(server.url + "/api/auth/change-password", headers=auth,
                           json={"currentPassword": "first passphrase", "newPassword": "second passphrase"})
    assert changed.status_code == 200

    logout = browser.post(server.url + "/api/auth/logout", headers=origin)
    assert logout.status_code == 200
    assert not browser.cookies.get("refreshToken", path="/api/auth")
    assert browser.post(server.url + "/api/auth/refresh", headers=origin).status_code == 401


def test_error_shape_for_bad_input(server):
    response = requests.post(server.url + "/api/auth/register", json={"email": "nope", "password": "x"}, timeout=10)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == "VALIDATION_FAILED"
    assert {error["field"] for error in body["errors"]} == {"email", "password"}
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
