import Foundation
import HTTPServer
import Logging

/// A live server on a free loopback port with a few routes that exercise each execution path.
final class TestServer {
    let server: HTTPServer
    let workers: WorkerPool
    /// Signalled to release requests parked in `GET /wait`.
    let release = DispatchSemaphore(value: 0)

    var port: Int { server.port }

    init(workerThreads: Int = 4, queueLimit: Int = 64, middleware: [any Middleware] = [],
         configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoopCount = 2
        configure(&configuration)
        workers = WorkerPool(name: "test-worker", threads: workerThreads, queueLimit: queueLimit)
        let release = self.release
        var router = Router()
        router.add(.GET, "/hello", execution: .eventLoop) { _, _ in
            HTTPResponse(contentType: "text/plain", text: "hello")
        }
        router.add(.POST, "/echo") { request, _ in
            HTTPResponse(body: request.body)
        }
        router.add(.GET, "/items/:id", execution: .eventLoop) { _, context in
            HTTPResponse(contentType: "text/plain", text: context.parameters["id"] ?? "")
        }
        router.add(.DELETE, "/items/:id", execution: .eventLoop) { _, _ in HTTPResponse(status: .noContent) }
        router.add(.GET, "/wait") { _, _ in
            release.wait()
            return HTTPResponse(contentType: "text/plain", text: "released")
        }
        router.add(.GET, "/fail", execution: .eventLoop) { _, _ in
            throw HTTPError(.conflict, code: "CONFLICT", message: "Already there")
        }
        server = HTTPServer(configuration: configuration, application: HTTPApplication(router: router, middleware: middleware),
                            workers: workers, logger: Logger(label: "test"))
        try server.start()
    }

    func stop(timeout: Double = 2) {
        server.shutdown(timeout: timeout)
        workers.shutdown()
    }

    /// Threads of this process, from /proc.
    static var threadCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }
}
