import ArgumentParser
import AuthApp
import FoundationEssentials

/// `authserver user deactivate|activate|delete EMAIL` and `authserver user set-role EMAIL ROLE`.
struct UserCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Deactivate, activate, delete an account or set its role, as the admin API does (sessions revoked alike, audit events recorded).",
        subcommands: [Deactivate.self, Activate.self, Delete.self, SetRole.self]
    )

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate an account and revoke every session of it.")
        @Argument(help: "The account's email.") var email: String
        func run() async throws { try await administer(email, .deactivate) }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Activate a deactivated account.")
        @Argument(help: "The account's email.") var email: String
        func run() async throws { try await administer(email, .activate) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account and every row of it; the audit trail keeps only its id.")
        @Argument(help: "The account's email.") var email: String
        func run() async throws { try await administer(email, .delete) }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Set an account's role and revoke every session of it.")
        @Argument(help: "The account's email.") var email: String
        @Argument(help: "CANDIDATE, EMPLOYER or ADMIN.") var role: String

        func validate() throws {
            guard Role(rawValue: role.uppercased()) != nil else { throw ValidationError("ROLE must be CANDIDATE, EMPLOYER or ADMIN") }
        }

        func run() async throws { try await administer(email, .setRole(Role(rawValue: role.uppercased())!)) }
    }
}

/// Runs one command against the configured database; exit 1 when there is no such account.
private func administer(_ email: String, _ command: AuthServerApp.UserCommand) async throws {
    let (app, _) = try await makeApp()
    defer { app.stop() }
    if app.configuration.autoMigrate {
        try await app.migrate()
    }
    do {
        print(try await app.administer(email: email, command))
    } catch let failure as AuthServerApp.CommandFailure {
        StandardStreams.writeError("authserver: \(failure)\n")
        throw ExitCode(1)
    }
}
