import CLinuxIO
import Glibc
import Reactor

/// One client connection, bound to the event loop that accepted it. It parses requests as bytes
/// arrive, answers them one at a time in arrival order (pipelined requests wait their turn), each
/// as a task on its loop, and writes each response whole with one `send`.
///
/// A request's task starts at once on the loop's thread (`Task.immediate`) and runs until it
/// first waits: a route that never waits is answered before `run` returns, without a trip
/// through the loop's queue.
final class Connection: IOHandler, @unchecked Sendable {
    // @unchecked Sendable: a request's task captures the connection to hand its response back,
    // and that task runs on the connection's loop (it prefers the loop as executor), like every
    // other use of this state; `loop.assertOnLoop()` checks it in debug builds.

    let descriptor: Int32
    let peer: IPAddress
    private let peerHost: String
    private unowned let server: ServerLoop
    private var loop: EventLoop { server.loop }
    private var parser: HTTPRequestParser

    private var output: [UInt8] = []
    private var outputOffset = 0
    private var requestInFlight = false
    /// Inside `processRequests`: a response finished from within it lets the loop there go on,
    /// instead of recursing once per pipelined request.
    private var isProcessing = false
    /// No response has been sent yet: the deadline set at accept still runs.
    private var isFirstRequest = true
    /// Bytes of the next request arrived after the last response: `HEADER_TIMEOUT` runs.
    private var requestStarted = false
    private var closeAfterOutput = false
    private var peerFinishedSending = false
    /// Our side is shut down; reading on only to drain what the peer still sends before it closes.
    private var lingering = false
    private var registeredEvents: IOEvents = []
    private var isRegistered = false
    private(set) var isClosed = false
    private(set) var deadline: UInt64

    /// Past this many unread bytes behind a request in progress, reading pauses (backpressure).
    private static let readPauseThreshold = 64 * 1024
    /// How long a closing connection waits for the peer's FIN after our last response.
    private static let lingerNanoseconds: UInt64 = 2_000_000_000

    init(descriptor: Int32, peer: IPAddress, server: ServerLoop) {
        self.descriptor = descriptor
        self.peer = peer
        peerHost = peer.description
        self.server = server
        parser = HTTPRequestParser(limits: server.configuration.limits)
        // HEADER_TIMEOUT counts from the accept: a client that sends nothing, or only blank
        // lines, is closed when it passes.
        deadline = server.loop.now &+ server.headerTimeout
    }

    func start() {
        updateInterest()
        if !isRegistered { close() }
    }

    /// Nothing received, running or waiting to be written: safe to close at shutdown.
    private var isIdle: Bool {
        !requestInFlight && output.isEmpty && !parser.hasPartialRequest
    }

    func handle(_ events: IOEvents) {
        loop.assertOnLoop()
        if !events.isDisjoint(with: .failed) {
            close()
            return
        }
        if events.contains(.writable) {
            flush()
            if !isClosed && output.isEmpty { processRequests() }
        }
        if events.contains(.readable) && !isClosed {
            readAvailable()
        }
    }

    /// Called by the loop's sweep once `deadline` has passed.
    func deadlineExpired() {
        let requestArrived = parser.hasPartialRequest && (requestStarted || isFirstRequest)
        guard requestArrived && !lingering && output.isEmpty && !requestInFlight else {
            close()
            return
        }
        closeAfterOutput = true
        answer(.requestTimeout)
    }

    /// Shutdown: the response in progress (if any) is the last one.
    func finishAfterCurrentRequest() {
        closeAfterOutput = true
        if isIdle { close() }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(descriptor)
        Glibc.close(descriptor)
        server.connectionClosed(self)
    }

    // MARK: Reading

    private func readAvailable() {
        let buffer = server.readBuffer
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        if count > 0 {
            guard !lingering else { return }
            parser.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            processRequests()
        } else if count == 0 {
            if lingering {
                close()
                return
            }
            // The peer half-closed: answer what it already sent completely, then close.
            peerFinishedSending = true
            closeAfterOutput = true
            processRequests()
        } else if errno != EAGAIN && errno != EINTR {
            close()
        }
    }

    private func processRequests() {
        isProcessing = true
        defer { isProcessing = false }
        while !requestInFlight && output.isEmpty && !isClosed && !lingering {
            guard let event = parser.next() else { break }
            switch event {
            case .expectContinue:
                output.append(contentsOf: HTTPResponseEncoder.continueResponse)
                flush()
            case .request(let request):
                run(request)
            case .failure(let error):
                closeAfterOutput = true
                answer(.malformed(error))
            }
        }
        guard !isClosed else { return }
        if peerFinishedSending && !requestInFlight && output.isEmpty && !lingering {
            close()
            return
        }
        if !requestInFlight && output.isEmpty && !lingering && !requestStarted && !isFirstRequest && parser.hasPartialRequest {
            requestStarted = true
            deadline = loop.now &+ server.headerTimeout
        }
        updateInterest()
    }

    // MARK: Answering

    private func run(_ request: HTTPRequest) {
        requestInFlight = true
        deadline = .max
        let responder = server.responder
        let connection = connectionInfo()
        Task.immediate(executorPreference: loop) {
            let response = await responder.respond(to: request, connection: connection)
            self.finish(response, for: request)
        }
    }

    /// A failure the server detected itself, rendered by the application like its own errors.
    private func answer(_ failure: ServerFailure) {
        requestInFlight = true
        deadline = .max
        let responder = server.responder
        let connection = connectionInfo()
        Task.immediate(executorPreference: loop) {
            let response = await responder.respond(to: failure, connection: connection)
            self.finish(response, for: nil)
        }
    }

    private func connectionInfo() -> ConnectionInfo {
        ConnectionInfo(remoteAddress: peer, remoteHost: peerHost, loop: loop, receivedAt: loop.now)
    }

    /// The request's task hands its response back, on the loop.
    private func finish(_ response: HTTPResponse, for request: HTTPRequest?) {
        loop.assertOnLoop()
        requestInFlight = false
        guard !isClosed else { return }
        isFirstRequest = false
        requestStarted = false
        deadline = loop.now &+ server.idleTimeout
        write(response, for: request)
        if !isClosed && output.isEmpty && !isProcessing { processRequests() }
    }

    // MARK: Writing

    private func write(_ response: HTTPResponse, for request: HTTPRequest?) {
        let closing = closeAfterOutput || server.isShuttingDown || !(request?.keepAlive ?? false)
        closeAfterOutput = closing
        HTTPResponseEncoder.encode(
            response,
            bodyOmitted: request?.method == .HEAD,
            closing: closing,
            keepAliveHeader: request?.version == .http1_0,
            date: server.date.headerLine,
            into: &output
        )
        flush()
    }

    private func flush() {
        while outputOffset < output.count {
            let sent = output.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + outputOffset, $0.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                outputOffset += sent
            } else if sent < 0 && errno == EINTR {
                continue
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                deadline = loop.now &+ server.idleTimeout
                updateInterest()
                return
            } else {
                close()
                return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 16 * 1024)
        outputOffset = 0
        if closeAfterOutput && !requestInFlight {
            linger()
        }
        updateInterest()
    }

    /// Closing at once with unread request bytes in the kernel would reset the connection and
    /// could destroy the response before the client reads it; shut down writing and drain first.
    private func linger() {
        guard !lingering else { return }
        lingering = true
        shutdown(descriptor, Int32(SHUT_WR))
        deadline = loop.now &+ Connection.lingerNanoseconds
        if peerFinishedSending { close() }
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var events: IOEvents = []
        let backlogged = (requestInFlight || !output.isEmpty) && parser.bufferedByteCount >= Connection.readPauseThreshold
        if !peerFinishedSending && (lingering || !backlogged) {
            events.insert(.readable)
        }
        if !output.isEmpty {
            events.insert(.writable)
        }
        guard !isRegistered || events != registeredEvents else { return }
        do {
            if isRegistered {
                try loop.modify(descriptor, for: events)
            } else {
                try loop.register(descriptor, for: events, handler: self)
                isRegistered = true
            }
            registeredEvents = events
        } catch {
            close()
        }
    }
}

private extension HTTPRequestParser {
    /// Some of a request has arrived (the parser consumes head lines as they complete, so
    /// buffered bytes alone do not tell); blank lines before a request do not count.
    var hasPartialRequest: Bool {
        progress != .awaitingRequest
    }
}
