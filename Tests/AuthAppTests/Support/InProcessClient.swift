import AuthApp
import Foundation
import HTTPServer
import TestHTTPClient

/// Calls the application as the server would, without a socket: a request goes straight into
/// the router, its middleware and the controllers, and the answer comes back as the same
/// `Response` the socket tests read. For middleware and routing tests, where bytes on the wire
/// do not matter.
struct InProcessClient {
    let app: AuthServerApp
    let address: IPAddress

    func call(_ method: String, _ path: String, json: [String: Any]? = nil, body: String? = nil, token: String? = nil,
              headers: [(String, String)] = []) async throws -> TestHTTPClient.Response {
        var fields = HTTPHeaders([("Host", "localhost")] + headers)
        if let token { fields.add(name: "Authorization", value: "Bearer \(token)") }
        var bytes: [UInt8] = []
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json))
            fields.add(name: "Content-Type", value: "application/json")
        } else if let body {
            bytes = Array(body.utf8)
        }
        let request = HTTPRequest(method: HTTPMethod(rawValue: method), target: path, headers: fields, body: bytes)
        let response = await app.respond(to: request, from: address)
        let responseHeaders = HTTPHeaderLines.parse(response.headers.encoded)
        return TestHTTPClient.Response(status: response.status.code, headers: responseHeaders,
                                       body: method == "HEAD" ? [] : response.body)
    }
}

private enum HTTPHeaderLines {
    static func parse(_ encoded: [UInt8]) -> [(name: String, value: String)] {
        String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(colon, offsetBy: 2)...]))
        }
    }
}
