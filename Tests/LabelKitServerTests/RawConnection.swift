import Foundation

/// A plain TCP connection to the service on loopback, for what an HTTP client
/// library hides: forged headers, bodies that never end, idle sockets, and
/// noticing that the server closed the connection.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw RawError("connect: errno \(errno)")
        }
    }

    deinit { close(socket) }

    /// Sends all of `bytes`; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Sends text.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Bytes received within `timeout` seconds (stops early at end of stream or
    /// when `until` says the answer is complete); `closed` is true when the server
    /// closed the connection.
    func receive(timeout: Double, until complete: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (out, true) }
            out += buffer[0..<count]
            if complete(out) { return (out, false) }
        }
        return (out, false)
    }

    /// One HTTP/1.1 response: status, headers (lower-cased names) and body
    /// (by Content-Length), read within `timeout` seconds.
    func response(timeout: Double = 10) -> (status: Int, headers: [String: String], body: [UInt8])? {
        let (bytes, _) = receive(timeout: timeout) { bytes in Self.parse(bytes) != nil }
        return Self.parse(bytes)
    }

    /// Sends a GET and reads its response.
    func get(_ path: String, headers: [String: String] = [:], timeout: Double = 10) -> (status: Int, headers: [String: String], body: [UInt8])? {
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        send(text + "\r\n")
        return response(timeout: timeout)
    }

    /// True once the server has closed the connection (within `timeout` seconds).
    func waitForClose(timeout: Double) -> Bool {
        receive(timeout: timeout).closed
    }

    static func parse(_ bytes: [UInt8]) -> (status: Int, headers: [String: String], body: [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else {
            return nil
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.count >= 12, let status = Int(statusLine.dropFirst(9).prefix(3)) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let body = Array(bytes[(end + 4)...])
        guard body.count >= length else { return nil }
        return (status, headers, Array(body.prefix(length)))
    }
}

struct RawError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking socket work on a thread of its own, so it never holds one of
/// the cooperative pool's threads (which the in-process server needs too).
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}

extension RawConnection {
    /// A GET on a new connection: its status (0 when none came) and its time in milliseconds.
    static func timedGet(port: Int, _ path: String, headers: [String: String] = [:], timeout: Double = 30) async throws
        -> (status: Int, ms: Double, body: [UInt8])
    {
        try await blocking {
            let start = Date()
            let answer = try RawConnection(port: port).get(path, headers: headers, timeout: timeout)
            return (answer?.status ?? 0, Date().timeIntervalSince(start) * 1000, answer?.body ?? [])
        }
    }
}
