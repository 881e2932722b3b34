import ArgumentParser
import AuthApp
import FoundationEssentials
import Logging

@main
struct AuthServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authserver",
        abstract: "An authentication server: accounts, sessions, signed access tokens.",
        discussion: "Settings come from the environment and an optional .env file in the working directory (the environment wins). See README.md.",
        subcommands: [Serve.self, Migrate.self, CreateAdmin.self, UserCommands.self, Keys.self],
        defaultSubcommand: Serve.self
    )
}

/// Loads the configuration, installs logging, and builds the app; a bad setting ends the
/// process with a message that says how to fix it.
func makeApp() async throws -> (AuthServerApp, Logger) {
    let configuration: AppConfiguration
    do {
        configuration = try await AppConfiguration.load()
    } catch let error as ConfigurationError {
        StandardStreams.writeError("\(error)\n")
        throw ExitCode(78)
    }
    LoggingSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
    let logger = Logger(label: "authserver")
    guard configuration.databaseURL != nil else {
        StandardStreams.writeError("Invalid configuration:\n  - DATABASE_URL is not set (a libpq URI, e.g. postgresql://user@127.0.0.1:5432/authserver; `make run` starts a development database)\n")
        throw ExitCode(78)
    }
    return (try AuthServerApp(configuration: configuration, logger: logger), logger)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve HTTP (the default). SIGTERM or SIGINT stops it gracefully.")

    func run() async throws {
        let (app, logger) = try await makeApp()
        try await app.start()
        logger.info("authserver ready", metadata: ["port": "\(app.port)", "environment": "\(app.configuration.environment.rawValue)"])
        let signal = await ShutdownSignal.wait()
        logger.info("Shutting down", metadata: ["signal": "\(signal)"])
        app.stop()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        let (app, logger) = try await makeApp()
        let applied = try await app.migrate()
        logger.info("Migrations complete", metadata: ["applied": "\(applied.count)"])
        app.stop()
    }
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an ADMIN account, or promote an existing one (revoking its sessions) and set its password.",
        discussion: "The password is read from --password-file, or else from standard input (prompted without echo on a terminal): never from an argument, which ps and shell history would show."
    )

    @Option(help: "The admin's email address.")
    var email: String

    @Option(help: "A file holding the password (8 characters to 72 bytes); a trailing newline is ignored.")
    var passwordFile: String?

    func run() async throws {
        let password = try PasswordInput.read(file: passwordFile)
        let (app, logger) = try await makeApp()
        do {
            if app.configuration.autoMigrate {
                try await app.migrate()
            }
            let id = try await app.createAdmin(email: email, password: password)
            logger.notice("Admin account ready", metadata: ["userId": "\(id)"])
        } catch let error as ConfigurationError {
            StandardStreams.writeError("\(error)\n")
            app.stop()
            throw ExitCode(64)
        }
        app.stop()
    }
}
