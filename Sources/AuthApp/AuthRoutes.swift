import AuthCrypto
import FoundationEssentials
import HTTPServer
import Logging
import PostgresClient
import Reactor

/// Every route of the server, with the chain each one runs through, in one table. The
/// router's own middleware wraps everything (also 404s and the server's failures); `/api`
/// routes add the request limiter; protected routes add authentication.
struct AuthRoutes {
    let router: Router<AppContext>

    init(configuration: AppConfiguration, database: PostgresDatabase, bcryptPool: BlockingPool, providerPool: BlockingPool,
         health: DatabaseHealthMonitor,
         metrics: ServerMetrics, mailSender: MailSender, logger: Logger) throws {
        let jwt = try configuration.accessTokenJWT()
        let tokens = TokenIssuer(jwt: jwt, serverSecret: configuration.serverSecret, accessTokenTTL: configuration.accessTokenTTL)
        let users = UserRepository()
        let audit = AuditTrail()
        let sessions = SessionRepository(refreshTokenTTL: configuration.refreshTokenTTL, sessionMaxLifetime: configuration.sessionMaxLifetime)
        let hasher = PasswordHasher(pool: bcryptPool, cost: configuration.bcryptCost)
        let cookie = RefreshCookie(secure: configuration.cookieSecure, sameSite: configuration.cookieSameSite,
                                   domain: configuration.cookieDomain, maxAge: configuration.refreshTokenTTL)
        let limiterStore: any RateLimitStore = configuration.rateLimitStore == .postgres
            ? PostgresRateLimitStore(database: database) : MemoryRateLimitStore()
        let throttle = LoginThrottle(store: limiterStore, window: configuration.rateLimitWindow,
                                     maxFailuresPerClient: configuration.loginMaxFailures, maxFailuresPerAccount: configuration.accountMaxFailures)

        let emailTokens = EmailTokenRepository()
        let mail = AccountMail(tokens: emailTokens, outbox: OutboxRepository(), settings: configuration.email, appURL: configuration.appURL,
                               sender: mailSender)
        let mailLimiter = MailRequestLimiter(store: limiterStore, window: configuration.rateLimitWindow,
                                             maxPerClient: configuration.email.maxRequestsPerClient,
                                             maxPerAddress: configuration.email.maxRequestsPerAddress)
        let requireVerification = configuration.email.requireVerification

        let accounts = AccountController(database: database, users: users, sessions: sessions, hasher: hasher, tokens: tokens,
                                         throttle: throttle, cookie: cookie,
                                         deviceCookie: DeviceCookie(serverSecret: configuration.serverSecret, secure: configuration.cookieSecure), audit: audit,
                                         mail: mail, requireVerification: requireVerification)
        let refresh = RefreshController(database: database, users: users, sessions: sessions,
                                        rotation: RefreshRotation(sessions: sessions, tokens: tokens, reuseInterval: configuration.refreshReuseInterval),
                                        tokens: tokens, cookie: cookie, audit: audit, requireVerification: requireVerification)
        let passwordReset = PasswordResetController(database: database, users: users, sessions: sessions, tokens: emailTokens, mail: mail,
                                                    hasher: hasher, limiter: mailLimiter, throttle: throttle, audit: audit)
        let emailAddress = EmailAddressController(database: database, users: users, sessions: sessions, tokens: emailTokens, mail: mail,
                                                  hasher: hasher, limiter: mailLimiter, throttle: throttle, issuer: tokens, audit: audit)
        let sessionList = SessionController(database: database, users: users, sessions: sessions, audit: audit)
        let profile = ProfileController(database: database, users: users, sessions: sessions, hasher: hasher, throttle: throttle, audit: audit)
        let tokenInfo = TokenInfoController(tokens: tokens, secret: configuration.jwtSecret, refreshTokenTTL: configuration.refreshTokenTTL)
        let jwks = JWKSController(keys: jwt.publicKeys)
        let uploads = UploadController(database: database, users: users, limit: configuration.uploadLimit)
        let identities = IdentityRepository()
        let oauth = try OAuthController(configuration: configuration, pool: providerPool, database: database, users: users,
                                        identities: identities, sessions: sessions, tokens: tokens, cookie: cookie, audit: audit)
        let identityList = IdentityController(database: database, users: users, identities: identities, audit: audit)
        let healthChecks = HealthController(database: health)
        let docs = DocsController()
        let metricsPage = MetricsController(metrics: metrics, token: configuration.metricsToken)
        // Administration and self-service (API.md, "Your own account" and "Administration").
        let auditLog = AuditRepository()
        let deletion = AccountDeletion(users: users, auditLog: auditLog, audit: audit, limiter: limiterStore)
        let administration = AccountAdministration(database: database, users: users, sessions: sessions, audit: audit, deletion: deletion)
        let adminUsers = AdminUserController(database: database, users: users, sessions: sessions, identities: identities,
                                             administration: administration)
        let adminAudit = AdminAuditController(database: database, auditLog: auditLog)
        let ownAccount = OwnAccountController(database: database, users: users, sessions: sessions, identities: identities, auditLog: auditLog,
                                              audit: audit, passwords: PasswordConfirmation(users: users, hasher: hasher, throttle: throttle),
                                              deletion: deletion, cookie: cookie)

        let api: [any Middleware<AppContext>] = [
            RateLimitMiddleware(store: limiterStore, window: configuration.rateLimitWindow, limit: configuration.rateLimitMax),
        ]
        let authenticated = api + [AuthenticateMiddleware(tokens: tokens)]
        let adminOnly = authenticated + [AdminOnlyMiddleware(database: database, users: users)]
        let cookieCarrying = api + [OriginCheckMiddleware(trustedOrigins: configuration.trustedOrigins)]

        var router = Router<AppContext>(middleware: [
            RequestLogMiddleware(logger: logger),
            MetricsMiddleware(metrics: metrics),
            SecurityHeadersMiddleware(isProduction: configuration.isProduction),
            CORSMiddleware(allowedOrigins: configuration.corsOrigins),
            ErrorMiddleware(),
            ClientIPMiddleware(trustedProxies: TrustedProxies(configuration.trustProxy)),
        ])
        // For load balancers and operators: must answer whatever the database or bcrypt are doing.
        try router.add(.GET, "/health/live", requiring: .inline, .inline(healthChecks.live))
        try router.add(.GET, "/health", requiring: .inline, .inline(healthChecks.health))
        try router.add(.GET, "/metrics", requiring: .inline, .inline(metricsPage.render))
        try router.add(.GET, "/", requiring: .inline, .inline(docs.index))
        try router.add(.GET, "/openapi.json", requiring: .inline, .inline(docs.openAPI))
        // Public and cacheable, fetched by partners' verifiers: outside the /api limiter, like the docs.
        try router.add(.GET, "/.well-known/jwks.json", requiring: .inline, .inline(jwks.keySet))

        try router.add(.POST, "/api/auth/register", middleware: api, .waits(accounts.register))
        try router.add(.POST, "/api/auth/login", middleware: api, .waits(accounts.login))
        try router.add(.POST, "/api/auth/refresh", middleware: cookieCarrying, .waits(refresh.refresh))
        try router.add(.POST, "/api/auth/logout", middleware: cookieCarrying, .waits(refresh.logout))
        try router.add(.GET, "/api/auth/me", middleware: authenticated, .waits(profile.me))
        try router.add(.GET, "/api/auth/profile", middleware: authenticated, .waits(profile.me))
        try router.add(.POST, "/api/auth/change-password", middleware: authenticated, .waits(profile.changePassword))
        try router.add(.GET, "/api/auth/sessions", middleware: authenticated, .waits(sessionList.list))
        try router.add(.DELETE, "/api/auth/sessions/:id", middleware: authenticated, .waits(sessionList.revoke))
        // Token-only: inline unless the request limiter waits for a shared store.
        try router.add(.GET, "/api/auth/verify-token", middleware: api, .inline(tokenInfo.verify))
        try router.add(.POST, "/api/auth/verify-token", middleware: api, .inline(tokenInfo.verify))
        try router.add(.GET, "/api/auth/jwt-info", middleware: api, .inline(tokenInfo.info))
        try router.add(.GET, "/api/auth/user-uploads", middleware: authenticated, .waits(uploads.usage))
        try router.add(.POST, "/api/auth/increment-upload", middleware: authenticated, .waits(uploads.increment))
        try router.add(.GET, "/api/auth/upload-stats", middleware: authenticated, .waits(uploads.statistics))
        // Mail: recovery and addresses (API.md, "Email: verification and password reset").
        try router.add(.POST, "/api/auth/forgot-password", middleware: api, .waits(passwordReset.forgotPassword))
        try router.add(.POST, "/api/auth/reset-password", middleware: api, .waits(passwordReset.resetPassword))
        try router.add(.POST, "/api/auth/verify-email", middleware: api, .waits(emailAddress.verifyEmail))
        try router.add(.POST, "/api/auth/resend-verification", middleware: authenticated, .waits(emailAddress.resendVerification))
        try router.add(.POST, "/api/auth/change-email", middleware: authenticated, .waits(emailAddress.changeEmail))
        try router.add(.POST, "/api/auth/confirm-email", middleware: api, .waits(emailAddress.confirmEmail))
        // Your own account and administration (API.md, "Your own account", "Administration").
        try router.add(.PATCH, "/api/auth/me", middleware: authenticated, .waits(ownAccount.updateProfile))
        try router.add(.GET, "/api/auth/me/export", middleware: authenticated, .waits(ownAccount.export))
        try router.add(.DELETE, "/api/auth/me", middleware: authenticated, .waits(ownAccount.delete))
        try router.add(.GET, "/api/admin/users", middleware: adminOnly, .waits(adminUsers.list))
        try router.add(.GET, "/api/admin/users/:id", middleware: adminOnly, .waits(adminUsers.show))
        try router.add(.PATCH, "/api/admin/users/:id", middleware: adminOnly, .waits(adminUsers.update))
        try router.add(.POST, "/api/admin/users/:id/revoke-sessions", middleware: adminOnly, .waits(adminUsers.revokeSessions))
        try router.add(.DELETE, "/api/admin/users/:id", middleware: adminOnly, .waits(adminUsers.delete))
        try router.add(.GET, "/api/admin/audit", middleware: adminOnly, .waits(adminAudit.list))
        // Sign in with a provider (API.md, "Sign in with a provider (OpenID Connect)").
        try router.add(.GET, "/api/auth/oauth/:provider", middleware: api, .waits(oauth.start))
        try router.add(.GET, "/api/auth/oauth/:provider/callback", middleware: api, .waits(oauth.callback))
        try router.add(.POST, "/api/auth/oauth/:provider/callback", middleware: cookieCarrying, .waits(oauth.callbackJSON))
        try router.add(.GET, "/api/auth/identities", middleware: authenticated, .waits(identityList.list))
        try router.add(.DELETE, "/api/auth/identities/:provider", middleware: authenticated, .waits(identityList.unlink))
        self.router = router
    }
}
