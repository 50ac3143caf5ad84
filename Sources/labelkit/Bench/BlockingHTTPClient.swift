import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection over a plain socket, each call waiting on
/// the calling thread: what `bench frames --url` needs to time a request from
/// the moment it is written to the moment its body has arrived, with no client
/// library's threads or pools in between.
final class BlockingHTTPClient {
    private let host: String
    private let port: Int
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []

    /// The error of a connection or an answer that is not HTTP.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A client for `url` (`http://host:port`); it connects on the first request.
    init(url: String) throws {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else {
            throw Failure(description: "\(url) is not an http://host:port URL")
        }
        self.host = host == "localhost" ? "127.0.0.1" : host
        port = parsed.port ?? 80
    }

    deinit { if socket >= 0 { close(socket) } }

    /// Sends one request and returns the status and body. A connection the
    /// server closed is opened again once.
    func request(_ method: String, _ path: String, body: [UInt8] = [], headers: [String: String] = [:]) throws
        -> (status: Int, body: [UInt8])
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: \(body.count)\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let message = Array((head + "\r\n").utf8) + body
        for attempt in 0..<2 {
            if socket < 0 { try connect() }
            if send(message), let answer = try receive() { return answer }
            disconnect()
            if attempt == 1 { break }
        }
        throw Failure(description: "\(method) \(path): the connection to \(host):\(port) closed")
    }

    private func connect() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, result == 0 else {
            if fd >= 0 { close(fd) }
            throw Failure(description: "cannot connect to \(host):\(port) (errno \(errno))")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
        buffer.removeAll(keepingCapacity: true)
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Reads more bytes into the buffer; false when the server closed.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[0..<count]
        return true
    }

    /// One response (headers with Content-Length, then the body); nil when the
    /// server closed before any of it arrived.
    private func receive() throws -> (status: Int, body: [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if buffer.count >= 4 {
                headerEnd = (0...(buffer.count - 4)).first { buffer[$0..<($0 + 4)].elementsEqual(separator) }
            }
            if headerEnd == nil, !fill() {
                if buffer.isEmpty { return nil }
                throw Failure(description: "the server closed inside a response")
            }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { throw Failure(description: "not an HTTP/1.1 response: \(head.prefix(80))") }
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + length {
            guard fill() else { throw Failure(description: "the server closed inside a response body") }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeSubrange(0..<(bodyStart + length))
        if lines.contains(where: { $0.lowercased() == "connection: close" }) { disconnect() }
        return (status, body)
    }
}
