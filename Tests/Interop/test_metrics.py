"""/metrics is Prometheus text that a real parser reads, with the series operators need."""
import requests
from prometheus_client.parser import text_string_to_metric_families


def test_metrics_parse_and_count_requests(server):
    requests.get(server.url + "/health/live", timeout=10)
    requests.get(server.url + "/nowhere", timeout=10)
    response = requests.get(server.url + "/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {family.name: family for family in text_string_to_metric_families(response.text)}
    for name in ["http_requests", "http_request_duration_seconds", "http_open_connections", "db_pool_connections_in_use",
                 "db_pool_waiting_requests", "bcrypt_queue_depth"]:
        assert name in families, f"{name} missing from /metrics"
    samples = [s for s in families["http_requests"].samples if s.name == "http_requests_total"]
    assert any(s.labels == {"method": "GET", "route": "/health/live", "status": "200"} and s.value >= 1 for s in samples)
    assert any(s.labels["route"] == "unmatched" and s.labels["status"] == "404" for s in samples)
    assert families["http_open_connections"].samples[0].value >= 1


def pipelined(server, requests_bytes: list[bytes]) -> int:
    """Sends every request on one connection, pipelined, while a thread reads the answers
    (a server that cannot write stops reading); answers how many responses came back."""
    import socket
    import threading

    connection = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    received = bytearray()

    def read_all():
        while chunk := connection.recv(1 << 16):
            received.extend(chunk)

    reader = threading.Thread(target=read_all)
    reader.start()
    connection.sendall(b"".join(requests_bytes) + b"GET /health/live HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    reader.join(timeout=120)
    connection.close()
    return received.count(b"HTTP/1.1 ")


def resident_kilobytes(pid: int) -> int:
    line = next(line for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
    return int(line.split()[1])


def test_distinct_methods_and_paths_grow_neither_the_metrics_page_nor_memory():
    from conftest import Server

    server = Server()
    try:
        def batch(start: int) -> list[bytes]:
            return [f"M{'X' * 190}{index} /nowhere/{index}/{'p' * 180} HTTP/1.1\r\nHost: a\r\n\r\n".encode()
                    for index in range(start, start + 10_000)]

        # The first batch makes the OTHER/unmatched series and lets the allocator reach its working size.
        assert pipelined(server, batch(0)) == 10_001
        requests.get(server.url + "/metrics", timeout=10)
        size_before = len(requests.get(server.url + "/metrics", timeout=10).content)
        memory_before = resident_kilobytes(server.process.pid)
        assert pipelined(server, batch(10_000)) == 10_001
        page = requests.get(server.url + "/metrics", timeout=10).text
        grown_kilobytes = resident_kilobytes(server.process.pid) - memory_before
        # A series per method made 1.9 MB of page and 14 MB of memory from 20,000 such requests.
        assert abs(len(page.encode()) - size_before) < 256
        assert grown_kilobytes < 4096, f"RSS grew by {grown_kilobytes} kB"
        samples = [s for family in text_string_to_metric_families(page) for s in family.samples if s.name == "http_requests_total"]
        assert {s.labels["method"] for s in samples} <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"}
        assert any(s.labels == {"method": "OTHER", "route": "unmatched", "status": "404"} and s.value == 20_000 for s in samples)
        assert "XXXX" not in page and "/nowhere" not in page
    finally:
        assert server.stop() == 0
