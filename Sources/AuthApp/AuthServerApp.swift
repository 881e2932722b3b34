import AuthCrypto
import FoundationEssentials
import HTTPServer
import Logging
import Outbound
import PostgresClient
import Reactor
import Synchronization

/// The composition root: builds the loops, pools, repositories, controllers and routes from the
/// configuration, and runs the HTTP server over them.
public final class AuthServerApp: Sendable {
    public let configuration: AppConfiguration
    public let database: PostgresDatabase
    /// Answers requests without sockets: what the in-process tests drive.
    public let responder: any HTTPResponder
    let logger: Logger
    private let group: EventLoopGroup
    private let bcryptPool: BlockingPool
    private let health: DatabaseHealthMonitor
    private let mailPool: BlockingPool
    private let providerPool: BlockingPool
    private let mailSender: MailSender
    private let auditRetention: AuditRetention
    private let server: HTTPServer
    private let stopped = Atomic<Bool>(false)

    public init(configuration: AppConfiguration, logger: Logger) throws {
        var configuration = configuration
        if configuration.jwtSigningKeyIsEphemeral, let algorithm = configuration.jwtSigningAlgorithm {
            configuration.jwtSigningKey = PrivateSigningKey.generate(algorithm)
            logger.warning("JWT_PRIVATE_KEY_FILE is not set: signing with a random \(algorithm.rawValue) key for this process only; tokens will not survive a restart or verify elsewhere (authserver keys generate makes a key file)")
        } else if configuration.jwtSecretIsEphemeral {
            configuration.jwtSecret = SecureRandom.bytes(count: 48)
            logger.warning("JWT_ACCESS_SECRET is not set: using a random secret for this process only; tokens will not survive a restart or verify elsewhere")
        } else if configuration.jwtSigningAlgorithm == nil && configuration.jwtSecret.count < 32 {
            logger.warning("JWT_ACCESS_SECRET is shorter than 32 bytes; production would refuse it")
        }
        if let key = configuration.jwtSigningKey {
            // For operators mid-rotation: which key signs, and which older ones still verify.
            logger.info("access tokens signed with \(key.algorithm.rawValue)", metadata: [
                "kid": "\(key.publicKey.keyID)", "verifyKids": "\(configuration.jwtVerificationKeys.map(\.keyID).joined(separator: ","))",
            ])
        }
        if configuration.serverSecretIsEphemeral {
            configuration.serverSecret = SecureRandom.bytes(count: 48)
            logger.warning("SERVER_SECRET is not set: using a random one for this process only; refresh-token grace windows and device cookies will not survive a restart or work across instances")
        }
        self.configuration = configuration
        self.logger = logger
        let limits = ExecutionLimits()
        group = try EventLoopGroup(name: "event-loop", count: limits.eventLoops)
        database = try PostgresDatabase(
            url: configuration.databaseURL ?? "", group: group, size: configuration.databasePoolSize,
            settings: PostgresConnectionSettings(connectTimeout: limits.databaseConnectTimeout, statementTimeout: limits.databaseStatementTimeout),
            acquireTimeout: limits.databaseAcquireTimeout, logger: logger
        )
        bcryptPool = BlockingPool(name: "bcrypt", threads: limits.bcryptThreads, queueLimit: limits.bcryptQueue,
                                  niceness: limits.bcryptNiceness)
        health = DatabaseHealthMonitor(database: database, loop: group.loops[0], logger: logger)
        let metrics = ServerMetrics()
        mailPool = BlockingPool(name: "mail", threads: limits.mailThreads, queueLimit: 0)
        mailSender = MailSender(database: database, delivery: try Self.mailDelivery(configuration, logger: logger), pool: mailPool,
                                loop: group.loops[0], settings: configuration.email, appURL: configuration.appURL, metrics: metrics,
                                logger: logger)
        auditRetention = AuditRetention(database: database, retention: configuration.auditRetention, loop: group.loops[0], logger: logger)
        providerPool = BlockingPool(name: "oidc", threads: limits.providerThreads, queueLimit: limits.providerQueue)
        let router = try AuthRoutes(configuration: configuration, database: database, bcryptPool: bcryptPool, providerPool: providerPool,
                                    health: health, metrics: metrics, mailSender: mailSender, logger: logger).router
        responder = router
        server = HTTPServer(configuration: configuration.serverConfiguration, responder: router, group: group, logger: logger)
        metrics.setSnapshot { [database, bcryptPool, server] in
            let pool = database.stats
            return ServerMetrics.Snapshot(
                openConnections: server.openConnections,
                databaseConnectionsOpen: pool.open, databaseConnectionsInUse: pool.inUse, databaseWaiters: pool.waiting,
                bcryptQueueDepth: bcryptPool.queueDepth, bcryptBusy: bcryptPool.busy
            )
        }
    }

    /// Applies pending migrations from `MIGRATIONS_DIR`.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await Migrator(directory: configuration.migrationsDirectory, logger: logger).migrate(database)
    }

    /// Binds and starts serving; returns once the server listens.
    public func start() async throws {
        if configuration.autoMigrate {
            try await migrate()
        }
        await health.start()
        mailSender.start()
        auditRetention.start()
        try server.start()
    }

    /// SMTP when `SMTP_URL` is set; otherwise the log in development and test, and nothing at
    /// all in production (a link in the log would hand the account to whoever reads it).
    private static func mailDelivery(_ configuration: AppConfiguration, logger: Logger) throws -> (any MailDelivery)? {
        if let transport = try configuration.email.transport(extraCAFile: configuration.extraCAFile) {
            logger.info("mail: delivering through \(transport)")
            return SMTPMailDelivery(transport: transport, from: configuration.email.from)
        }
        guard !configuration.isProduction else {
            logger.warning("SMTP_URL is not set: no mail is sent (verification, password reset, email change); it stays queued in email_outbox until an instance with SMTP_URL delivers it")
            return nil
        }
        logger.notice("SMTP_URL is not set: mail is written to the log, links included, instead of sent")
        return LoggedMailDelivery(logger: logger)
    }

    /// The bound port (useful with `PORT=0`).
    public var port: Int { server.port }

    /// Graceful stop within `SHUTDOWN_TIMEOUT`: stops accepting, lets requests in flight finish,
    /// closes the database, and returns once every thread has been joined. Blocks the caller;
    /// callable once, from any thread that is not one of the server's own.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        server.shutdown(timeout: configuration.shutdownTimeout)
        // Before the database closes: a delivery in progress records its outcome.
        mailSender.stop()
        mailPool.shutdown()
        auditRetention.stop()
        health.stop()
        let closed = Monitor(false)
        Task(executorPreference: group.loops[0]) { [database] in
            await database.shutdown()
            closed.withLock { $0 = true }
            closed.broadcast()
        }
        closed.withLock(when: { $0 }) { _ in }
        bcryptPool.shutdown()
        providerPool.shutdown()
        group.shutdown()
    }

    /// Answers `request` as the server would a client at `address`, without a socket: as a
    /// task on an event loop, through the same router and middleware.
    public func respond(to request: HTTPRequest, from address: IPAddress) async -> HTTPResponse {
        let loop = group.next()
        let connection = ConnectionInfo(remoteAddress: address, remoteHost: address.description, loop: loop, receivedAt: MonotonicClock.now())
        let responder = self.responder
        return await Task(executorPreference: loop) { await responder.respond(to: request, connection: connection) }.value
    }

    /// Creates the account with the ADMIN role, or promotes an existing one (revoking its
    /// sessions, so no token minted before the promotion carries on). Answers the user id.
    public func createAdmin(email rawEmail: String, password: String) async throws -> String {
        let email = EmailAddress.normalize(rawEmail)
        if let problem = EmailAddress.problem(with: email) { throw ConfigurationError(problems: ["--email \(problem)"]) }
        if let problem = PasswordPolicy.problem(with: password) { throw ConfigurationError(problems: ["the password \(problem)"]) }
        let hash = try await PasswordHasher(pool: bcryptPool, cost: configuration.bcryptCost).hash(password)
        let users = UserRepository()
        let sessions = SessionRepository(refreshTokenTTL: configuration.refreshTokenTTL, sessionMaxLifetime: configuration.sessionMaxLifetime)
        let origin = AuditTrail.Origin.shell(logger)
        let user = try await database.transaction { transaction in
            let (user, existed) = try await users.upsertAdmin(email: email, passwordHash: hash, on: transaction)
            let revoked = existed ? try await sessions.revokeAll(userID: user.id, reason: "promoted_to_admin", on: transaction) : 0
            try await AuditTrail().record(AuditEvent(.adminPromoted, user: user.id, details: [
                ("existed", String(existed)), ("revokedSessions", String(revoked)),
            ]), from: origin, on: transaction)
            return user
        }
        return user.id.lowercasedText
    }
}
