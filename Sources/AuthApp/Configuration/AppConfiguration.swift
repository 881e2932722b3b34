import Foundation
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

    public enum SameSite: String, Sendable {
        case strict = "Strict", lax = "Lax", none = "None"
    }

    public var host = "0.0.0.0"
    public var port = 8080
    public var environment = Environment.development
    public var databaseURL: String?
    public var databasePoolSize = 10
    public var autoMigrate = true
    public var migrationsDirectory = "Migrations"

    /// The HS256 key. Empty only when generated for this process (development without a secret).
    public var jwtSecret: [UInt8] = []
    public var jwtSecretIsEphemeral = false
    public var jwtIssuer: String?
    public var jwtAudience: String?
    public var accessTokenTTL = 900
    public var refreshTokenTTL = 7 * 86400
    public var sessionMaxLifetime = 30 * 86400
    public var refreshReuseInterval = 10
    public var jwtLeeway = 30
    public var bcryptCost = 12

    public var corsOrigins = ["http://localhost:3000"]
    public var cookieSecure = false
    public var cookieSameSite = SameSite.strict
    public var cookieDomain: String?

    public var uploadLimit = 10
    public var rateLimitWindow = 900
    public var rateLimitMax = 100
    public var loginMaxFailures = 5
    public var accountMaxFailures = 20
    public var rateLimitStore = RateLimitStore.memory
    public var trustProxy: [String] = []

    public var maxBodyBytes = 1 << 20
    public var maxConnections = 10_000
    public var headerTimeout: Double = 10
    public var idleTimeout: Double = 60
    public var shutdownTimeout: Double = 15

    public var logLevel = "info"
    public var logFormat = LogFormat.text

    public var isProduction: Bool { environment == .production }

    /// Reads and validates every setting; `value(NAME)` answers a variable's raw text or nil.
    /// Throws one error listing every problem.
    public init(values value: (String) -> String?) throws {
        var problems: [String] = []
        func read<T>(_ name: String, _ example: String, _ parse: (String) -> T?) -> T? {
            guard let raw = value(name), !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let parsed = parse(raw) else {
                problems.append("\(name)=\(raw.count > 40 ? String(raw.prefix(40)) + "…" : raw) is not valid: expected \(example)")
                return nil
            }
            return parsed
        }
        func integer(_ text: String, in range: ClosedRange<Int>) -> Int? {
            Int(text.trimmingCharacters(in: .whitespaces)).flatMap { range.contains($0) ? $0 : nil }
        }
        func seconds(_ text: String, minimum: Double) -> Int? {
            SettingParsers.duration(text).flatMap { $0 >= minimum ? Int($0.rounded()) : nil }
        }

        host = read("HOST", "an IP address such as 0.0.0.0 or ::") { $0.trimmingCharacters(in: .whitespaces) } ?? host
        port = read("PORT", "a port from 0 to 65535") { integer($0, in: 0...65535) } ?? port
        environment = read("APP_ENV", "development, test or production") { Environment(rawValue: $0.lowercased()) } ?? environment
        databaseURL = read("DATABASE_URL", "a libpq URI or keyword string") { $0 }
        databasePoolSize = read("DB_POOL_SIZE", "a whole number from 1 to 500") { integer($0, in: 1...500) } ?? databasePoolSize
        autoMigrate = read("AUTO_MIGRATE", "true or false", SettingParsers.bool) ?? autoMigrate
        migrationsDirectory = read("MIGRATIONS_DIR", "a directory path") { $0 } ?? migrationsDirectory

        jwtIssuer = read("JWT_ISSUER", "a string") { $0 }
        jwtAudience = read("JWT_AUDIENCE", "a string") { $0 }
        accessTokenTTL = read("ACCESS_TOKEN_TTL", "a duration of at least 10s, e.g. 15m") { seconds($0, minimum: 10) } ?? accessTokenTTL
        refreshTokenTTL = read("REFRESH_TOKEN_TTL", "a duration of at least 1m, e.g. 7d") { seconds($0, minimum: 60) } ?? refreshTokenTTL
        sessionMaxLifetime = read("SESSION_MAX_LIFETIME", "a duration of at least 1m, e.g. 30d") { seconds($0, minimum: 60) } ?? sessionMaxLifetime
        refreshReuseInterval = read("REFRESH_REUSE_INTERVAL", "a duration, e.g. 10s (0 disables the grace window)") { seconds($0, minimum: 0) } ?? refreshReuseInterval
        jwtLeeway = read("JWT_LEEWAY", "a duration of at most 5m, e.g. 30s") { seconds($0, minimum: 0).flatMap { $0 <= 300 ? $0 : nil } } ?? jwtLeeway
        bcryptCost = read("BCRYPT_COST", "a whole number from 4 to 31") { integer($0, in: 4...31) } ?? bcryptCost

        corsOrigins = read("CORS_ORIGINS", "comma-separated origins such as https://app.example.com") { text in
            let origins = SettingParsers.list(text)
            return origins.allSatisfy { $0 == "*" || URL(string: $0)?.scheme != nil } ? origins : nil
        } ?? corsOrigins
        cookieSameSite = read("COOKIE_SAMESITE", "Strict, Lax or None") { text in
            SameSite.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
        } ?? cookieSameSite
        cookieDomain = read("COOKIE_DOMAIN", "a domain such as example.com") { $0 }

        uploadLimit = read("UPLOAD_LIMIT", "a whole number from 0 to 1000000000") { integer($0, in: 0...1_000_000_000) } ?? uploadLimit
        rateLimitWindow = read("RATE_LIMIT_WINDOW", "a duration of at least 1s, e.g. 15m") { seconds($0, minimum: 1) } ?? rateLimitWindow
        rateLimitMax = read("RATE_LIMIT_MAX", "a whole number of at least 1") { integer($0, in: 1...Int(Int32.max)) } ?? rateLimitMax
        loginMaxFailures = read("LOGIN_MAX_FAILURES", "a whole number of at least 1") { integer($0, in: 1...Int(Int32.max)) } ?? loginMaxFailures
        accountMaxFailures = read("ACCOUNT_MAX_FAILURES", "a whole number of at least 1") { integer($0, in: 1...Int(Int32.max)) } ?? accountMaxFailures
        rateLimitStore = read("RATE_LIMIT_STORE", "memory or postgres") { RateLimitStore(rawValue: $0.lowercased()) } ?? rateLimitStore
        trustProxy = read("TRUST_PROXY", "comma-separated IPs or CIDR blocks, or loopback") { text in
            let entries = SettingParsers.list(text)
            return entries.allSatisfy { TrustedProxies.isValidEntry($0) } ? entries : nil
        } ?? trustProxy

        maxBodyBytes = read("MAX_BODY_BYTES", "a size such as 1MB or 65536") { SettingParsers.size($0).flatMap { $0 > 0 ? $0 : nil } } ?? maxBodyBytes
        maxConnections = read("MAX_CONNECTIONS", "a whole number of at least 1") { integer($0, in: 1...1_000_000) } ?? maxConnections
        headerTimeout = read("HEADER_TIMEOUT", "a duration such as 10s") { SettingParsers.duration($0).flatMap { $0 > 0 ? $0 : nil } } ?? headerTimeout
        idleTimeout = read("IDLE_TIMEOUT", "a duration such as 60s") { SettingParsers.duration($0).flatMap { $0 > 0 ? $0 : nil } } ?? idleTimeout
        shutdownTimeout = read("SHUTDOWN_TIMEOUT", "a duration such as 15s") { SettingParsers.duration($0) } ?? shutdownTimeout

        logLevel = read("LOG_LEVEL", "trace, debug, info, notice, warning, error or critical") { text in
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(text.lowercased()) ? text.lowercased() : nil
        } ?? logLevel
        logFormat = read("LOG_FORMAT", "text or json") { LogFormat(rawValue: $0.lowercased()) } ?? (environment == .development ? .text : .json)

        cookieSecure = read("COOKIE_SECURE", "true, false or auto") { text in
            text.lowercased() == "auto" ? (environment == .production) : SettingParsers.bool(text)
        } ?? (environment == .production)
        if cookieSameSite == .none {
            // Browsers drop SameSite=None cookies that are not Secure.
            cookieSecure = true
        }

        if let secret = value("JWT_ACCESS_SECRET"), !secret.isEmpty {
            jwtSecret = Array(secret.utf8)
            if jwtSecret.count < 32 && environment == .production {
                problems.append("JWT_ACCESS_SECRET is \(jwtSecret.count) bytes; production needs at least 32 (generate one with: openssl rand -base64 48)")
            }
        } else if environment == .production {
            problems.append("JWT_ACCESS_SECRET is not set; production refuses to start without one (generate one with: openssl rand -base64 48)")
        } else {
            jwtSecretIsEphemeral = true
        }
        if refreshTokenTTL > sessionMaxLifetime {
            problems.append("REFRESH_TOKEN_TTL (\(refreshTokenTTL)s) exceeds SESSION_MAX_LIFETIME (\(sessionMaxLifetime)s); lower the first or raise the second")
        }

        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
    }

    /// The HTTP server's part of the settings.
    public var serverConfiguration: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxConnections = maxConnections
        configuration.headerTimeout = headerTimeout
        configuration.idleTimeout = idleTimeout
        configuration.limits.maxBodyBytes = maxBodyBytes
        return configuration
    }
}

extension AppConfiguration.SameSite: CaseIterable {}
