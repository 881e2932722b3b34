import CLibCurl

/// A hard end to a transfer, past libcurl's own timeouts, checked from the progress callback.
///
/// CURLOPT_TIMEOUT_MS does not cover everything: after an SMTP failure libcurl still sends QUIT
/// and waits for the answer with only the server response timeout (120 s by default), not the
/// total one. The progress callback still runs while it waits (about once a second), and
/// aborting there ends the wait; the error already recorded stays the transfer's result.
final class TransferDeadline {
    /// How far past the total timeout the deadline lies, so that libcurl's own timeout, with its
    /// clearer message, fires first whenever it can.
    static let grace: Double = 0.5

    private let deadline: ContinuousClock.Instant

    init(after seconds: Double) {
        deadline = .now + .milliseconds(Int(seconds * 1000))
    }

    fileprivate var hasPassed: Bool { ContinuousClock.now >= deadline }
}

extension CurlEasy {
    /// Aborts the transfer, from the next progress callback on, once `seconds` have passed.
    func abort(after seconds: Double) {
        set(CURLOPT_NOPROGRESS, 0)
        set(CURLOPT_XFERINFODATA, context: TransferDeadline(after: seconds))
        set(progressCallback: { context, _, _, _, _ in
            guard let context else { return 0 }
            return Unmanaged<TransferDeadline>.fromOpaque(context).takeUnretainedValue().hasPassed ? 1 : 0
        })
    }
}
