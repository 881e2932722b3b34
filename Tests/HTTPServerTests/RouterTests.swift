import HTTPServer
import Reactor
import Testing

@Suite("Routing and middleware chains, in process")
struct RouterTests {
    struct Tag: Middleware {
        let name: String
        var execution = Execution.inline

        func handle(_ request: HTTPRequest, context: inout TestContext, next: some Responder<TestContext>) async throws -> HTTPResponse {
            var response = try await next(request, &context)
            response.headers.add("X-Order", name)
            return response
        }
    }

    struct ShortCircuit: Middleware {
        let execution = Execution.inline

        func handle(_ request: HTTPRequest, context: inout TestContext, next: some Responder<TestContext>) async throws -> HTTPResponse {
            request.headers["X-Stop"] == nil ? try await next(request, &context) : HTTPResponse(status: .forbidden)
        }
    }

    private static let group = try! EventLoopGroup(name: "router-test", count: 1)

    private func respond(_ router: Router<TestContext>, _ method: HTTPMethod, _ target: String,
                         headers: HTTPHeaders = HTTPHeaders()) async -> HTTPResponse {
        let connection = ConnectionInfo(remoteAddress: IPAddress("127.0.0.1")!, remoteHost: "127.0.0.1",
                                        loop: Self.group.loops[0], receivedAt: 0)
        return await router.respond(to: HTTPRequest(method: method, target: target, headers: headers), connection: connection)
    }

    @Test func routerMiddlewareRunsAroundRouteMiddleware() async throws {
        var router = Router<TestContext>(middleware: [Tag(name: "outer"), Tag(name: "inner")])
        try router.add(.GET, "/a", middleware: [Tag(name: "route")], .inline { _, _ in HTTPResponse() })
        // Responses travel back out: the innermost tag is added first.
        #expect(await respond(router, .GET, "/a").headers.values("X-Order") == ["route", "inner", "outer"])
    }

    @Test func middlewareCanAnswerWithoutCallingNext() async throws {
        var router = Router<TestContext>(middleware: [Tag(name: "outer"), ShortCircuit()])
        try router.add(.GET, "/a", .inline { _, _ in HTTPResponse() })
        let response = await respond(router, .GET, "/a", headers: ["X-Stop": "1"])
        #expect(response.status == .forbidden)
        #expect(response.headers.values("X-Order") == ["outer"])
    }

    @Test func unroutedRequestsPassThroughTheRouterMiddlewareAsFailuresToRender() async throws {
        var router = Router<TestContext>(middleware: [Tag(name: "outer"), RenderFailures()])
        try router.add(.POST, "/a", .inline { _, _ in HTTPResponse() })
        let missing = await respond(router, .GET, "/b")
        #expect(missing.status == .notFound)
        #expect(missing.headers["X-Order"] == "outer")
        let wrong = await respond(router, .GET, "/a")
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headers["Allow"] == "POST")
        #expect(wrong.headers["X-Order"] == "outer")
    }

    @Test func parametersArePercentDecodedAndLiteralRoutesWin() async throws {
        var router = Router<TestContext>(middleware: [RenderFailures()])
        try router.add(.GET, "/s/:id", .inline { _, context in .text("param " + context.route.parameters["id"]!) })
        try router.add(.GET, "/s/all", .inline { _, _ in .text("literal") })
        #expect(await respond(router, .GET, "/s/a%20b%2F").body == Array("param a b/".utf8))
        #expect(await respond(router, .GET, "/s/all").body == Array("literal".utf8))
        #expect(await respond(router, .GET, "/s/").status == .notFound)
        #expect(await respond(router, .GET, "/s/x/y").status == .notFound)
        #expect(await respond(router, .GET, "/s/%zz").status == .notFound)
    }

    @Test func headFallsBackToGet() async throws {
        var router = Router<TestContext>()
        try router.add(.GET, "/a", .inline { _, _ in .text("x") })
        #expect(await respond(router, .HEAD, "/a").status == .ok)
    }

    @Test func anErrorNoMiddlewareRendersBecomesABare500() async throws {
        struct Secret: Error {}
        var router = Router<TestContext>()
        try router.add(.GET, "/a", .inline { _, _ in throw Secret() })
        let response = await respond(router, .GET, "/a")
        #expect(response.status == .internalServerError)
        #expect(response.body.isEmpty)
    }

    @Test func aRouteThatMustAnswerInlineIsRefusedWhenAStepWaits() throws {
        var router = Router<TestContext>(middleware: [Tag(name: "limiter", execution: .waits)])
        #expect(throws: RouterError.self) {
            try router.add(.GET, "/health", requiring: .inline, .inline { _, _ in HTTPResponse() })
        }
        var routeOnly = Router<TestContext>()
        #expect(throws: RouterError.self) {
            try routeOnly.add(.GET, "/health", middleware: [Tag(name: "database", execution: .waits)], requiring: .inline,
                              .inline { _, _ in HTTPResponse() })
        }
        #expect(throws: RouterError.self) {
            try routeOnly.add(.GET, "/metrics", requiring: .inline, .waits { _, _ in HTTPResponse() })
        }
    }

    @Test func aRouteTakesTheExecutionOfItsMostWaitingStep() throws {
        var router = Router<TestContext>(middleware: [Tag(name: "log")])
        try router.add(.GET, "/live", requiring: .inline, .inline { _, _ in HTTPResponse() })
        try router.add(.GET, "/token", middleware: [Tag(name: "limiter", execution: .waits)], .inline { _, _ in HTTPResponse() })
        try router.add(.GET, "/me", .waits { _, _ in HTTPResponse() })
        #expect(router.routes.map(\.execution) == [.inline, .waits, .waits])
        #expect(throws: RouterError.self) { try router.add(.GET, "/me", .waits { _, _ in HTTPResponse() }) }
    }
}
