"""The executable as operators run it: configuration errors, graceful shutdown, several instances."""
import concurrent.futures
import json
import os
import random
import signal
import subprocess
import threading
import time

import requests

from conftest import Server, register, unique_email


def test_production_refuses_a_short_secret():
    result = subprocess.run([os.environ["AUTHSERVER_BINARY"], "serve"], capture_output=True, text=True, timeout=30,
                            env={"APP_ENV": "production", "JWT_ACCESS_SECRET": "short", "DATABASE_URL": "postgresql://x@127.0.0.1:1/x",
                                 "PATH": os.environ["PATH"]}, cwd="/tmp")
    assert result.returncode != 0
    assert "JWT_ACCESS_SECRET" in result.stderr and "32" in result.stderr


def test_invalid_settings_are_all_reported_with_a_fix():
    result = subprocess.run([os.environ["AUTHSERVER_BINARY"], "serve"], capture_output=True, text=True, timeout=30,
                            env={"PORT": "http", "BCRYPT_COST": "40", "DATABASE_URL": "postgresql://x@127.0.0.1:1/x",
                                 "PATH": os.environ["PATH"]}, cwd="/tmp")
    assert result.returncode != 0
    assert "PORT=http" in result.stderr and "BCRYPT_COST=40" in result.stderr and "4 to 31" in result.stderr


def test_sigterm_lets_the_request_in_flight_finish_and_exits_0():
    # Cost 14 makes a registration take long enough (~1 s) to be caught in flight.
    server = Server(BCRYPT_COST="14", LOG_LEVEL="info")
    result = {}

    def slow_register():
        result["response"] = requests.post(server.url + "/api/auth/register",
                                           json={"email": unique_email("inflight"), "password": "correct horse"}, timeout=30)

    worker = threading.Thread(target=slow_register)
    worker.start()
    time.sleep(0.3)
    server.process.send_signal(signal.SIGTERM)
    worker.join(timeout=30)
    assert result["response"].status_code == 201
    assert server.process.wait(timeout=20) == 0
    # LOG_FORMAT=json: every line is one JSON object, and request lines carry the request id.
    lines = [json.loads(line) for line in server.output().splitlines() if line.strip()]
    assert any(line["message"] == "Shutting down" for line in lines)
    requests_logged = [line for line in lines if line["message"] == "request"]
    assert requests_logged and all(line["requestId"] and line["status"] for line in requests_logged)
    assert not any("correct horse" in json.dumps(line) for line in lines)


def test_limits_and_rotation_hold_across_two_instances():
    settings = dict(RATE_LIMIT_STORE="postgres", LOGIN_MAX_FAILURES="4", UPLOAD_LIMIT="5", REFRESH_REUSE_INTERVAL="10s",
                    TRUST_PROXY="loopback")
    # A client IP of this run's own, so counts left in the shared table by earlier runs don't matter.
    client = {"X-Forwarded-For": f"198.51.100.{random.randint(1, 254)}, 10.{random.randint(0, 255)}.{random.randint(0, 255)}.1"}
    first, second = Server(**settings), Server(**settings)
    try:
        # The failed-login limit counts failures on both instances together.
        account = register(first.url)
        for index in range(4):
            target = (first, second)[index % 2]
            assert requests.post(target.url + "/api/auth/login", json={"email": account["user"]["email"], "password": "wrong"},
                                 headers=client, timeout=10).status_code == 401
        for target in (first, second):
            limited = requests.post(target.url + "/api/auth/login",
                                    json={"email": account["user"]["email"], "password": "correct horse battery"},
                                    headers=client, timeout=10)
            assert limited.status_code == 429 and limited.json()["code"] == "TOO_MANY_ATTEMPTS"

        # Concurrent refreshes of one token on both instances share one successor.
        other = register(second.url)
        token = other["tokens"]["refreshToken"]
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(lambda i: requests.post((first, second)[i % 2].url + "/api/auth/refresh",
                                                            json={"refreshToken": token}, timeout=10), range(10)))
        assert {a.status_code for a in answers} == {200}
        assert len({a.json()["tokens"]["refreshToken"] for a in answers}) == 1

        # Concurrent increments on both instances stop exactly at the limit.
        auth = {"Authorization": f"Bearer {other['accessToken']}"}
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(lambda i: requests.post((first, second)[i % 2].url + "/api/auth/increment-upload",
                                                             headers=auth, timeout=10).status_code, range(12)))
        assert statuses.count(200) == 5 and statuses.count(429) == 7
    finally:
        assert first.stop() == 0
        assert second.stop() == 0


def refused_at_start(**settings: str) -> str:
    """Starts `serve` with `settings`; asserts it exits 78 (configuration error) and answers its stderr."""
    result = subprocess.run([os.environ["AUTHSERVER_BINARY"], "serve"], capture_output=True, text=True, timeout=30,
                            env={"DATABASE_URL": "postgresql://x@127.0.0.1:1/x", "PATH": os.environ["PATH"], **settings}, cwd="/tmp")
    assert result.returncode == 78, result.stderr
    return result.stderr


def test_a_wildcard_cors_origin_is_refused_at_start():
    assert "CORS_ORIGINS=*" in refused_at_start(CORS_ORIGINS="*")
    assert "CORS_ORIGINS=" in refused_at_start(CORS_ORIGINS="https://app.example.com,*")


def test_production_refuses_a_cheap_bcrypt_cost_and_a_missing_server_secret():
    errors = refused_at_start(APP_ENV="production", JWT_ACCESS_SECRET="j" * 40, BCRYPT_COST="9")
    assert "BCRYPT_COST=9" in errors and "SERVER_SECRET is not set" in errors


def test_lifetimes_of_seconds_are_accepted():
    server = Server(REFRESH_TOKEN_TTL="2s", ACCESS_TOKEN_TTL="1s", REFRESH_REUSE_INTERVAL="1s")
    try:
        info = requests.get(server.url + "/api/auth/jwt-info", timeout=10).json()
        assert info["accessTokenTtlSeconds"] == 1 and info["refreshTokenTtlSeconds"] == 2
    finally:
        assert server.stop() == 0


def test_a_grace_window_replay_is_logged_as_a_security_event_with_ip_and_user_agent():
    server = Server(LOG_LEVEL="info", REFRESH_REUSE_INTERVAL="10s")
    try:
        account = register(server.url)
        token = {"refreshToken": account["tokens"]["refreshToken"]}
        assert requests.post(server.url + "/api/auth/refresh", json=token, headers={"User-Agent": "tab-one/1"}, timeout=10).status_code == 200
        replay = requests.post(server.url + "/api/auth/refresh", json=token, headers={"User-Agent": "somewhere-else/2"}, timeout=10)
        assert replay.status_code == 200
        deadline = time.monotonic() + 10
        while True:
            events = [json.loads(line) for line in server.output().splitlines() if "refresh.replayed_within_window" in line]
            if events or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert len(events) == 1, server.output()
        event = events[0]
        assert event["message"] == "security: refresh.replayed_within_window"
        assert event["clientIp"] == "127.0.0.1" and event["userAgent"] == "somewhere-else/2"
        assert event["userId"] == account["user"]["id"] and event["requestId"]
        assert account["tokens"]["refreshToken"] not in json.dumps(event)
    finally:
        assert server.stop() == 0


def test_the_server_maps_no_full_foundation_and_no_icu(server):
    """All of Foundation with ICU adds about 8 MB to every process: the server imports only
    FoundationEssentials (README, Architecture)."""
    libraries = {line.split()[-1].rsplit("/", 1)[-1] for line in open(f"/proc/{server.process.pid}/maps") if ".so" in line}
    assert "libFoundationEssentials.so" in libraries, sorted(libraries)
    unwanted = {"libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"} & libraries
    assert not unwanted, sorted(unwanted)
