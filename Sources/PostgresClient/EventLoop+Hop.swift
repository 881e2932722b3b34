import Reactor

/// Runs `body` on `loop`: directly when the caller already runs there, else as a task executor
/// preference for the duration of `body`, after which the caller resumes where it was.
func onLoop<Value, Failure: Error>(
    _ loop: EventLoop, _ body: () async throws(Failure) -> Value
) async throws(Failure) -> Value {
    if loop.isCurrent { return try await body() }
    return try await withTaskExecutorPreference(loop) { () async throws(Failure) -> Value in
        // Entering a preference moves nothing by itself (an async function runs where its caller
        // runs, SE-0461); a suspension re-enqueues the task, and then on its preferred executor.
        await Task.yield()
        return try await body()
    }
}
