import Foundation
import HTTPServer
import Logging
import Reactor
import Synchronization

/// A live server on a free loopback port, on its own two event loops, with a few routes that
/// exercise each path: inline handlers, a handler that waits on a gate the test opens, errors.
final class TestServer: Sendable {
    let server: HTTPServer
    let group: EventLoopGroup
    /// Holds requests to `GET /wait` until the test opens it.
    let gate = Gate()

    var port: Int { server.port }

    init(configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configure(&configuration)
        group = try EventLoopGroup(name: "test-http", count: 2)
        let gate = self.gate
        var router = Router<TestContext>(middleware: [RenderFailures()])
        try router.add(.GET, "/hello", .inline { _, _ in .text("hello") })
        try router.add(.POST, "/echo", .inline { request, _ in HTTPResponse(body: request.body) })
        try router.add(.GET, "/items/:id", .inline { _, context in .text(context.route.parameters["id"] ?? "") })
        try router.add(.DELETE, "/items/:id", .inline { _, _ in HTTPResponse(status: .noContent) })
        try router.add(.GET, "/wait", .waits { _, _ in
            await gate.pass()
            return .text("released")
        })
        try router.add(.GET, "/fail", .inline { _, _ in throw TestFailure(status: .conflict) })
        server = HTTPServer(configuration: configuration, responder: router, group: group, logger: Logger(label: "test"))
        try server.start()
    }

    func stop(timeout: Double = 2) {
        server.shutdown(timeout: timeout)
        group.shutdown()
    }

    /// Threads of this process, from /proc.
    static var threadCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }
}

struct TestContext: RequestContext {
    let route: MatchedRoute

    init(request: HTTPRequest, route: MatchedRoute, connection: ConnectionInfo) {
        self.route = route
    }
}

struct TestFailure: Error {
    let status: HTTPStatus
}

/// What an application's error middleware does, in the smallest form: failures become
/// responses with their status and a text body naming them.
struct RenderFailures: Middleware {
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout TestContext, next: some Responder<TestContext>) async throws -> HTTPResponse {
        do {
            return try await next(request, &context)
        } catch RoutingFailure.notFound {
            return .text("not found", status: .notFound)
        } catch RoutingFailure.methodNotAllowed(let allowed) {
            var response = HTTPResponse.text("method not allowed", status: .methodNotAllowed)
            response.headers.add("Allow", allowed.map(\.rawValue).joined(separator: ", "))
            return response
        } catch ServerFailure.malformed(let error) {
            return .text("malformed: \(error.reason)", status: HTTPStatus(error.status))
        } catch ServerFailure.requestTimeout {
            return .text("timeout", status: .requestTimeout)
        } catch let failure as TestFailure {
            return .text("failed", status: failure.status)
        }
    }
}

extension HTTPResponse {
    static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain", body: Array(text.utf8))
    }
}

/// Parks the tasks that pass it until `open`, and counts how many wait.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var waitingCount: Int { state.withLock { $0.waiting.count } }

    func pass() async {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state in
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if proceed { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.resume() }
    }

    /// Polls until `count` tasks wait, for at most `seconds`.
    func waitForWaiters(_ count: Int, seconds: Double = 5) -> Bool {
        let deadline = Date() + seconds
        while waitingCount < count {
            guard Date() < deadline else { return false }
            usleep(2_000)
        }
        return true
    }
}
