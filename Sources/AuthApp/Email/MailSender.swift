import FoundationEssentials
import Glibc
import Logging
import PostgresClient
import Reactor
import Synchronization

/// Delivers the outbox from this instance; every instance runs one over the shared table.
///
/// A few lanes (one per thread of the mail pool) each claim one due message at a time, hand it
/// to the delivery on the pool (SMTP blocks; never on an event loop), and record the outcome: sent;
/// a transient failure due again after a backoff, or marked failed once past `MAIL_RETRY_LIMIT`;
/// a permanent refusal failed at once. Lanes are independent, so a message that hangs until the
/// SMTP timeout holds up only its own lane, and one that keeps failing is rescheduled behind
/// the others. An idle lane sleeps on a `LoopWakeup`: woken when this instance queues mail,
/// else after `MAIL_POLL_INTERVAL` (mail queued by other instances, retries that came due).
/// A message queued by forgot-password gets its token here, on its first claim (see
/// `email_outbox.token_kind`), or is dropped when no active account has its address.
/// A housekeeping lane counts the backlog for `/metrics` and purges old rows.
///
/// Without a delivery (production without `SMTP_URL`) nothing is claimed: the messages stay
/// queued for an instance that can send them, and the backlog shows in `mail_pending`.
///
/// `stop` ends every lane: a delivery in progress finishes (bounded by the SMTP timeouts) and
/// is recorded; a message claimed but not yet handed over is released untried. It returns once
/// every lane has ended.
final class MailSender: Sendable {
    private let database: PostgresDatabase
    private let outbox: OutboxRepository
    private let tokens: EmailTokenRepository
    private let delivery: (any MailDelivery)?
    private let pool: BlockingPool
    private let loop: EventLoop
    private let settings: EmailSettings
    private let appURL: String
    private let metrics: ServerMetrics
    private let logger: Logger
    /// Who holds a lease: host, process and a random part, for operators reading `claimed_by`.
    let owner: String
    /// Seconds a claim lasts: beyond any delivery, which the SMTP timeouts bound.
    private let lease: Int
    private let retries: RetrySchedule
    private let newMail: LoopWakeup
    private let ticker: LoopWakeup
    private let stopping = Atomic<Bool>(false)
    /// Lanes that have not ended yet.
    private let running = Monitor(0)

    /// How often the housekeeping lane purges: sent and failed rows after a week, tokens a day
    /// after they expired.
    private static let purgeInterval: UInt64 = 3600 * 1_000_000_000
    private static let keepFinishedDays = 7

    init(database: PostgresDatabase, delivery: (any MailDelivery)?, pool: BlockingPool, loop: EventLoop, settings: EmailSettings,
         appURL: String, metrics: ServerMetrics, logger: Logger) {
        self.database = database
        outbox = OutboxRepository()
        tokens = EmailTokenRepository()
        self.delivery = delivery
        self.pool = pool
        self.loop = loop
        self.settings = settings
        self.appURL = appURL
        self.metrics = metrics
        self.logger = logger
        owner = "\(Self.hostName())/\(getpid())/\(UUID.random().lowercasedText.prefix(8))"
        lease = Int((settings.smtpConnectTimeout + settings.smtpTimeout).rounded(.up)) * 2 + 60
        retries = RetrySchedule(base: settings.retryBackoff)
        newMail = LoopWakeup(loop: loop)
        ticker = LoopWakeup(loop: loop)
    }

    /// Starts the lanes; call once, after the migrations.
    func start() {
        let lanes = delivery == nil ? 0 : pool.threadCount
        running.withLock { $0 = lanes + 1 }
        if let delivery {
            for _ in 0..<lanes {
                Task(executorPreference: loop) { [self] in
                    await deliverUntilStopped(delivery)
                    laneEnded()
                }
            }
        }
        Task(executorPreference: loop) { [self] in
            await keepHouseUntilStopped()
            laneEnded()
        }
    }

    /// This instance queued mail: an idle lane claims it now rather than at the next poll.
    func wake() {
        newMail.wake()
    }

    /// Ends every lane (see the type's notes) and returns when they have; from a thread that is
    /// not an event loop's. Callable more than once.
    func stop() {
        if !stopping.exchange(true, ordering: .relaxed) {
            newMail.close()
            ticker.close()
        }
        running.withLock(when: { $0 == 0 }) { _ in }
    }

    private func laneEnded() {
        running.withLock { $0 -= 1 }
        running.broadcast()
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    private func deliverUntilStopped(_ delivery: any MailDelivery) async {
        var databaseFailing = false
        while !isStopping {
            do {
                let claimed = try await outbox.claim(owner: owner, limit: 1, lease: lease, on: database)
                if databaseFailing {
                    databaseFailing = false
                    logger.notice("mail: the outbox is reachable again")
                }
                // A message given back untried (the pool or the database refused) waits for the
                // next poll, so that a refusal never turns into a busy loop.
                if let message = claimed.first, await deliver(message, through: delivery) {
                    continue
                }
            } catch {
                if !databaseFailing {
                    databaseFailing = true
                    logger.error("mail: cannot claim messages from the outbox; retrying every poll interval", metadata: ["error": "\(error)"])
                }
            }
            await newMail.wait(timeout: settings.pollInterval)
        }
    }

    /// Delivers one claimed message and records the outcome; false when it was given back untried.
    private func deliver(_ message: OutboxRepository.Claimed, through delivery: any MailDelivery) async -> Bool {
        guard !isStopping else {
            await record(message, "release") { try await outbox.release(message.id, owner: owner, on: database) }
            return false
        }
        guard let template = MailTemplate(rawValue: message.template) else {
            await fail(message, template: "unknown", reason: "refused", error: "no template named \(message.template)")
            return true
        }
        let values: MailTemplate.Values
        switch await prepared(message) {
        case .ready(let ready): values = ready
        case .dropped: return true
        case .released: return false
        }
        let product = settings.productName
        let failure: MailDeliveryFailure?
        do {
            failure = try await pool.run { () -> MailDeliveryFailure? in
                let mail = OutgoingMail(id: message.id, template: template, recipient: message.recipient,
                                        rendered: template.render(values, product: product), link: values.link,
                                        queuedAt: message.createdAt)
                do throws(MailDeliveryFailure) {
                    try delivery.deliver(mail)
                    return nil
                } catch {
                    return error
                }
            }
        } catch {
            // The pool refused the job (it is stopping): untried, so give it back.
            await record(message, "release") { try await outbox.release(message.id, owner: owner, on: database) }
            return false
        }
        let metadata: Logger.Metadata = ["mailId": "\(message.id.lowercasedText)", "template": "\(template.rawValue)",
                                         "attempt": "\(message.attempts)"]
        guard let failure else {
            await record(message, "mark sent") {
                if try await outbox.markSent(message.id, owner: owner, on: database) {
                    metrics.mailSent(template: template.rawValue)
                    logger.info("mail: sent", metadata: metadata)
                } else {
                    logger.warning("mail: sent after its lease ran out; another instance may send it again", metadata: metadata)
                }
            }
            return true
        }
        if failure.isPermanent {
            await fail(message, template: template.rawValue, reason: "refused", error: failure.reason)
            return true
        }
        let delay = retries.delay(afterAttempts: message.attempts)
        await record(message, "reschedule") {
            switch try await outbox.reschedule(message.id, owner: owner, delay: delay, retryLimit: settings.retryLimit, error: failure.reason,
                                                on: database) {
            case .retrying?:
                metrics.mailDeferred(template: template.rawValue)
                logger.warning("mail: delivery failed; retrying later", metadata: metadata.merging([
                    "retryInSeconds": "\(Int(delay.rounded()))", "error": "\(failure.reason)",
                ]) { $1 })
            case .gaveUp?:
                metrics.mailFailed(template: template.rawValue, reason: "expired")
                logger.error("mail: still failing after the retry limit; marked failed", metadata: metadata.merging([
                    "to": "\(message.recipient)", "error": "\(failure.reason)",
                ]) { $1 })
            case nil:
                logger.warning("mail: failed after its lease ran out", metadata: metadata)
            }
        }
        return true
    }

    private enum Preparation {
        case ready(MailTemplate.Values)
        /// No active account has the address: the row is gone, nothing to send.
        case dropped
        /// The database failed: the row was given back, to be tried again.
        case released
    }

    /// The message's values, after issuing its token when it was queued without one.
    private func prepared(_ message: OutboxRepository.Claimed) async -> Preparation {
        guard let kind = message.tokenKind else { return .ready(message.values) }
        let token = EmailToken.generate()
        let lifetime = settings.lifetime(of: kind)
        var values = message.values
        values.link = token.link(kind, appURL: appURL)
        values.validFor = lifetime
        do {
            guard let filled = try await tokens.issue(kind, hash: token.hash, lifetime: lifetime, forQueued: message.id, owner: owner,
                                                      values: values, on: database)
            else {
                logger.debug("mail: no active account has the address of a \(kind.rawValue) request; nothing to send",
                             metadata: ["mailId": "\(message.id.lowercasedText)"])
                return .dropped
            }
            return .ready(filled)
        } catch {
            logger.error("mail: cannot issue the token of a queued message", metadata: ["mailId": "\(message.id.lowercasedText)", "error": "\(error)"])
            await record(message, "release") { try await outbox.release(message.id, owner: owner, on: database) }
            return .released
        }
    }

    private func fail(_ message: OutboxRepository.Claimed, template: String, reason: String, error: String) async {
        await record(message, "mark failed") {
            guard try await outbox.markFailed(message.id, owner: owner, error: error, on: database) else { return }
            metrics.mailFailed(template: template, reason: reason)
            logger.error("mail: refused; marked failed, not retried", metadata: [
                "mailId": "\(message.id.lowercasedText)", "template": "\(template)", "to": "\(message.recipient)", "error": "\(error)",
            ])
        }
    }

    /// Runs an outcome's update; when the database is unreachable the lease will run out and the
    /// message be tried again, so delivery stays at least once.
    private func record(_ message: OutboxRepository.Claimed, _ what: String, _ update: () async throws -> Void) async {
        do {
            try await update()
        } catch {
            logger.error("mail: cannot \(what) a message in the outbox", metadata: [
                "mailId": "\(message.id.lowercasedText)", "error": "\(error)",
            ])
        }
    }

    private func keepHouseUntilStopped() async {
        var lastPurge: UInt64?
        while !isStopping {
            if let pending = try? await outbox.pendingCount(on: database) {
                metrics.mailPending(pending)
            }
            let now = MonotonicClock.now()
            if lastPurge.map({ now - $0 >= Self.purgeInterval }) ?? true {
                lastPurge = now
                do {
                    try await outbox.purgeFinished(olderThanDays: Self.keepFinishedDays, on: database)
                    try await tokens.purgeExpired(on: database)
                } catch {
                    logger.warning("mail: cannot purge old outbox rows and tokens", metadata: ["error": "\(error)"])
                }
            }
            await ticker.wait(timeout: settings.pollInterval)
        }
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
    }
}
