import CLibPQ
import Glibc

/// The pipeline-mode entry points this client needs beyond libpq 15's, looked up at run time.
enum LibPQPipeline {
    typealias SendPipelineSync = @convention(c) (OpaquePointer?) -> Int32

    /// libpq 17's `PQsendPipelineSync`: a sync point that, unlike `PQpipelineSync`, does not
    /// flush, so a wake-up's statements leave in one write. nil with older libpq (Debian 12
    /// ships 15), where each sync writes and `TCP_CORK` coalesces a batch instead.
    static let sendPipelineSync: SendPipelineSync? = {
        guard let symbol = dlsym(nil, "PQsendPipelineSync") else { return nil }
        return unsafeBitCast(symbol, to: SendPipelineSync.self)
    }()

    /// Appends a sync point; with libpq < 17 this also flushes.
    static func sync(_ handle: OpaquePointer) -> Bool {
        if let sendPipelineSync { return sendPipelineSync(handle) == 1 }
        return PQpipelineSync(handle) == 1
    }
}
