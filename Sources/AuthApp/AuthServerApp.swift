import AuthCrypto
import Foundation
import HTTPServer
import Logging
import PostgresClient

/// The composition root: builds the pools, repositories, controllers and routes from the
/// configuration, and runs the HTTP server over them.
public final class AuthServerApp: @unchecked Sendable {
    public let configuration: AppConfiguration
    public let database: PostgresPool
    private let logger: Logger
    private let limits: ExecutionLimits
    private let requestWorkers: WorkerPool
    private let bcryptWorkers: WorkerPool
    private let health: DatabaseHealthMonitor
    private let metrics = ServerMetrics()
    private var server: HTTPServer?

    public init(configuration: AppConfiguration, logger: Logger) {
        var configuration = configuration
        if configuration.jwtSecretIsEphemeral {
            configuration.jwtSecret = SecureRandom.bytes(count: 48)
            logger.warning("JWT_ACCESS_SECRET is not set: using a random secret for this process only; tokens will not survive a restart or verify elsewhere")
        } else if configuration.jwtSecret.count < 32 {
            logger.warning("JWT_ACCESS_SECRET is shorter than 32 bytes; production would refuse it")
        }
        self.configuration = configuration
        self.logger = logger
        limits = ExecutionLimits(databasePoolSize: configuration.databasePoolSize)
        database = PostgresPool(
            url: configuration.databaseURL ?? "",
            size: configuration.databasePoolSize,
            connectTimeout: 5,
            statementTimeout: 5,
            acquireTimeout: limits.databaseAcquireTimeout,
            logger: logger
        )
        requestWorkers = WorkerPool(name: "request", threads: limits.requestThreads, queueLimit: limits.requestQueue)
        bcryptWorkers = WorkerPool(name: "bcrypt", threads: limits.bcryptThreads, queueLimit: limits.bcryptQueue)
        health = DatabaseHealthMonitor(pool: database, logger: logger)
    }

    /// Applies pending migrations from `MIGRATIONS_DIR`.
    @discardableResult
    public func migrate() throws -> [String] {
        try Migrator(directory: configuration.migrationsDirectory, logger: logger).migrate(database)
    }

    /// Binds and starts serving; returns at once.
    public func start() throws {
        if configuration.autoMigrate {
            try migrate()
        }
        health.start()
        let server = HTTPServer(configuration: configuration.serverConfiguration, application: makeApplication(),
                                workers: requestWorkers, logger: logger)
        try server.start()
        self.server = server
    }

    /// The bound port (useful with `PORT=0`).
    public var port: Int { server?.port ?? configuration.port }

    /// Graceful stop within `SHUTDOWN_TIMEOUT`.
    public func shutdown() {
        server?.shutdown(timeout: configuration.shutdownTimeout)
        health.stop()
        requestWorkers.shutdown()
        bcryptWorkers.shutdown()
        database.shutdown()
    }

    /// Creates the account, or promotes it, with the ADMIN role.
    public func createAdmin(email rawEmail: String, password: String) throws -> String {
        let email = EmailAddress.normalize(rawEmail)
        if let problem = EmailAddress.problem(with: email) { throw ConfigurationError(problems: ["--email \(problem)"]) }
        if let problem = PasswordPolicy.problem(with: password) { throw ConfigurationError(problems: ["--password \(problem)"]) }
        let hash = BCrypt.hash(password: Array(password.utf8), cost: configuration.bcryptCost)
        let user = try database.withConnection { try UserRepository().upsertAdmin(email: email, passwordHash: hash, on: $0) }
        return user.id.lowercasedString
    }

    private var metricsSnapshot: ServerMetrics.Snapshot {
        let pool = database.stats
        return ServerMetrics.Snapshot(
            openConnections: server?.openConnections ?? 0,
            databaseConnectionsOpen: pool.open, databaseConnectionsInUse: pool.inUse, databaseWaiters: pool.waiting,
            requestQueueDepth: requestWorkers.queueDepth, bcryptQueueDepth: bcryptWorkers.queueDepth, bcryptBusy: bcryptWorkers.busy
        )
    }

    private func makeApplication() -> HTTPApplication {
        let configuration = self.configuration
        let tokens = TokenIssuer(secret: configuration.jwtSecret, issuer: configuration.jwtIssuer, audience: configuration.jwtAudience,
                                 leeway: configuration.jwtLeeway, accessTokenTTL: configuration.accessTokenTTL)
        let users = UserRepository()
        let sessions = SessionRepository(refreshTokenTTL: configuration.refreshTokenTTL, sessionMaxLifetime: configuration.sessionMaxLifetime)
        let hasher = PasswordHasher(pool: bcryptWorkers, cost: configuration.bcryptCost)
        let cookie = RefreshCookie(secure: configuration.cookieSecure, sameSite: configuration.cookieSameSite,
                                   domain: configuration.cookieDomain, maxAge: configuration.refreshTokenTTL)
        let rateLimits: any RateLimitStore = configuration.rateLimitStore == .postgres
            ? PostgresRateLimitStore(pool: database) : MemoryRateLimitStore()
        let throttle = LoginThrottle(store: rateLimits, window: configuration.rateLimitWindow,
                                     maxFailuresPerIP: configuration.loginMaxFailures, maxFailuresPerAccount: configuration.accountMaxFailures)

        let accounts = AccountController(database: database, users: users, sessions: sessions, hasher: hasher, tokens: tokens,
                                         throttle: throttle, cookie: cookie)
        let refresh = RefreshController(database: database, users: users, sessions: sessions,
                                        rotation: RefreshRotation(sessions: sessions, tokens: tokens, reuseInterval: configuration.refreshReuseInterval),
                                        tokens: tokens, cookie: cookie)
        let sessionController = SessionController(database: database, users: users, sessions: sessions)
        let profile = ProfileController(database: database, users: users, sessions: sessions, hasher: hasher)
        let tokenInfo = TokenInfoController(tokens: tokens, secret: configuration.jwtSecret, refreshTokenTTL: configuration.refreshTokenTTL)
        let uploads = UploadController(database: database, users: users, limit: configuration.uploadLimit)
        let healthController = HealthController(database: health)
        let docs = DocsController()
        let authenticate: [any Middleware] = [AuthenticateMiddleware(tokens: tokens)]
        // A shared rate-limit store is a database call: then no /api route may run on an event loop.
        let tokenOnly: Router.Execution = configuration.rateLimitStore == .postgres ? .worker : .eventLoop

        var router = Router()
        router.add(.GET, "/health/live", execution: .eventLoop, handler: healthController.live)
        router.add(.GET, "/health", execution: .eventLoop, handler: healthController.health)
        router.add(.GET, "/", execution: .eventLoop, handler: docs.index)
        router.add(.GET, "/openapi.json", execution: .eventLoop, handler: docs.openAPI)
        router.add(.GET, "/metrics", execution: .eventLoop) { [unowned self] _, _ in
            var response = HTTPResponse(body: metrics.render(metricsSnapshot))
            response.headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
        router.add(.POST, "/api/auth/register", handler: accounts.register)
        router.add(.POST, "/api/auth/login", handler: accounts.login)
        router.add(.POST, "/api/auth/refresh", handler: refresh.refresh)
        router.add(.POST, "/api/auth/logout", handler: refresh.logout)
        router.add(.GET, "/api/auth/me", middleware: authenticate, handler: profile.me)
        router.add(.GET, "/api/auth/profile", middleware: authenticate, handler: profile.me)
        router.add(.POST, "/api/auth/change-password", middleware: authenticate, handler: profile.changePassword)
        router.add(.GET, "/api/auth/sessions", middleware: authenticate, handler: sessionController.list)
        router.add(.DELETE, "/api/auth/sessions/:id", middleware: authenticate, handler: sessionController.revoke)
        router.add(.GET, "/api/auth/verify-token", execution: tokenOnly, handler: tokenInfo.verify)
        router.add(.POST, "/api/auth/verify-token", execution: tokenOnly, handler: tokenInfo.verify)
        router.add(.GET, "/api/auth/jwt-info", execution: tokenOnly, handler: tokenInfo.info)
        router.add(.GET, "/api/auth/user-uploads", middleware: authenticate, handler: uploads.usage)
        router.add(.POST, "/api/auth/increment-upload", middleware: authenticate, handler: uploads.increment)
        router.add(.GET, "/api/auth/upload-stats", middleware: authenticate, handler: uploads.statistics)

        return HTTPApplication(router: router, middleware: [
            RequestLogMiddleware(logger: logger),
            MetricsMiddleware(metrics: metrics),
            SecurityHeadersMiddleware(isProduction: configuration.isProduction),
            CORSMiddleware(allowedOrigins: Set(configuration.corsOrigins)),
            ErrorMiddleware(),
            ClientIPMiddleware(trustedProxies: TrustedProxies(configuration.trustProxy)),
            RateLimitMiddleware(store: rateLimits, window: configuration.rateLimitWindow, limit: configuration.rateLimitMax),
            CookieMiddleware(),
            JSONBodyMiddleware(),
        ])
    }
}
