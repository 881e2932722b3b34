/// Runs `count` copies of `body` at once and answers their results: the races of a test (one
/// email, one refresh token, one upload count) really race, as the client's socket I/O runs
/// on a pool of its own threads.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable () async -> T) async -> [T] {
    await withTaskGroup(of: T.self) { group in
        for _ in 0..<count {
            group.addTask { await body() }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
}
