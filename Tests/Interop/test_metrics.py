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
