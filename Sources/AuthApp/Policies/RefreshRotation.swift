import FoundationEssentials
import PostgresClient

/// API.md's rotation rules. Every refresh replaces the presented token by its successor in the
/// same login. Browser tabs refresh concurrently, so within `reuseInterval` of a rotation the
/// old token answers with the same successor instead of forking the login; after that, a rotated
/// token coming back means it was stolen, and the whole login is revoked.
struct RefreshRotation: Sendable {
    enum Outcome {
        /// `replayedWithin`: seconds since the presented token was rotated, when this is the
        /// grace window handing out a successor again (a second tab, or a thief inside it).
        case issued(userID: UUID, sessionID: UUID, refreshToken: String, replayedWithin: Double?)
        /// The login was revoked for reuse; the caller commits that, then answers `TOKEN_REUSED`.
        case reuseDetected(userID: UUID, sessionID: UUID)
        /// The successor derived here is not the one stored: this instance's `SERVER_SECRET`
        /// differs from the one that rotated the token. Nothing changed; the answer is a 401.
        case successorMismatch(userID: UUID, sessionID: UUID)
    }

    let sessions: SessionRepository
    let tokens: TokenIssuer
    let reuseInterval: Int
    /// How many rotations within the grace window a late tab may still catch up with.
    private let maximumCatchUp = 8

    init(sessions: SessionRepository, tokens: TokenIssuer, reuseInterval: Int) {
        self.sessions = sessions
        self.tokens = tokens
        self.reuseInterval = reuseInterval
    }

    /// Runs inside a transaction; the session row stays locked until it ends.
    func refresh(_ presented: String, on transaction: PostgresTransaction) async throws -> Outcome {
        guard let token = try await sessions.lock(tokenHash: TokenIssuer.hash(refreshToken: presented), on: transaction),
              !token.sessionRevoked, !token.sessionExpired, !token.revoked
        else { throw AuthFailure.invalidRefreshToken }

        guard let sinceRotation = token.secondsSinceRotation else {
            guard !token.expired else { throw AuthFailure.invalidRefreshToken }
            let successor = tokens.successor(of: presented)
            try await sessions.rotate(token, successorHash: TokenIssuer.hash(refreshToken: successor), on: transaction)
            return .issued(userID: token.userID, sessionID: token.sessionID, refreshToken: successor, replayedWithin: nil)
        }

        guard sinceRotation <= Double(reuseInterval) else {
            try await sessions.revoke(sessionID: token.sessionID, reason: "reuse", on: transaction)
            return .reuseDetected(userID: token.userID, sessionID: token.sessionID)
        }
        // Within the grace window: hand out the login's current token, derived again from this one.
        var current = presented
        var currentID = token.id
        for _ in 0..<maximumCatchUp {
            guard let next = try await sessions.liveSuccessor(of: currentID, on: transaction) else { break }
            current = tokens.successor(of: current)
            // Derived with another SERVER_SECRET than the one that rotated it (instances sharing
            // the database disagree): the token would exist nowhere, so hand out none.
            guard TokenIssuer.hash(refreshToken: current) == next.hash else {
                return .successorMismatch(userID: token.userID, sessionID: token.sessionID)
            }
            currentID = next.id
            if !next.rotated {
                try await sessions.touch(sessionID: token.sessionID, on: transaction)
                return .issued(userID: token.userID, sessionID: token.sessionID, refreshToken: current, replayedWithin: sinceRotation)
            }
        }
        throw AuthFailure.invalidRefreshToken
    }
}
