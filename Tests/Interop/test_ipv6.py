"""IPv6 clients through a real socket: the server listens on `::` (dual stack), a client on
`::1` is served, and limits count an IPv6 client by its /64, whatever address in it it picks."""
import requests

from conftest import Server


def test_a_server_on_ipv6_counts_each_slash_64_as_one_client():
    # Loopback is a trusted proxy here, so X-Forwarded-For names the IPv6 clients behind ::1.
    server = Server(HOST="::", TRUST_PROXY="loopback", RATE_LIMIT_MAX="3")
    try:
        base = f"http://[::1]:{server.port}"
        assert requests.get(base + "/health/live", timeout=10).status_code == 200
        for address in ["2001:db8:77:1::1", "2001:db8:77:1::2", "2001:db8:77:1:dead:beef:0:1"]:
            answer = requests.get(base + "/api/auth/jwt-info", headers={"X-Forwarded-For": address}, timeout=10)
            assert answer.status_code == 200, address
        limited = requests.get(base + "/api/auth/jwt-info", headers={"X-Forwarded-For": "2001:db8:77:1::4"}, timeout=10)
        assert limited.status_code == 429 and limited.json()["code"] == "RATE_LIMITED"
        other = requests.get(base + "/api/auth/jwt-info", headers={"X-Forwarded-For": "2001:db8:77:2::1"}, timeout=10)
        assert other.status_code == 200
    finally:
        assert server.stop() == 0
