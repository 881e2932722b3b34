import CoreMetrics

/// The mail sender's metrics. Labels are bounded: a template name of `MailTemplate` (or
/// `unknown`), a failure reason of the sender's few.
extension ServerMetrics {
    func mailSent(template: String) {
        CoreMetrics.Counter(label: "mail_sent_total", dimensions: [("template", template)], factory: factory).increment()
    }

    /// `reason`: `refused` (a permanent SMTP refusal, or a message that cannot be built) or
    /// `expired` (still failing when the retry limit was reached).
    func mailFailed(template: String, reason: String) {
        CoreMetrics.Counter(label: "mail_failed_total", dimensions: [("template", template), ("reason", reason)], factory: factory)
            .increment()
    }

    /// A transient failure, retried later.
    func mailDeferred(template: String) {
        CoreMetrics.Counter(label: "mail_deferred_total", dimensions: [("template", template)], factory: factory).increment()
    }

    /// Messages neither sent nor failed, in the shared outbox (all instances'), as last counted.
    func mailPending(_ count: Int) {
        Gauge(label: "mail_pending", factory: factory).record(count)
    }
}
