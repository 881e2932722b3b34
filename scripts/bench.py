"""Measures authserver on this machine and prints a table (`make bench`). It reports; it never fails the build.

Everything runs on loopback in one run, so the ratios are comparable even on a noisy machine:
nginx answering a static 200 is the ceiling of an HTTP server here, pgbench running our own SQL
statements is the ceiling of the database path, and two cores hashing is the ceiling of login.
Next to requests per second each row gives the server's CPU time per request (from
/proc/PID/stat before and after the load), which varies less between runs.
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DURATION = os.environ.get("BENCH_DURATION", "10s")
SECRET = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
SERVER_SECRET = "bench-server-secret-0123456789-abcdefghijklmnopq"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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
    return json.load(urllib.request.urlopen(request, timeout=30))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_stats(pid: int) -> tuple[float, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    return rss_kb / 1024, threads


def to_ms(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.search(r"[a-z]+$", text).group()
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


class Peak:
    """Samples a process's RSS in the background, keeping the largest."""

    def __init__(self, pid: int):
        self.pid, self.rss, self.running = pid, 0.0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while self.running:
            self.rss = max(self.rss, process_stats(self.pid)[0])
            time.sleep(0.2)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.rss


class LatencyProbe:
    """One request every 5 ms on a kept-alive connection, in the background: the latency a load
    balancer's health check sees, without adding load of its own."""

    def __init__(self, url: str):
        self.url, self.samples, self.running = url, [], True
        self.thread = threading.Thread(target=self.probe, daemon=True)
        self.thread.start()

    def probe(self) -> None:
        host, port = self.url.split("//")[1].split("/")[0].split(":")
        path = "/" + self.url.split("//")[1].split("/", 1)[1]
        connection = socket.create_connection((host, int(port)))
        request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
        while self.running:
            started = time.monotonic()
            connection.sendall(request)
            answer = b""
            while not answer.endswith(b'"ok"}'):
                answer += connection.recv(4096)
            self.samples.append((time.monotonic() - started) * 1000)
            time.sleep(0.005)
        connection.close()

    def stop(self) -> None:
        self.running = False
        self.thread.join()

    def result(self) -> dict:
        ordered = sorted(self.samples)
        return {"rps": len(ordered) / max(1e-9, sum(ordered) / 1000 + 0.005 * len(ordered)),
                "p50": ordered[len(ordered) // 2], "p99": ordered[int(len(ordered) * 0.99)]}


def wrk(url: str, connections: int, headers: list[str] = (), script: str | None = None, pid: int | None = None,
        duration: str = DURATION) -> dict:
    """One wrk thread (two would flatter the server by sharing the client's work across both cores)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    before = cpu_seconds(pid) if pid else None
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }
    if pid:
        result["cpu_us"] = (cpu_seconds(pid) - before) / max(1, requests) * 1e6
    return result


def pgbench(database_url: str, sql: str, clients: int = 16) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(sql)
    pgbench_binary = shutil.which("pgbench") or next(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    output = subprocess.run([str(pgbench_binary), "-n", "-M", "prepared", "-c", str(clients), "-j", "1", "-T", DURATION.rstrip("s"),
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


def start_server(work: Path, name: str, database_url: str, **settings: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOST": "127.0.0.1", "PORT": str(port), "DATABASE_URL": database_url,
           "JWT_ACCESS_SECRET": SECRET, "SERVER_SECRET": SERVER_SECRET, "APP_ENV": "production", "COOKIE_SECURE": "false",
           "BCRYPT_COST": "10", "MIGRATIONS_DIR": str(ROOT / "Migrations"), "LOG_LEVEL": "warning",
           "RATE_LIMIT_MAX": "1000000000", "LOGIN_MAX_FAILURES": "1000000000", "ACCOUNT_MAX_FAILURES": "1000000000",
           "UPLOAD_LIMIT": "1000000000", "MAX_CONNECTIONS": "20000", "MAX_CONNECTIONS_PER_IP": "20000"}
    env.update(settings)
    server = subprocess.Popen([str(ROOT / ".build/release/authserver"), "serve"], env=env, cwd=work,
                              stdout=open(work / f"{name}.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/health")
    return server, base


def generate_key(work: Path, algorithm: str) -> Path:
    path = work / f"{algorithm.lower()}.pem"
    subprocess.run([str(ROOT / ".build/release/authserver"), "keys", "generate", "--algorithm", algorithm, "--out", str(path)],
                   capture_output=True, check=True)
    return path


# `openssl speed` names and summary-line markers of the primitives behind EdDSA, ES256 and RS256.
def signature_rows(crypto_report: str, rows: list) -> None:
    """Our sign and verify per CPU second on one core against `openssl speed`, from crypto-bench,
    which brackets each `openssl speed` run between two of ours: a single run of each, minutes
    apart on this shared machine, differed by more than the gap being measured."""
    for match in re.finditer(r"^(\w+)\s+(sign|verify):\s+ours\s+(\d+), openssl\s+(\d+), ratio ([\d.]+)", crypto_report, re.MULTILINE):
        algorithm, operation, ours, theirs, ratio = match.groups()
        rows.append((f"openssl speed: {algorithm} {operation}/s, one core", {"rps": float(theirs)}, ""))
        rows.append((f"  ours: {algorithm} {operation}/s, one core (per CPU s)", {"rps": float(ours)},
                     f"{float(ratio):.2f} of openssl speed"))


def bcrypt_ceiling(crypto_report: str) -> float:
    """Hashes per second at cost 12 with every core hashing at once, from crypto-bench's report."""
    match = re.search(r"bcrypt cost 12 on \d+ threads at once: ([\d.]+) hashes/s", crypto_report)
    return float(match.group(1)) if match else float("nan")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="authserver-bench-"))
    work.chmod(0o755)  # the postgres user must reach the data directory inside
    cleanups = []
    rows = []
    notes = []

    def row(name: str, result: dict, ceiling: dict | None = None, label: str = "") -> None:
        rows.append((name, result, f"{result['rps'] / ceiling['rps']:.2f} {label}" if ceiling else ""))

    try:
        data = work / "postgres"
        database_url = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", "--throwaway", str(data)],
                                      capture_output=True, text=True, check=True).stdout.strip()
        cleanups.append(lambda: subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", str(data)], capture_output=True))

        server, base = start_server(work, "server", database_url)
        cleanups.append(lambda: (server.terminate(), server.wait(20)))
        pid = server.pid

        nginx_port = free_port()
        nginx_conf = work / "nginx.conf"
        nginx_conf.write_text(f"""
worker_processes auto; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{ access_log off; server {{ listen 127.0.0.1:{nginx_port}; location / {{ return 200 "ok"; }} }} }}
""")
        nginx = subprocess.Popen(["nginx", "-c", str(nginx_conf), "-p", str(work)], stderr=subprocess.DEVNULL)
        cleanups.append(lambda: (nginx.terminate(), nginx.wait(10)))
        wait_http(f"http://127.0.0.1:{nginx_port}/")

        # An account whose access token carries every claim of the contract.
        account = call(base + "/api/auth/register", {"email": "bench@example.com", "password": "bench passphrase",
                                                     "name": "Bench Marker", "company": "Loopback Ltd"})
        token = account["accessToken"]
        user_id = account["user"]["id"]
        claims = json.loads(__import__("base64").urlsafe_b64decode(token.split(".")[1] + "=="))
        session_id = claims["sid"]
        notes.append(f"access token: {len(token)} bytes, claims {', '.join(claims)}")
        auth = [f"Authorization: Bearer {token}"]
        post = work / "post.lua"
        post.write_text('wrk.method = "POST"\n')

        # Idle memory first, on a server that has not yet grown its heap under load.
        idle_rss, idle_threads = process_stats(pid)
        idle = open_idle_connections(int(base.rsplit(":", 1)[1]), 10_000)
        time.sleep(1)
        after_rss, after_threads = process_stats(pid)
        for s in idle:
            s.close()
        time.sleep(1)

        for connections in (64, 1000):
            ceiling = wrk(f"http://127.0.0.1:{nginx_port}/", connections)
            row(f"nginx static 200, c={connections}", ceiling)
            row(f"GET /health/live, c={connections}", wrk(base + "/health/live", connections, pid=pid), ceiling, "of nginx")
            row(f"GET /health, c={connections}", wrk(base + "/health", connections, pid=pid), ceiling, "of nginx")
            if connections == 64:
                hs256 = wrk(base + "/api/auth/verify-token", 64, auth, pid=pid)
                row("GET /api/auth/verify-token, c=64", hs256, ceiling, "of nginx")
                edDSA = eddsa_verify_token(work, database_url)
                rows.append(("GET /api/auth/verify-token, EdDSA, c=64", edDSA,
                             f"{edDSA['rps'] / ceiling['rps']:.2f} of nginx, {edDSA['rps'] / hs256['rps']:.2f} of HS256"))

        # The statements the routes run, exactly: /me reads the user with its session's liveness;
        # increment adds one upload in one statement that checks account and session.
        select_sql = ("SELECT users.id, users.email, users.name, users.first_name, users.last_name, users.company, users.role, "
                      "users.is_active, users.files_uploaded, users.email_verified, users.password_hash IS NOT NULL AS has_password, "
                      "users.created_at, users.last_login_at, s.id IS NOT NULL AS session_live FROM users "
                      f"LEFT JOIN sessions s ON s.id = '{session_id}' AND s.user_id = users.id AND s.revoked_at IS NULL "
                      f"AND s.expires_at > now() WHERE users.id = '{user_id}';\n")
        update_sql = (f"WITH account AS (SELECT u.id, u.is_active, EXISTS (SELECT 1 FROM sessions s WHERE s.id = '{session_id}' "
                      "AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()) AS session_live "
                      f"FROM users u WHERE u.id = '{user_id}'), added AS (UPDATE users SET files_uploaded = files_uploaded + 1, "
                      "updated_at = now() FROM account WHERE users.id = account.id AND account.is_active AND account.session_live "
                      "AND users.files_uploaded < 1000000000 RETURNING users.files_uploaded) "
                      "SELECT account.is_active, account.session_live, (SELECT files_uploaded FROM added) AS files_uploaded FROM account;\n")
        select_ceiling = {"rps": pgbench(database_url, select_sql)}
        update_ceiling = {"rps": pgbench(database_url, update_sql)}
        rows.append(("pgbench SELECT (the /me statement), 16 clients", select_ceiling, ""))
        rows.append(("pgbench UPDATE (the increment statement), 16 clients", update_ceiling, ""))
        peak = Peak(pid)
        for connections in (16, 64):
            row(f"GET /api/auth/me, c={connections}", wrk(base + "/api/auth/me", connections, auth, pid=pid),
                select_ceiling, "of pgbench")
            row(f"POST /api/auth/increment-upload, c={connections}",
                wrk(base + "/api/auth/increment-upload", connections, auth, str(post), pid=pid), update_ceiling, "of pgbench")
        database_rss = peak.stop()

        # Before the admin rows, whose 600,000 seeded rows PostgreSQL's autovacuum then works
        # through on the same cores as the signatures' one-core measurements.
        crypto = subprocess.run([str(ROOT / ".build/release/crypto-bench")], capture_output=True, text=True).stdout
        signature_rows(crypto, rows)
        login_rows(work, database_url, crypto, rows)
        admin_rows(base, database_url, rows, notes)
    finally:
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception:
                pass

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    print(f"\nauthserver benchmark: {os.cpu_count()} cores ({cpu}), wrk -t1 -d{DURATION}, loopback; server in release, LOG_LEVEL=warning")
    print(f"{'what':52} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'non2xx':>6} {'CPU µs/req':>10}  ratio")
    for name, result, ratio in rows:
        cpu_us = result.get("cpu_us")
        rate = f"{result['rps']:.1f}" if result['rps'] < 100 else f"{result['rps']:.0f}"  # logins: a few a second
        print(f"{name:52} {rate:>9} {result.get('p50', float('nan')):>7.2f} {result.get('p99', float('nan')):>7.2f} "
              f"{result.get('errors', 0):>6} {result.get('non2xx', 0):>6} {f'{cpu_us:.1f}' if cpu_us else '':>10}  {ratio}")
    for note in notes:
        print(note)
    print(f"\nidle server: RSS {idle_rss:.1f} MB, {idle_threads} threads")
    print(f"10,000 idle keep-alive connections: RSS {idle_rss:.1f} -> {after_rss:.1f} MB (+{after_rss - idle_rss:.1f} MB), "
          f"threads {idle_threads} -> {after_threads}")
    print(f"peak RSS during the database routes at up to 64 connections: {database_rss:.1f} MB")
    print("\n" + crypto)


def eddsa_verify_token(work: Path, database_url: str) -> dict:
    """verify-token under JWT_ALGORITHM=EdDSA, on a second server started for it while the HS256 one idles."""
    server, base = start_server(work, "eddsa-server", database_url, JWT_ALGORITHM="EdDSA",
                                JWT_PRIVATE_KEY_FILE=str(generate_key(work, "EdDSA")))
    try:
        email = f"eddsa-bench-{os.getpid()}-{time.monotonic_ns()}@example.com"
        token = call(base + "/api/auth/register", {"email": email, "password": "bench passphrase"})["accessToken"]
        return wrk(base + "/api/auth/verify-token", 64, [f"Authorization: Bearer {token}"], pid=server.pid)
    finally:
        server.terminate()
        server.wait(20)


def login_rows(work: Path, database_url: str, crypto: str, rows: list) -> None:
    """Login at cost 12 against every core hashing, with /health/live probed alongside."""
    server, base = start_server(work, "login-server", database_url, BCRYPT_COST="12")
    try:
        email = f"login-bench-{os.getpid()}-{time.monotonic_ns()}@example.com"
        call(base + "/api/auth/register", {"email": email, "password": "bench passphrase"})
        login = work / "login.lua"
        login.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                         f'wrk.body = \'{{"email":"{email}","password":"bench passphrase"}}\'\n')
        probe = LatencyProbe(base + "/health/live")
        # As many logins in flight as the bcrypt pool and its queue take (two of each on two cores).
        result = wrk(base + "/api/auth/login", 4, script=str(login), pid=server.pid)
        probe.stop()
        ceiling = {"rps": bcrypt_ceiling(crypto)}
        rows.append((f"bcrypt ceiling, cost 12, {os.cpu_count()} threads hashing at once", ceiling, ""))
        rows.append(("POST /api/auth/login, cost 12, c=4", result, f"{result['rps'] / ceiling['rps']:.2f} of the bcrypt ceiling"))
        rows.append((f"  GET /health/live meanwhile, every 5 ms ({len(probe.samples)} probes)", probe.result(), "p99 while hashing"))
    finally:
        server.terminate()
        server.wait(20)


# One bcrypt hash (cost 10, "bench passphrase") for every seeded account: hashing 100,000
# passwords would take the seeding minutes, and nobody logs in as them.
SEED_HASH = "$2b$10$/gZz3za99aPGvhv5zfK.RuGGn2g4fH/cXLFWCoEHacEqHJ2M74IDS"
SEED_USERS = 100_000
SEED_AUDIT_ROWS = 500_000
FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Dennis", "Frances", "Ken"]
LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Ritchie", "Allen", "Thompson"]


def psql(database_url: str, sql: str) -> str:
    return subprocess.run(["psql", database_url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True,
                          check=True).stdout


def seed_accounts(database_url: str) -> None:
    """100,000 users (one statement: generate_series, the one precomputed hash) with names
    from FIRST_NAMES and LAST_NAMES plus a random-looking tag, created over the last 35 days,
    and SEED_AUDIT_ROWS audit rows about them over the last 60 days."""
    first = "ARRAY[" + ",".join(f"'{name}'" for name in FIRST_NAMES) + "]"
    last = "ARRAY[" + ",".join(f"'{name}'" for name in LAST_NAMES) + "]"
    psql(database_url, f"""
        INSERT INTO users (id, email, password_hash, name, first_name, last_name, role, email_verified, created_at, updated_at)
        SELECT md5('bench-user-' || i)::uuid, 'member' || i || '@' || (ARRAY['example.com', 'mail.test', 'corp.example'])[1 + i % 3],
               '{SEED_HASH}', f || ' ' || l, f, l, (ARRAY['CANDIDATE', 'EMPLOYER'])[1 + i % 2], i % 2 = 0,
               now() - i * interval '30 seconds', now()
        FROM generate_series(1, {SEED_USERS}) AS i,
             LATERAL (SELECT ({first})[1 + i % 10] AS f, ({last})[1 + (i / 10) % 10] || '-' || substr(md5(i::text), 1, 4) AS l) AS names;
        INSERT INTO audit_events (type, user_id, ip, request_id, details, created_at)
        SELECT (ARRAY['login.succeeded', 'login.failed', 'session.revoked', 'password.changed', 'account.registered'])[1 + i % 5],
               md5('bench-user-' || (1 + i % {SEED_USERS}))::uuid, '198.51.100.' || (i % 250), 'bench-' || i,
               jsonb_build_object('reason', 'seeded'), now() - i * interval '10 seconds'
        FROM generate_series(1, {SEED_AUDIT_ROWS}) AS i;
        """)
    # VACUUM also moves the GIN indexes' pending entries (the bulk insert's) into the indexes proper.
    psql(database_url, "VACUUM ANALYZE users")
    psql(database_url, "VACUUM ANALYZE audit_events")


def sequential_latency(base: str, path: str, token: str, count: int = 400) -> dict:
    """`count` requests one after another on one kept-alive connection: each one's own latency,
    with no queueing behind other clients."""
    host, port = base.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    samples = []
    for _ in range(count):
        started = time.monotonic()
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        body = response.read()
        samples.append((time.monotonic() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}: {body[:200]!r}")
    connection.close()
    ordered = sorted(samples)
    return {"rps": count / (sum(samples) / 1000), "p50": ordered[len(ordered) // 2], "p99": ordered[int(len(ordered) * 0.99)]}


def admin_rows(base: str, database_url: str, rows: list, notes: list) -> None:
    """The admin's search and audit pages over SEED_USERS accounts and SEED_AUDIT_ROWS audit
    rows (issue 13: p99 under 20 ms each), and the plan of the search, which must use the
    trigram indexes of Migrations/0007_administration.sql."""
    started = time.monotonic()
    seed_accounts(database_url)
    notes.append(f"seeded {SEED_USERS:,} users and {SEED_AUDIT_ROWS:,} audit rows in {time.monotonic() - started:.1f} s")
    email = f"bench-admin-{os.getpid()}@example.com"
    call(base + "/api/auth/register", {"email": email, "password": "bench passphrase"})
    psql(database_url, f"UPDATE users SET role = 'ADMIN' WHERE email = '{email}'")
    token = call(base + "/api/auth/login", {"email": email, "password": "bench passphrase"})["accessToken"]

    searches = [("member4242", "an email fragment, ~11 matches"), ("lovelace-3", "a name fragment, ~600 matches"),
                ("hopper", "a common name, 10,000 matches")]
    for query, what in searches:
        rows.append((f"GET /api/admin/users?query={query} ({what})", sequential_latency(base, f"/api/admin/users?query={query}", token), ""))
    first_page = call(base + "/api/admin/audit?limit=50", token=token)
    rows.append(("GET /api/admin/audit?limit=50", sequential_latency(base, "/api/admin/audit?limit=50", token), ""))
    rows.append(("GET /api/admin/audit, the next page by cursor",
                 sequential_latency(base, f"/api/admin/audit?limit=50&cursor={first_page['nextCursor']}", token), ""))
    user_id = call(base + "/api/admin/users?query=member4242&limit=1", token=token)["users"][0]["id"]
    rows.append(("GET /api/admin/audit?userId=...", sequential_latency(base, f"/api/admin/audit?userId={user_id}", token), ""))

    # The statement UserRepository.search sends, planned for its parameter as the server's are.
    plan = psql(database_url, f"""
        SET plan_cache_mode = force_custom_plan;
        PREPARE search(text, bigint) AS SELECT users.id FROM users
        WHERE (users.email LIKE '%' || lower($1) || '%'
               OR lower(coalesce(users.name, '') || ' ' || coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, ''))
                  LIKE '%' || lower($1) || '%')
        ORDER BY users.created_at DESC, users.id DESC LIMIT $2;
        EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE search('{searches[0][0]}', 51);
        """)
    notes.append(f"plan of the search for '{searches[0][0]}':\n  " + "\n  ".join(plan.strip().splitlines()))


def admin_only() -> None:
    """`scripts/bench.py admin`: only the admin rows, against a release build and a throwaway PostgreSQL."""
    work = Path(tempfile.mkdtemp(prefix="authserver-bench-admin-"))
    work.chmod(0o755)
    data = work / "postgres"
    rows, notes = [], []
    database_url = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", "--throwaway", str(data)],
                                  capture_output=True, text=True, check=True).stdout.strip()
    try:
        server, base = start_server(work, "admin-server", database_url)
        try:
            admin_rows(base, database_url, rows, notes)
        finally:
            server.terminate()
            server.wait(20)
    finally:
        subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", str(data)], capture_output=True)
    print(f"{'what':72} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for name, result, _ in rows:
        print(f"{name:72} {result['rps']:>7.0f} {result['p50']:>7.2f} {result['p99']:>7.2f}")
    for note in notes:
        print(note)


if __name__ == "__main__":
    sys.exit(admin_only() if sys.argv[1:] == ["admin"] else main())
