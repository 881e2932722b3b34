import Foundation
import Testing
import TestHTTPClient

@Suite("/metrics: bounded labels, and METRICS_TOKEN")
struct MetricsTests {
    /// Any token is a method and any path a target: if either became a label, every distinct
    /// request would mint a series that lives forever. After a first batch has created the
    /// `OTHER`/`unmatched` series, a thousand more distinct requests must not grow the page.
    @Test func distinctMethodsAndPathsCountAsOTHERAndUnmatchedWithoutGrowingThePage() async throws {
        let app = try await TestApp()
        let client = app.inProcess()
        func sendDistinct(_ range: Range<Int>) async throws {
            for index in range {
                let method = "M" + String(repeating: "X", count: 190) + String(index)
                #expect(try await client.call(method, "/nowhere/\(index)/" + String(repeating: "p", count: 200)).status == 404)
                #expect(try await client.call(method, "/api/auth/login").status == 405)
            }
        }
        try await sendDistinct(0..<10)
        // The first scrape creates the series of /metrics itself.
        _ = try await client.call("GET", "/metrics")
        let settled = try await client.call("GET", "/metrics").text
        try await sendDistinct(10..<1010)
        let page = try await client.call("GET", "/metrics").text
        #expect(!page.contains("MXXXX"))
        #expect(!page.contains("/nowhere"))
        let series = page.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") }
        #expect(series.contains { $0.contains(#"method="OTHER""#) && $0.contains(#"route="unmatched""#) && $0.contains(#"status="404""#) })
        #expect(series.contains { $0.contains(#"method="OTHER""#) && $0.contains(#"route="unmatched""#) && $0.contains(#"status="405""#) })
        // Counters and sums gain a few digits; a series per request would add ~100 bytes each.
        #expect(abs(page.utf8.count - settled.utf8.count) < 256)
    }

    @Test func metricsTokenGuardsThePageWhenSet() async throws {
        let app = try await TestApp(["METRICS_TOKEN": "scrape-token-0123456789"])
        let guarded = app.inProcess()
        let anonymous = try await guarded.call("GET", "/metrics")
        #expect(anonymous.status == 401)
        #expect(anonymous.json["success"] as? Bool == false)
        #expect(try await guarded.call("GET", "/metrics", token: "scrape-token-012345678").status == 401)
        let scraped = try await guarded.call("GET", "/metrics", token: "scrape-token-0123456789")
        #expect(scraped.status == 200)
        #expect(scraped.text.contains("http_requests_total"))

        // Unset, operators restrict it by network and the page is open.
        let open = try await TestApp()
        #expect(try await open.inProcess().call("GET", "/metrics").status == 200)
    }
}
