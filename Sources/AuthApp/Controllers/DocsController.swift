import Foundation
import HTTPServer

/// `GET /openapi.json` (the contract, served as kept in the repo) and `GET /` (a readable page
/// of its endpoints, generated from it once at start).
struct DocsController: Sendable {
    private let document: [UInt8]
    private let page: [UInt8]

    init() {
        let url = Bundle.module.url(forResource: "openapi", withExtension: "json")
        document = url.flatMap { try? Data(contentsOf: $0) }.map(Array.init) ?? Array("{}".utf8)
        page = Array(DocsController.page(for: document).utf8)
    }

    func openAPI(_ request: HTTPRequest, context: inout AppContext) -> HTTPResponse {
        var response = HTTPResponse(body: document)
        response.headers.add(HTTPResponse.jsonContentType)
        response.headers.add("Cache-Control", "public, max-age=300")
        return response
    }

    func index(_ request: HTTPRequest, context: inout AppContext) -> HTTPResponse {
        var response = HTTPResponse(contentType: "text/html; charset=utf-8", body: page)
        response.headers.add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        return response
    }

    private static func page(for document: [UInt8]) -> String {
        let spec = (try? JSONSerialization.jsonObject(with: Data(document))) as? [String: Any] ?? [:]
        let info = spec["info"] as? [String: Any] ?? [:]
        let paths = spec["paths"] as? [String: [String: Any]] ?? [:]
        let methods = ["get", "head", "post", "put", "patch", "delete", "options"]
        var rows = ""
        for path in paths.keys.sorted() {
            for method in methods {
                guard let operation = paths[path]?[method] as? [String: Any] else { continue }
                let summary = operation["summary"] as? String ?? ""
                let requirements = (operation["security"] as? [[String: Any]]) ?? []
                let credentials = requirements.map { $0.keys.sorted().map(credentialName).joined(separator: " + ") }
                    .map { $0.isEmpty ? "none" : $0 }.joined(separator: " or ")
                rows += "<tr><td class=m>\(method.uppercased())</td><td><code>\(escape(path))</code></td>"
                    + "<td>\(escape(summary))</td><td>\(escape(credentials))</td></tr>\n"
            }
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(info["title"] as? String ?? "authserver"))</title>
            <style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}
            .m{font-weight:600;font-family:monospace}code{font-size:14px}</style></head>
            <body><h1>\(escape(info["title"] as? String ?? "authserver")) \(escape(info["version"] as? String ?? ""))</h1>
            <p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
            <table>\n\(rows)</table></body></html>
            """
    }

    private static func credentialName(_ scheme: String) -> String {
        ["bearerAuth": "access token", "refreshCookie": "refresh cookie"][scheme] ?? scheme
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
