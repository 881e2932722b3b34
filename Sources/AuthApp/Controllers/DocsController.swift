import COpenAPIDocument
import HTTPServer
import JSON
import Outbound

/// `GET /openapi.json` (the contract, served as kept in the repo) and `GET /` (a readable page
/// of its endpoints, generated from it once at start).
struct DocsController: Sendable {
    private let document: [UInt8]
    private let page: [UInt8]

    init() {
        document = Array(UnsafeBufferPointer(start: openapi_document_bytes(), count: Int(openapi_document_count())))
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
        let spec = (try? JSONParser.parseObject(document)) ?? [:]
        let info = spec["info"]?.objectValue ?? [:]
        let title = HTML.escape(info["title"]?.stringValue ?? "authserver")
        let paths = spec["paths"]?.objectValue ?? [:]
        let methods = ["get", "head", "post", "put", "patch", "delete", "options"]
        var rows = ""
        for path in paths.keys.sorted() {
            for method in methods {
                guard let operation = paths[path]?.objectValue?[method]?.objectValue else { continue }
                let summary = operation["summary"]?.stringValue ?? ""
                let requirements = operation["security"]?.arrayValue ?? []
                let credentials = requirements.map { ($0.objectValue ?? [:]).keys.sorted().map(credentialName).joined(separator: " + ") }
                    .map { $0.isEmpty ? "none" : $0 }.joined(separator: " or ")
                rows += "<tr><td class=m>\(method.uppercased())</td><td><code>\(HTML.escape(path))</code></td>"
                    + "<td>\(HTML.escape(summary))</td><td>\(HTML.escape(credentials))</td></tr>\n"
            }
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
            <style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}
            .m{font-weight:600;font-family:monospace}code{font-size:14px}</style></head>
            <body><h1>\(title) \(HTML.escape(info["version"]?.stringValue ?? ""))</h1>
            <p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
            <table>\n\(rows)</table></body></html>
            """
    }

    private static func credentialName(_ scheme: String) -> String {
        ["bearerAuth": "access token", "refreshCookie": "refresh cookie"][scheme] ?? scheme
    }
}
