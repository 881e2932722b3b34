import CLinuxIO
import Glibc

/// One client connection, owned by one event loop. It parses requests as bytes arrive, runs
/// them one at a time in arrival order (pipelined requests wait their turn), and writes each
/// response whole with one `send`.
final class Connection {
    let descriptor: Int32
    let remoteAddress: String
    private unowned let loop: EventLoop
    private var parser: HTTPRequestParser

    private var output: [UInt8] = []
    private var outputOffset = 0
    private var requestInFlight = false
    /// The first bytes of a request arrived: `HEADER_TIMEOUT` runs until it is complete.
    private var requestStarted = false
    private var closeAfterOutput = false
    private var peerFinishedSending = false
    /// Our side is shut down; reading on only to drain what the peer still sends before it closes.
    private var lingering = false
    private var registeredEvents: UInt32 = 0
    private var isRegistered = false
    private(set) var isClosed = false
    private(set) var deadline: UInt64

    /// Past this many unread bytes behind a request in progress, reading pauses (backpressure).
    private static let readPauseThreshold = 64 * 1024
    /// How long a closing connection waits for the peer's FIN after our last response.
    private static let lingerNanoseconds: UInt64 = 2_000_000_000

    init(descriptor: Int32, remoteAddress: String, loop: EventLoop) {
        self.descriptor = descriptor
        self.remoteAddress = remoteAddress
        self.loop = loop
        parser = HTTPRequestParser(limits: loop.configuration.limits)
        deadline = loop.now &+ loop.idleTimeout
    }

    /// Nothing received, running or waiting to be written: safe to close at shutdown.
    var isIdle: Bool {
        !requestInFlight && output.isEmpty && !parser.hasPartialRequest
    }

    /// Registers with the loop's epoll; false if the kernel refused.
    func register() -> Bool {
        updateInterest()
        return isRegistered
    }

    func handle(events: UInt32) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            close()
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            flush()
            if !isClosed && output.isEmpty { processRequests() }
        }
        if events & EPOLLIN.rawValue != 0 && !isClosed {
            readAvailable()
        }
    }

    /// Called by the loop's sweep once `deadline` has passed.
    func deadlineExpired() {
        if requestStarted && !lingering && output.isEmpty && !requestInFlight {
            closeAfterOutput = true
            write(loop.application.respond(to: .requestTimeout, request: nil, remoteAddress: remoteAddress), for: nil)
        } else {
            close()
        }
    }

    /// Shutdown: the response in progress (if any) is the last one.
    func finishAfterCurrentRequest() {
        closeAfterOutput = true
        if isIdle { close() }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(descriptor)
        loop.connectionClosed(self)
    }

    // MARK: Reading

    private func readAvailable() {
        let buffer = loop.readBuffer
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
                write(loop.application.respond(to: .malformed(error), request: nil, remoteAddress: remoteAddress), for: nil)
            }
        }
        guard !isClosed else { return }
        if peerFinishedSending && !requestInFlight && output.isEmpty && !lingering {
            close()
            return
        }
        if !requestInFlight && output.isEmpty && !lingering {
            if !parser.hasPartialRequest {
                requestStarted = false
                deadline = loop.now &+ loop.idleTimeout
            } else if !requestStarted {
                requestStarted = true
                deadline = loop.now &+ loop.headerTimeout
            }
        }
        updateInterest()
    }

    // MARK: Running a request

    private func run(_ request: HTTPRequest) {
        requestInFlight = true
        requestStarted = false
        deadline = .max
        let application = loop.application
        let endpoint = application.endpoint(for: request)
        let context = RequestContext(remoteAddress: remoteAddress, parameters: endpoint.parameters, route: endpoint.route)
        switch endpoint.execution {
        case .eventLoop:
            requestInFlight = false
            write(application.respond(to: request, at: endpoint, context: context), for: request)
        case .worker:
            let loop = self.loop
            let accepted = loop.workers.submit {
                let response = application.respond(to: request, at: endpoint, context: context)
                loop.execute { self.finish(response, for: request) }
            }
            if !accepted {
                requestInFlight = false
                write(application.respond(to: .overloaded(), request: request, remoteAddress: remoteAddress), for: request)
            }
        }
    }

    /// A worker's response arrives back on the loop.
    private func finish(_ response: HTTPResponse, for request: HTTPRequest) {
        requestInFlight = false
        guard !isClosed else { return }
        write(response, for: request)
        if !isClosed && output.isEmpty { processRequests() }
    }

    // MARK: Writing

    private func write(_ response: HTTPResponse, for request: HTTPRequest?) {
        let closing = closeAfterOutput || loop.isShuttingDown || !(request?.keepAlive ?? false)
        closeAfterOutput = closing
        HTTPResponseEncoder.encode(
            response,
            bodyOmitted: request?.method == .HEAD,
            closing: closing,
            keepAliveHeader: request?.version == .http1_0,
            date: loop.date.value,
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
                deadline = loop.now &+ loop.idleTimeout
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
        var events: UInt32 = 0
        let backlogged = (requestInFlight || !output.isEmpty) && parser.bufferedByteCount >= Connection.readPauseThreshold
        if !peerFinishedSending && (lingering || !backlogged) {
            events |= EPOLLIN.rawValue
        }
        if !output.isEmpty {
            events |= EPOLLOUT.rawValue
        }
        guard !isRegistered || events != registeredEvents else { return }
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        if epoll_ctl(loop.epoll, isRegistered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, descriptor, &event) == 0 {
            registeredEvents = events
            isRegistered = true
        } else if isRegistered {
            close()
        }
    }
}

private extension HTTPRequestParser {
    /// Some of a request has arrived (the parser consumes head lines as they complete, so
    /// buffered bytes alone do not tell).
    var hasPartialRequest: Bool {
        progress != .awaitingRequest || bufferedByteCount > 0
    }
}
