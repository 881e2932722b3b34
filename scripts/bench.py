"""Measures authserver on this machine and prints a table (`make bench`). It reports; it never fails the build.

Everything runs on loopback in one run, so the ratios are comparable even on a noisy machine:
nginx answering a static 200 is the ceiling of an HTTP server here, and pgbench running our own
SQL statements is the ceiling of the database path.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DURATION = os.environ.get("BENCH_DURATION", "8s")
SECRET = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def call(url: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     method="POST" if body is not None else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    return json.load(urllib.request.urlopen(request, timeout=10))


def process_stats(pid: int) -> tuple[float, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    return rss_kb / 1024, threads


def to_ms(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.search(r"[a-z]+$", text).group()
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, connections: int, headers: list[str] = (), script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def pgbench(database_url: str, sql: str, clients: int = 16) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(sql)
    pgbench_binary = shutil.which("pgbench") or next(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    output = subprocess.run([str(pgbench_binary), "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", DURATION.rstrip("s"),
                             "-f", script.name, database_url], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1))


def open_idle_connections(port: int, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        sockets.append(s)
    # One request on the last proves the server still serves with all of them open.
    sockets[-1].sendall(b"GET /health/live HTTP/1.1\r\nHost: bench\r\n\r\n")
    assert sockets[-1].recv(4096).startswith(b"HTTP/1.1 200")
    return sockets


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="authserver-bench-"))
    work.chmod(0o755)  # the postgres user must reach the data directory inside
    cleanups = []
    rows = []

    def row(name: str, result: dict, pid: int | None = None, ceiling: dict | None = None) -> None:
        rss, threads = process_stats(pid) if pid else (None, None)
        rows.append((name, result, rss, threads, result["rps"] / ceiling["rps"] if ceiling else None))

    try:
        data = work / "postgres"
        database_url = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", "--throwaway", str(data)],
                                      capture_output=True, text=True, check=True).stdout.strip()
        cleanups.append(lambda: subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", str(data)], capture_output=True))

        port, nginx_port = free_port(), free_port()
        env = {"PATH": os.environ["PATH"], "HOST": "127.0.0.1", "PORT": str(port), "DATABASE_URL": database_url,
               "JWT_ACCESS_SECRET": SECRET, "APP_ENV": "production", "COOKIE_SECURE": "false", "BCRYPT_COST": "4",
               "MIGRATIONS_DIR": str(ROOT / "Migrations"), "LOG_LEVEL": "warning", "RATE_LIMIT_MAX": "1000000000",
               "UPLOAD_LIMIT": "1000000000", "MAX_CONNECTIONS": "20000"}
        server = subprocess.Popen([str(ROOT / ".build/release/authserver"), "serve"], env=env, cwd=work,
                                  stdout=open(work / "server.log", "w"), stderr=subprocess.STDOUT)
        cleanups.append(lambda: (server.terminate(), server.wait(20)))
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/health")

        nginx_conf = work / "nginx.conf"
        nginx_conf.write_text(f"""
worker_processes auto; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{ access_log off; server {{ listen 127.0.0.1:{nginx_port}; location / {{ return 200 "ok"; }} }} }}
""")
        nginx = subprocess.Popen(["nginx", "-c", str(nginx_conf), "-p", str(work)], stderr=subprocess.DEVNULL)
        cleanups.append(lambda: (nginx.terminate(), nginx.wait(10)))
        wait_http(f"http://127.0.0.1:{nginx_port}/")

        account = call(base + "/api/auth/register", {"email": "bench@example.com", "password": "bench passphrase"})
        token = account["accessToken"]
        user_id = account["user"]["id"]
        auth = [f"Authorization: Bearer {token}"]
        post = work / "post.lua"
        post.write_text('wrk.method = "POST"\n')

        # Idle connections first, on a server that has not yet grown its heap under load.
        idle_rss, idle_threads = process_stats(server.pid)
        idle = open_idle_connections(port, 10_000)
        time.sleep(1)
        after_rss, after_threads = process_stats(server.pid)
        for s in idle:
            s.close()
        time.sleep(1)
        for connections in (64, 1000):
            ceiling = wrk(f"http://127.0.0.1:{nginx_port}/", connections)
            row(f"nginx static 200, c={connections}", ceiling)
            row(f"GET /health/live, c={connections}", wrk(base + "/health/live", connections), server.pid, ceiling)
            row(f"GET /health, c={connections}", wrk(base + "/health", connections), server.pid, ceiling)
            if connections == 64:
                row("GET /api/auth/verify-token, c=64", wrk(base + "/api/auth/verify-token", 64, auth), server.pid, ceiling)

        update_sql = f"UPDATE users SET files_uploaded = files_uploaded + 1, updated_at = now() WHERE id = '{user_id}' AND is_active AND files_uploaded < 1000000000 RETURNING files_uploaded;\n"
        select_sql = f"SELECT id, email, name, first_name, last_name, company, role, is_active, files_uploaded, created_at, last_login_at FROM users WHERE id = '{user_id}';\n"
        update_ceiling = {"rps": pgbench(database_url, update_sql)}
        select_ceiling = {"rps": pgbench(database_url, select_sql)}
        rows.append(("pgbench UPDATE (increment), 16 clients", update_ceiling, None, None, None))
        rows.append(("pgbench SELECT (me), 16 clients", select_ceiling, None, None, None))
        for connections in (16, 64):
            row(f"POST /api/auth/increment-upload, c={connections}",
                wrk(base + "/api/auth/increment-upload", connections, auth, str(post)), server.pid, update_ceiling)
            row(f"GET /api/auth/me, c={connections}", wrk(base + "/api/auth/me", connections, auth), server.pid, select_ceiling)

        crypto = subprocess.run([str(ROOT / ".build/release/crypto-bench")], capture_output=True, text=True).stdout
    finally:
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception:
                pass

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    print(f"\nauthserver benchmark: {os.cpu_count()} cores ({cpu}), wrk -t2 -d{DURATION}, loopback; server in release, LOG_LEVEL=warning")
    print(f"{'what':45} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'non-2xx':>7} {'RSS MB':>7} {'threads':>7} {'ratio':>6}")
    for name, result, rss, threads, ratio in rows:
        print(f"{name:45} {result['rps']:>10.0f} {result.get('p50', float('nan')):>8.2f} {result.get('p99', float('nan')):>8.2f} "
              f"{result.get('errors', 0):>7} {result.get('non2xx', 0):>7} {rss if rss else float('nan'):>7.1f} "
              f"{threads if threads else '':>7} {f'{ratio:.2f}' if ratio else '':>6}")
    print("ratio: against nginx at the same connection count (HTTP rows) or pgbench running the same statement (database rows)")
    print(f"\nidle server: RSS {idle_rss:.1f} MB, {idle_threads} threads")
    print(f"10,000 idle keep-alive connections: RSS {idle_rss:.1f} -> {after_rss:.1f} MB (+{after_rss - idle_rss:.1f} MB), "
          f"threads {idle_threads} -> {after_threads}")
    print("\n" + crypto)


if __name__ == "__main__":
    sys.exit(main())
