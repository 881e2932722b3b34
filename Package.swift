// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "authserver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "authserver", targets: ["authserver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C libraries, found with pkg-config.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLibCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // epoll, eventfd and accept4, which Glibc's Swift overlay leaves out.
        .systemLibrary(name: "CLinuxIO"),

        // Event loops on epoll (also the executors of request tasks), joinable threads, blocking pools.
        .target(name: "Reactor", dependencies: ["CLinuxIO"]),
        // HTTP/1.1 on POSIX sockets: parser, encoder, event loops, router, middleware. Knows nothing of auth.
        .target(name: "HTTPServer", dependencies: ["CLinuxIO", "Reactor", .product(name: "Logging", package: "swift-log")]),
        // PostgreSQL over libpq: connections, pool, transactions, migrations. Knows nothing of HTTP.
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ", "Reactor", .product(name: "Logging", package: "swift-log")]
        ),
        // Strict JSON parsing and streaming JSON writing, with no Foundation.
        .target(name: "JSON"),
        // Cryptography over OpenSSL's libcrypto: randomness, digests, bcrypt, HS256 JWT.
        .target(name: "AuthCrypto", dependencies: ["CLibCrypto", "JSON"]),
        // Outbound SMTP and HTTPS over libcurl, and the MIME messages it sends. Knows nothing of auth.
        .target(name: "Outbound", dependencies: ["CLibCurl", "Reactor"]),
        // The OpenAPI document, compiled in with C23's #embed.
        .target(name: "COpenAPIDocument", exclude: ["openapi.json"]),
        // The auth application: configuration, middleware, controllers, repositories, policies.
        .target(
            name: "AuthApp",
            dependencies: [
                "HTTPServer", "PostgresClient", "AuthCrypto", "JSON", "Reactor", "Outbound", "COpenAPIDocument",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "authserver",
            dependencies: ["AuthApp", "AuthCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // A raw-socket HTTP client for tests that control every byte on the wire.
        .target(name: "TestHTTPClient", path: "Tests/TestHTTPClient"),
        // A loopback TCP forwarder tests cut or freeze: a database outage on demand.
        .target(name: "TestSockets", path: "Tests/TestSockets"),
        // `make bench`: bcrypt against libxcrypt's crypt(3), HS256 sign/verify rates.
        .executableTarget(name: "crypto-bench", dependencies: ["AuthCrypto"], path: "Benchmarks/crypto-bench"),

        // `make fuzz`: each fuzz target's body with its invariants (README.md, Fuzzing and sanitizers), one libFuzzer
        // executable per target, and the replay of every checked-in corpus file in `make test`.
        .target(name: "FuzzTargets", dependencies: ["HTTPServer", "JSON", "AuthCrypto", "AuthApp"], path: "Fuzz/FuzzTargets"),
        .executableTarget(name: "FuzzHTTPRequestParser", dependencies: ["FuzzTargets"], path: "Fuzz/HTTPRequestParser"),
        .executableTarget(name: "FuzzChunkedBodyDecoder", dependencies: ["FuzzTargets"], path: "Fuzz/ChunkedBodyDecoder"),
        .executableTarget(name: "FuzzJWTVerifier", dependencies: ["FuzzTargets"], path: "Fuzz/JWTVerifier"),
        .executableTarget(name: "FuzzJSONParser", dependencies: ["FuzzTargets"], path: "Fuzz/JSONParser"),
        .executableTarget(name: "FuzzBCryptSetting", dependencies: ["FuzzTargets"], path: "Fuzz/BCryptSetting"),
        .executableTarget(name: "FuzzCookies", dependencies: ["FuzzTargets"], path: "Fuzz/Cookies"),
        .executableTarget(name: "FuzzForwardedFor", dependencies: ["FuzzTargets"], path: "Fuzz/ForwardedFor"),
        .executableTarget(name: "FuzzSettingParsers", dependencies: ["FuzzTargets"], path: "Fuzz/SettingParsers"),

        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestHTTPClient"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "Reactor", "TestSockets"]),
        .testTarget(name: "ReactorTests", dependencies: ["Reactor"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "AuthCryptoTests", dependencies: ["AuthCrypto", "JSON"]),
        // Tests/Support's Python servers (aiosmtpd, HTTPS, a test CA) as child processes, for Swift tests.
        .target(name: "ScriptServers", path: "Tests/ScriptServers"),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "ScriptServers"]),
        .testTarget(name: "AuthAppTests", dependencies: ["AuthApp", "TestHTTPClient", "TestSockets", "ScriptServers"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets"]),
    ],
    swiftLanguageModes: [.v6]
)

// Async functions run where their caller runs (SE-0461) instead of hopping to the generic
// executor on entry: a request's chain of middleware stays on its event loop without a task
// switch, and a status-record walk, per call.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
}
