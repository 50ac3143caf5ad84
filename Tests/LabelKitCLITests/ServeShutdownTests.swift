import Foundation
import LabelKitFrames
import Testing

/// `labelkit serve` as an operator runs it: SIGTERM drains the requests in
/// flight, refuses new connections, checkpoints its SQLite file and exits 0;
/// `/readyz` and `/metrics` answer.
@Suite("Serve shutdown and operations routes")
struct ServeShutdownTests {
    /// One HTTP/1.1 request written by hand, so its body can arrive in parts.
    final class Client {
        let socket: Int32

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard socket >= 0, result == 0 else {
                close(socket)
                throw CLIError("connect: errno \(errno)")
            }
        }

        deinit { close(socket) }

        func send(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else { return }
                offset += sent
            }
        }

        /// Everything the server sends until it closes the connection or `timeout` passes.
        func receiveAll(timeout: Double) -> String {
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                out += buffer[0..<count]
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func frames(_ range: Range<Int>) -> [UInt8] {
        Array(("[" + range.map { #"{"id":"f\#($0)","context_id":"c"}"# }.joined(separator: ",") + "]").utf8)
    }

    @Test("SIGTERM: requests in flight finish, new connections are refused, the file is checkpointed, exit 0")
    func drains() throws {
        let server = try ServeProcess(["--shutdown-timeout", "60"])
        // Four imports whose bodies are half sent when SIGTERM arrives.
        let bodies = (0..<4).map { Self.frames($0 * 100..<($0 + 1) * 100) }
        let clients = try bodies.map { body -> Client in
            let client = try Client(port: server.port)
            client.send(
                Array(
                    "POST /frames/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                        .utf8))
            client.send(Array(body.prefix(body.count / 2)))
            return client
        }
        // The server has read the headers long before this (the requests are in flight).
        Thread.sleep(forTimeInterval: 1)
        kill(server.process.processIdentifier, SIGTERM)
        // New connections are refused once the listener is closed.
        var refused = false
        for _ in 0..<100 where !refused {
            Thread.sleep(forTimeInterval: 0.05)
            refused = (try? Client(port: server.port)) == nil
        }
        #expect(refused, "the listener still accepts after SIGTERM")
        #expect(server.process.isRunning, "the server quit with requests in flight")
        for (client, body) in zip(clients, bodies) { client.send(Array(body.dropFirst(body.count / 2))) }
        for client in clients {
            let answer = client.receiveAll(timeout: 30)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
            #expect(answer.contains(#"{"imported":100}"#), "\(answer.suffix(200))")
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        // Checkpointed: the write-ahead log is empty, and the file holds all 400 frames.
        let wal = (try? FileManager.default.attributesOfItem(atPath: server.database + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "WAL still holds \(wal) bytes")
        #expect(try FrameStore(path: server.database).frameCount() == 400)
    }

    @Test("/readyz answers ready; /metrics is Prometheus text with per-route counts and latency")
    func operationsRoutes() throws {
        let server = try ServeProcess()
        func get(_ path: String) throws -> String {
            let client = try Client(port: server.port)
            client.send(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
            return client.receiveAll(timeout: 30)
        }
        #expect(try get("/readyz").contains(#"{"status":"ready"}"#))
        _ = try get("/healthz")
        _ = try get("/no/such/route")
        let metrics = try get("/metrics")
        #expect(metrics.hasPrefix("HTTP/1.1 200"))
        #expect(
            metrics.contains("Content-Type: text/plain; version=0.0.4")
                || metrics.contains("content-type: text/plain; version=0.0.4"))
        #expect(metrics.contains(#"labelkit_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
        #expect(metrics.contains(#"labelkit_http_requests_total{route="NotFound",method="GET",status="404"} 1"#))
        #expect(metrics.contains(#"labelkit_http_request_duration_seconds_bucket{route="/readyz",le="+Inf"} 1"#))
        #expect(metrics.contains(#"labelkit_work_pool_queued_jobs{pool="io"}"#))
    }

    @Test("every serve option also comes from LABELKIT_<NAME>; the command line wins")
    func environmentOptions() throws {
        let dir = try TempDir()
        let base = ["serve", "--root", dir.url.path, "--db", dir.path("env.sqlite")]
        // An out-of-range value from the environment is refused like the flag would be.
        let fromEnvironment = try CLI.run(base, environment: ["LABELKIT_MAX_BODY_MB": "0"])
        #expect(fromEnvironment.status == 2)
        #expect(fromEnvironment.stderrText.contains("--max-body-mb"), "\(fromEnvironment.stderrText)")
        // The command line wins over the environment.
        let overridden = try CLI.run(base + ["--max-body-mb", "0"], environment: ["LABELKIT_MAX_BODY_MB": "32"])
        #expect(overridden.status == 2)
        // A flag from the environment, and a value that is not a postgres:// URL.
        let frames = try CLI.run(
            base, environment: ["LABELKIT_FRAMES_DB": "frames.sqlite", "LABELKIT_STRICT_CONFINED": "1"])
        #expect(frames.status == 2)
        #expect(frames.stderrText.contains("--frames-db takes a postgres:// URL"), "\(frames.stderrText)")
    }
}
