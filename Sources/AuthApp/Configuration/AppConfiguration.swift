import AuthCrypto
import FoundationEssentials
import HTTPServer

/// Every setting of the server, typed and validated. The names are the environment variables of
/// the README's configuration table.
public struct AppConfiguration: Sendable {
    public enum Environment: String, Sendable {
        case development, test, production
    }

    public enum LogFormat: String, Sendable {
        case text, json
    }

    public enum RateLimitStore: String, Sendable {
        case memory, postgres
    }

    public enum SameSite: String, Sendable, CaseIterable {
        case strict = "Strict", lax = "Lax", none = "None"
    }

    public var host = "0.0.0.0"
    public var port = 8080
    public var environment = Environment.development
    public var databaseURL: String?
    public var databasePoolSize = 10
    public var autoMigrate = true
    public var migrationsDirectory = "Migrations"

    /// The HS256 key, shared with partner services that verify tokens; empty under an asymmetric algorithm.
    public var jwtSecret: [UInt8] = []
    public var jwtSecretIsEphemeral = false
    /// `JWT_ALGORITHM`: nil for HS256 (the shared secret), else the private key's algorithm.
    public var jwtSigningAlgorithm: SignatureAlgorithm?
    /// `JWT_PRIVATE_KEY_FILE`; outside production, when unset under an asymmetric algorithm, one is generated per process.
    public var jwtSigningKey: PrivateSigningKey?
    public var jwtSigningKeyIsEphemeral = false
    /// `JWT_VERIFY_KEY_FILES`: earlier keys whose tokens still verify during a rotation.
    public var jwtVerificationKeys: [PublicSigningKey] = []
    /// The key that never leaves the server: refresh successors, device cookies, OAuth state.
    public var serverSecret: [UInt8] = []
    public var serverSecretIsEphemeral = false
    public var jwtIssuer: String?
    public var jwtAudience: String?
    public var accessTokenTTL = 900
    public var refreshTokenTTL = 7 * 86400
    public var sessionMaxLifetime = 30 * 86400
    public var refreshReuseInterval = 10
    public var jwtLeeway = 30
    public var bcryptCost = 12

    public var corsOrigins = ["http://localhost:3000"]
    /// This server's external base URL: its own origin is allowed to post to refresh and logout.
    public var publicURL = "http://localhost:8080"
    /// The frontend's base URL, for links in mail and the OAuth redirect.
    public var appURL = "http://localhost:3000"
    public var cookieSecure = false
    public var cookieSameSite = SameSite.strict
    public var cookieDomain: String?
    /// A PEM file of CAs trusted beside the system's, for SMTP and OpenID providers.
    public var extraCAFile: String?
    /// Mail delivery, and the flows that send mail (reset, verification, email change).
    public var email = EmailSettings()
    /// Sign in with a provider (OpenID Connect).
    public var oidc = OIDCSettings()

    public var uploadLimit = 10
    public var rateLimitWindow = 900
    public var rateLimitMax = 100
    public var loginMaxFailures = 5
    public var accountMaxFailures = 20
    public var rateLimitStore = RateLimitStore.memory
    public var trustProxy: [String] = []

    public var maxBodyBytes = 1 << 20
    public var maxConnections = 10_000
    public var maxConnectionsPerIP = 256
    public var headerTimeout: Double = 10
    public var idleTimeout: Double = 60
    public var shutdownTimeout: Double = 15
    /// When set, `/metrics` requires `Authorization: Bearer <METRICS_TOKEN>`.
    public var metricsToken: String?
    /// How long audit rows are kept, in seconds (`AUDIT_RETENTION`).
    public var auditRetention = 90 * 86400

    public var logLevel = "info"
    public var logFormat = LogFormat.text

    public var isProduction: Bool { environment == .production }

    /// Reads and validates every setting; `value(NAME)` answers a variable's raw text or nil.
    /// Throws one error listing every problem.
    public init(values value: @escaping (String) -> String?) throws {
        var settings = SettingsReader(value)
        host = settings.read("HOST", "an IP address such as 0.0.0.0 or ::") { IPAddress($0) != nil ? $0 : nil } ?? host
        port = settings.integer("PORT", in: 0...65535, default: port)
        environment = settings.read("APP_ENV", "development, test or production") { Environment(rawValue: $0.lowercased()) } ?? environment
        databaseURL = settings.raw("DATABASE_URL")
        databasePoolSize = settings.integer("DB_POOL_SIZE", in: 1...500, default: databasePoolSize)
        autoMigrate = settings.bool("AUTO_MIGRATE", default: autoMigrate)
        migrationsDirectory = settings.raw("MIGRATIONS_DIR") ?? migrationsDirectory

        readSigningKeys(&settings)
        readSecrets(&settings)
        jwtIssuer = settings.raw("JWT_ISSUER")
        jwtAudience = settings.raw("JWT_AUDIENCE")
        accessTokenTTL = settings.seconds("ACCESS_TOKEN_TTL", default: accessTokenTTL)
        refreshTokenTTL = settings.seconds("REFRESH_TOKEN_TTL", default: refreshTokenTTL)
        sessionMaxLifetime = settings.seconds("SESSION_MAX_LIFETIME", default: sessionMaxLifetime)
        refreshReuseInterval = settings.seconds("REFRESH_REUSE_INTERVAL", default: refreshReuseInterval, allowingZero: true)
        jwtLeeway = settings.seconds("JWT_LEEWAY", default: jwtLeeway, allowingZero: true, maximum: 300)
        bcryptCost = settings.integer("BCRYPT_COST", in: 4...31, default: bcryptCost)
        if isProduction && bcryptCost < 10 {
            settings.problem("BCRYPT_COST=\(bcryptCost) is too cheap for production; use 10 or more (12 is about 250 ms per hash)")
        }

        readBrowserSettings(&settings)
        readEmailSettings(&settings)
        readOIDCSettings(&settings)

        uploadLimit = settings.integer("UPLOAD_LIMIT", in: 0...1_000_000_000, default: uploadLimit)
        rateLimitWindow = settings.seconds("RATE_LIMIT_WINDOW", default: rateLimitWindow)
        rateLimitMax = settings.integer("RATE_LIMIT_MAX", in: 1...Int(Int32.max), default: rateLimitMax)
        loginMaxFailures = settings.integer("LOGIN_MAX_FAILURES", in: 1...Int(Int32.max), default: loginMaxFailures)
        accountMaxFailures = settings.integer("ACCOUNT_MAX_FAILURES", in: 1...Int(Int32.max), default: accountMaxFailures)
        rateLimitStore = settings.read("RATE_LIMIT_STORE", "memory or postgres") { RateLimitStore(rawValue: $0.lowercased()) } ?? rateLimitStore
        trustProxy = settings.read("TRUST_PROXY", "comma-separated IPs or CIDR blocks, or loopback") { text in
            let entries = SettingParsers.list(text)
            return entries.allSatisfy(TrustedProxies.isValidEntry) ? entries : nil
        } ?? trustProxy

        maxBodyBytes = settings.read("MAX_BODY_BYTES", "a size such as 1MB or 65536") { SettingParsers.size($0).flatMap { $0 > 0 ? $0 : nil } } ?? maxBodyBytes
        maxConnections = settings.integer("MAX_CONNECTIONS", in: 1...1_000_000, default: maxConnections)
        maxConnectionsPerIP = settings.integer("MAX_CONNECTIONS_PER_IP", in: 1...1_000_000, default: maxConnectionsPerIP)
        headerTimeout = settings.interval("HEADER_TIMEOUT", default: headerTimeout)
        idleTimeout = settings.interval("IDLE_TIMEOUT", default: idleTimeout)
        shutdownTimeout = settings.interval("SHUTDOWN_TIMEOUT", default: shutdownTimeout, allowingZero: true)
        metricsToken = settings.raw("METRICS_TOKEN")
        auditRetention = settings.seconds("AUDIT_RETENTION", default: auditRetention)

        logLevel = settings.read("LOG_LEVEL", "trace, debug, info, notice, warning, error or critical") { text in
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(text.lowercased()) ? text.lowercased() : nil
        } ?? logLevel
        logFormat = settings.read("LOG_FORMAT", "text or json") { LogFormat(rawValue: $0.lowercased()) }
            ?? (environment == .development ? .text : .json)

        if refreshTokenTTL > sessionMaxLifetime {
            settings.problem("REFRESH_TOKEN_TTL (\(refreshTokenTTL)s) exceeds SESSION_MAX_LIFETIME (\(sessionMaxLifetime)s); lower the first or raise the second")
        }
        guard settings.problems.isEmpty else { throw ConfigurationError(problems: settings.problems) }
    }

    /// The two keys: outside production a missing one is generated for this process (with a
    /// warning at start); production refuses to start without both.
    private mutating func readSecrets(_ settings: inout SettingsReader) {
        let generate = "generate one with: openssl rand -base64 48"
        func secret(_ name: String, _ purpose: String) -> [UInt8]? {
            guard let text = settings.raw(name) else {
                if isProduction { settings.problem("\(name) is not set; production refuses to start without one (\(purpose); \(generate))") }
                return nil
            }
            let bytes = Array(text.utf8)
            if bytes.count < 32 && isProduction {
                settings.problem("\(name) is \(bytes.count) bytes; production needs at least 32 (\(generate))")
            }
            return bytes
        }
        if jwtSigningAlgorithm != nil {
            // Nothing is signed with a shared secret: partners verify with the public keys.
        } else if let jwtSecret = secret("JWT_ACCESS_SECRET", "the HS256 key partner services share") {
            self.jwtSecret = jwtSecret
        } else {
            jwtSecretIsEphemeral = true
        }
        if let serverSecret = secret("SERVER_SECRET", "a key that never leaves this server") {
            self.serverSecret = serverSecret
            if serverSecret == jwtSecret && !jwtSecret.isEmpty {
                settings.problem("SERVER_SECRET equals JWT_ACCESS_SECRET; partner services hold the JWT secret, so the server secret must differ (\(generate))")
            }
        } else {
            serverSecretIsEphemeral = true
        }
    }

    private mutating func readBrowserSettings(_ settings: inout SettingsReader) {
        corsOrigins = settings.read("CORS_ORIGINS", "comma-separated origins such as https://app.example.com (never *: responses carry credentials)") { text in
            let origins = SettingParsers.list(text)
            return origins.allSatisfy(SettingParsers.isOrigin) ? origins : nil
        } ?? corsOrigins
        publicURL = settings.read("PUBLIC_URL", "this server's external base URL, such as https://auth.example.com") { text in
            SettingParsers.isBaseURL(text) ? String(text.reversed().drop { $0 == "/" }.reversed()) : nil
        } ?? publicURL
        appURL = settings.read("APP_URL", "the frontend's base URL, such as https://app.example.com") { text in
            SettingParsers.isBaseURL(text) ? String(text.reversed().drop { $0 == "/" }.reversed()) : nil
        } ?? appURL
        cookieSameSite = settings.read("COOKIE_SAMESITE", "Strict, Lax or None") { text in
            SameSite.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
        } ?? cookieSameSite
        cookieDomain = settings.raw("COOKIE_DOMAIN")
        cookieSecure = settings.read("COOKIE_SECURE", "true, false or auto") { text in
            text.lowercased() == "auto" ? isProduction : SettingParsers.bool(text)
        } ?? isProduction
        if cookieSameSite == .none {
            // Browsers drop SameSite=None cookies that are not Secure.
            cookieSecure = true
        }
    }

    /// The HTTP server's part of the settings.
    public var serverConfiguration: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerClient = maxConnectionsPerIP
        let proxies = TrustedProxies(trustProxy)
        configuration.isExemptFromClientLimit = { proxies.isTrusted($0) }
        configuration.headerTimeout = headerTimeout
        configuration.idleTimeout = idleTimeout
        configuration.limits.maxBodyBytes = maxBodyBytes
        return configuration
    }

    /// The origins whose browsers may send cookie-carrying requests: the frontends and this server itself.
    var trustedOrigins: Set<String> {
        Set(corsOrigins).union([SettingParsers.origin(of: publicURL)].compactMap { $0 })
    }
}
