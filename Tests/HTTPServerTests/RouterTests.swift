import HTTPServer
import Testing

@Suite("Routing and the middleware chain, in process")
struct RouterTests {
    struct Tag: Middleware {
        let name: String
        func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
            var response = try next(request, context)
            response.headers.add(name: "X-Order", value: name)
            return response
        }
    }

    struct ShortCircuit: Middleware {
        func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
            request.headers["X-Stop"] == nil ? try next(request, context) : HTTPResponse(status: .forbidden)
        }
    }

    /// What an application's error middleware does: thrown errors become responses here, so the
    /// outer links see a response.
    struct RenderErrors: Middleware {
        func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
            do { return try next(request, context) } catch let error as HTTPError { return error.response }
        }
    }

    private func respond(_ application: HTTPApplication, _ method: HTTPMethod, _ target: String,
                         headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let request = HTTPRequest(method: method, target: target, headers: headers)
        let endpoint = application.endpoint(for: request)
        return application.respond(to: request, at: endpoint,
                                   context: RequestContext(remoteAddress: "127.0.0.1", parameters: endpoint.parameters, route: endpoint.route))
    }

    @Test func middlewareRunsInOrderAroundRouteMiddleware() {
        var router = Router()
        router.add(.GET, "/a", middleware: [Tag(name: "route")]) { _, _ in HTTPResponse() }
        let application = HTTPApplication(router: router, middleware: [Tag(name: "outer"), Tag(name: "inner")])
        // Responses travel back out: the innermost tag is added first.
        #expect(respond(application, .GET, "/a").headers.values("X-Order") == ["route", "inner", "outer"])
    }

    @Test func middlewareCanAnswerWithoutCallingNext() {
        var router = Router()
        router.add(.GET, "/a") { _, _ in HTTPResponse() }
        let application = HTTPApplication(router: router, middleware: [Tag(name: "outer"), ShortCircuit()])
        let response = respond(application, .GET, "/a", headers: ["X-Stop": "1"])
        #expect(response.status == .forbidden)
        #expect(response.headers.values("X-Order") == ["outer"])
    }

    @Test func notFoundAndMethodNotAllowedPassThroughTheChain() {
        var router = Router()
        router.add(.POST, "/a") { _, _ in HTTPResponse() }
        let application = HTTPApplication(router: router, middleware: [Tag(name: "outer"), RenderErrors()])
        let missing = respond(application, .GET, "/b")
        #expect(missing.status == .notFound)
        #expect(missing.headers["X-Order"] == "outer")
        let wrong = respond(application, .GET, "/a")
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headers["Allow"] == "POST")
    }

    @Test func parametersArePercentDecodedAndLiteralRoutesWin() {
        var router = Router()
        router.add(.GET, "/s/:id") { _, context in HTTPResponse(contentType: "text/plain", text: "param " + context.parameters["id"]!) }
        router.add(.GET, "/s/all") { _, _ in HTTPResponse(contentType: "text/plain", text: "literal") }
        let application = HTTPApplication(router: router, middleware: [])
        #expect(respond(application, .GET, "/s/a%20b").body == Array("param a b".utf8))
        #expect(respond(application, .GET, "/s/all").body == Array("literal".utf8))
        #expect(respond(application, .GET, "/s/").status == .notFound)
        #expect(respond(application, .GET, "/s/x/y").status == .notFound)
    }

    @Test func headFallsBackToGet() {
        var router = Router()
        router.add(.GET, "/a") { _, _ in HTTPResponse(contentType: "text/plain", text: "x") }
        let application = HTTPApplication(router: router, middleware: [])
        #expect(respond(application, .HEAD, "/a").status == .ok)
    }

    @Test func unexpectedErrorsBecomeA500WithoutDetails() {
        struct Secret: Error {}
        var router = Router()
        router.add(.GET, "/a") { _, _ in throw Secret() }
        let application = HTTPApplication(router: router, middleware: [])
        let response = respond(application, .GET, "/a")
        #expect(response.status == .internalServerError)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("Secret"))
    }
}
