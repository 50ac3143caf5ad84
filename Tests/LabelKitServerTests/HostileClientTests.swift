import Foundation
import Hummingbird
import HummingbirdTesting
import LabelKitImaging
import Testing

@testable import LabelKitServer

/// Each way a hostile client once stalled the service, held its memory or
/// reached a route it should not, replayed over real sockets.
@Suite("Hostile clients")
struct HostileClientTests {
    static let id = ServerFixture.validatorID

    /// `count` rectangles over the whole 1000x1000 validator image.
    static func fullImageRectangles(_ count: Int) -> String {
        let regions = (0..<count).map { i in
            #"{"id": "r\#(i)", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": 1000, "original_height": 1000, "value": {"x": 0, "y": 0, "width": 100, "height": 100, "rotation": 0, "rectanglelabels": ["l\#(i % 7)"]}}"#
        }
        return "[" + regions.joined(separator: ",") + "]"
    }

    /// `count` ellipses of radius 1e9 % (far past the image on every side).
    static func hugeEllipses(_ count: Int) -> String {
        let regions = (0..<count).map { i in
            #"{"id": "e\#(i)", "type": "ellipselabels", "original_width": 1000, "original_height": 1000, "value": {"x": 50, "y": 50, "radiusX": 1e9, "radiusY": 1e9, "rotation": 0, "ellipselabels": ["big"]}}"#
        }
        return "[" + regions.joined(separator: ",") + "]"
    }

    /// Milliseconds `body` takes.
    static func ms(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    @Test("with a token, every POST needs it: annotations and frame routes answer 401 without; images need it too")
    func stateChangingRoutesNeedTheToken() async throws {
        let fixture = try ServerFixture { $0.token = "s3cret" }
        defer { fixture.remove() }
        try await fixture.live { client in
            let bearer: HTTPFields = [.authorization: "Bearer s3cret"]
            for path in ["/annotations", "/frames/import", "/frames/tasks", "/frames/tasks/t/next"] {
                let refused = try await client.post(path, "[]")
                #expect(refused.status == 401, "\(path)")
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(path)")
                let wrong = try await client.post(path, "[]", headers: [.authorization: "Bearer nope"])
                #expect(wrong.status == 401, "\(path)")
            }
            let stored = try await client.post("/annotations", ServiceRouteTests.annotation, headers: bearer)
            #expect(stored.status == 201)
            #expect(try await client.call("/healthz", .get).status == 200)
            #expect(try await client.call("/iiif/3/\(Self.id)/info.json", .get).status == 401)
            #expect(try await client.call("/iiif/3/\(Self.id)/info.json", .get, headers: bearer).status == 200)
        }
    }

    @Test("an overlay over more regions than --max-overlay-regions is refused with 422 naming the limit")
    func overlayRegionCap() async throws {
        let fixture = try ServerFixture { $0.maxOverlayRegions = 5 }
        defer { fixture.remove() }
        try await fixture.live { client in
            #expect(try await client.post("/annotations", Self.fullImageRectangles(5)).status == 201)
            let refused = try await client.post("/annotations", Self.fullImageRectangles(6))
            #expect(refused.status == 422)
            #expect(String(decoding: refused.bytes, as: UTF8.self).contains("--max-overlay-regions"))
            // A file under the root is checked when it is drawn.
            try Self.fullImageRectangles(6).write(
                to: fixture.images.appendingPathComponent("many.json"), atomically: true, encoding: .utf8)
            let drawn = try await client.call("/iiif/3/\(Self.id)/full/100,/0/default.jpg?overlay=many.json", .get)
            #expect(drawn.status == 422)
        }
    }

    @Test(
        "heavy overlays (200 full-image rectangles, 10,000 ellipses of radius 1e9) render in bounded time while /healthz answers",
        .disabled(if: ThreadSanitizerRun.isActive, ThreadSanitizerRun.latencyBound)
    )
    func heavyOverlaysDoNotStall() async throws {
        let fixture = try ServerFixture { $0.renderTimeoutSeconds = 300 }
        defer { fixture.remove() }
        try await fixture.live { client in
            let rectangles =
                try await client.post("/annotations", Self.fullImageRectangles(200)).object["id"] as? String ?? ""
            let ellipses =
                try await client.post("/annotations", Self.hugeEllipses(10_000)).object["id"] as? String ?? ""
            let renders = [
                "/iiif/3/\(Self.id)/full/^2000,/0/default.jpg?overlay=\(rectangles)",
                "/iiif/3/\(Self.id)/full/^2000,/0/default.png?overlay=\(rectangles)",
                "/thumb/\(Self.id)?w=1200&h=1200&fit=force&overlay=\(ellipses)",
            ]
            let port = try #require(client.port)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Int.self) { group in
                for uri in renders {
                    group.addTask { try await RawConnection.timedGet(port: port, uri, timeout: 300).status }
                }
                // While they render, health checks answer: each in a small part of the renders' time
                // (before the fix they waited for the renders to end), and within seconds.
                var worst = 0.0
                for _ in 0..<10 {
                    let health = try await RawConnection.timedGet(port: port, "/healthz")
                    #expect(health.status == 200)
                    worst = max(worst, health.ms)
                    try await Task.sleep(for: .milliseconds(20))
                }
                for try await status in group { #expect(status == 200) }
                let renderMs = Self.ms(since: start)
                #expect(worst * 4 < renderMs || worst < 500, "slowest /healthz \(worst) ms; renders took \(renderMs) ms")
                #expect(worst < 10_000)
            }
            // The ellipses cover the whole view: the centre shows the top-most one's fill. (A new
            // connection each: the test client's own may have passed the idle timeout meanwhile.)
            let thumb = try await RawConnection.timedGet(
                port: port, "/thumb/\(Self.id)?w=64&h=64&fit=force&fmt=png&overlay=\(ellipses)")
            let image = try ImageCodec.decode(thumb.body)
            let plain = try ImageCodec.decode(
                try await RawConnection.timedGet(port: port, "/thumb/\(Self.id)?w=64&h=64&fit=force&fmt=png").body)
            let colour = OverlayPainter.colour(of: "big")
            let (r, g, b) = plain.rgb(32, 32)
            let expected = [(r, colour.0), (g, colour.1), (b, colour.2)].map { old, new in
                old + ((Int(new) - old) * 90) >> 8
            }
            let got = image.rgb(32, 32)
            #expect([got.0, got.1, got.2] == expected)
        }
    }

    /// Milliseconds since `start`.
    static func ms(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    @Test("a render past --render-timeout is answered 503 naming the limit, and its thread stops")
    func renderDeadline() async throws {
        let fixture = try ServerFixture {
            $0.renderTimeoutSeconds = 0.3
            $0.maxJPEGScans = 100_000
        }
        defer { fixture.remove() }
        try FileManager.default.copyItem(
            at: ServerFixture.fixtures.appendingPathComponent("hostile/scan-bomb-2000.jpg"),
            to: fixture.images.appendingPathComponent("bomb.jpg"))
        try await fixture.live { client in
            var answer: Answer?
            let elapsed = try await Self.ms {
                answer = try await client.call("/iiif/3/bomb/full/max/0/default.jpg", .get)
            }
            let text = String(decoding: answer?.bytes ?? [], as: UTF8.self)
            #expect(answer?.status == 503)
            #expect(text.contains("render_timeout"))
            #expect(elapsed < 30_000)  // loose: the 503 naming render_timeout is the check
            #expect(await Self.poolGoesIdle(fixture.service, within: 3))
        }
    }

    @Test("a client that disconnects cancels its render")
    func disconnectCancelsTheRender() async throws {
        let fixture = try ServerFixture {
            $0.renderTimeoutSeconds = 120
            $0.maxJPEGScans = 100_000
        }
        defer { fixture.remove() }
        try FileManager.default.copyItem(
            at: ServerFixture.fixtures.appendingPathComponent("hostile/scan-bomb-2000.jpg"),
            to: fixture.images.appendingPathComponent("bomb.jpg"))
        try await fixture.live { client in
            let port = try #require(client.port)
            try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("GET /iiif/3/bomb/full/max/0/default.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                // Wait until the render runs, then leave.
                let started = Date()
                while fixture.service.pipeline.renders.pool.load.running == 0, Date().timeIntervalSince(started) < 10 {
                    Thread.sleep(forTimeInterval: 0.02)
                }
                #expect(fixture.service.pipeline.renders.pool.load.running == 1)
            }  // the connection is closed here
            #expect(await Self.poolGoesIdle(fixture.service, within: 3))
        }
    }

    /// True once no render runs (polled every 50 ms).
    static func poolGoesIdle(_ service: LabelKitService, within seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let load = service.pipeline.renders.pool.load
            if load.running == 0 && load.queued == 0 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("a progressive JPEG with more scans than --max-jpeg-scans is refused with 422 naming the limit")
    func scanBomb() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.copyItem(
            at: ServerFixture.fixtures.appendingPathComponent("hostile/scan-bomb-2000.jpg"),
            to: fixture.images.appendingPathComponent("bomb.jpg"))
        try await fixture.live { client in
            for uri in ["/iiif/3/bomb/full/max/0/default.jpg", "/thumb/bomb?w=64", "/dzi/bomb_files/0/0_0.jpg"] {
                let answer = try await client.call(uri, .get)
                #expect(answer.status == 422, "\(uri)")
                #expect(String(decoding: answer.bytes, as: UTF8.self).contains("500"), "\(uri)")
            }
        }
    }

    @Test(
        "renders do not starve health checks or cached tiles",
        .disabled(if: ThreadSanitizerRun.isActive, ThreadSanitizerRun.latencyBound))
    func rendersDoNotStarveOthers() async throws {
        let fixture = try ServerFixture {
            $0.maxConcurrentRenders = 64
            $0.renderTimeoutSeconds = 300
        }
        defer { fixture.remove() }
        try await fixture.live { client in
            let port = try #require(client.port)
            let tile = "/dzi/\(Self.id)_files/8/0_0.jpg"
            #expect(try await RawConnection.timedGet(port: port, tile).status == 200)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for size in 0..<8 {
                    group.addTask {
                        let answer = try await RawConnection.timedGet(
                            port: port, "/iiif/3/\(Self.id)/full/%5E\(1100 + size),/0/default.png", timeout: 300)
                        #expect(answer.status == 200)
                    }
                }
                try await Task.sleep(for: .milliseconds(100))
                var worst = 0.0
                for _ in 0..<10 {
                    for path in ["/healthz", tile] {
                        let answer = try await RawConnection.timedGet(port: port, path)
                        #expect(answer.status == 200)
                        worst = max(worst, answer.ms)
                    }
                }
                try await group.waitForAll()
                let renderMs = Self.ms(since: start)
                #expect(worst * 4 < renderMs || worst < 500, "slowest probe \(worst) ms; renders took \(renderMs) ms")
                #expect(worst < 10_000)
            }
        }
    }

    @Test("an idle connection is closed after --idle-timeout; past the caps the longest-idle one makes room")
    func idleTimeoutAndConnectionCaps() async throws {
        let fixture = try ServerFixture {
            $0.connections.idleTimeoutSeconds = 0.5
            $0.connections.maxPerClient = 4
            $0.connections.maxConnections = 6
        }
        defer { fixture.remove() }
        try await fixture.live { client in
            let port = try #require(client.port)
            try await blocking {
                let idle = try RawConnection(port: port)
                #expect(idle.waitForClose(timeout: 3))
                // Four idle connections fill this client's share; a fifth still gets its answer.
                let sockets = try (0..<4).map { _ in try RawConnection(port: port) }
                Thread.sleep(forTimeInterval: 0.1)
                let fifth = try RawConnection(port: port)
                #expect(fifth.get("/healthz")?.status == 200)
                #expect(sockets[0].waitForClose(timeout: 2))
                // Connections in the middle of a request are not displaced: with four of them busy, a fifth is refused.
                let busy = try (0..<4).map { _ in try RawConnection(port: port) }
                for connection in busy {
                    connection.send("POST /annotations HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
                }
                Thread.sleep(forTimeInterval: 0.1)
                let refused = try RawConnection(port: port)
                #expect(refused.waitForClose(timeout: 2))
                #expect(fixture.service.connections.counts.refused >= 1)
                _ = (sockets, fifth, busy)
            }
        }
    }

    @Test("a request refused for its size (413) closes the connection while the client is still sending")
    func oversizedBodyClosesTheConnection() async throws {
        let fixture = try ServerFixture {
            $0.maxBodyBytes = 1 << 20
            $0.offload.maxBodyBytes = 1 << 20
        }
        defer { fixture.remove() }
        try await fixture.live { client in
            let port = try #require(client.port)
            try await blocking { try Self.oversizedBodies(port: port) }
        }
    }

    static func oversizedBodies(port: Int) throws {
        for path in ["/annotations", "/frames/import", "/v1/rasterize"] {
            // Announced too large: refused before reading.
            let announced = try RawConnection(port: port)
            announced.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n")
            announced.send([UInt8](repeating: 0x20, count: 65_536))
            #expect(announced.response()?.status == 413, "\(path)")
            #expect(announced.waitForClose(timeout: 2), "\(path)")
            // Chunked, found too large while reading.
            let chunked = try RawConnection(port: port)
            chunked.send("POST \(path) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = "10000\r\n" + String(repeating: " ", count: 65_536) + "\r\n"
            for _ in 0..<40 where chunked.send(chunk) {}
            let answer = chunked.response()
            #expect(answer?.status == 413, "\(path)")
            #expect(chunked.waitForClose(timeout: 4), "\(path)")
        }
    }

    @Test("an overlay naming a FIFO is a 404, not a stuck reader")
    func fifoOverlay() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let fifo = fixture.images.appendingPathComponent("pipe.json").path
        #expect(mkfifo(fifo, 0o644) == 0)
        try await fixture.live { client in
            let image = try await client.call("/iiif/3/\(Self.id)/full/64,/0/default.jpg?overlay=pipe.json", .get)
            let viewer = try await client.call("/view/\(Self.id)?overlay=pipe.json", .get)
            #expect(image.status == 404 && viewer.status == 404)
        }
    }

    @Test("Host, X-Forwarded-Host and X-Forwarded-Proto are checked before they reach info.json; --public-url wins")
    func forwardedHeaders() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let port = try #require(client.port)
            try await blocking { try Self.checkForwardedHeaders(port: port) }
        }
        let publicService = try ServerFixture { $0.publicBaseURL = "https://iiif.example.org/base" }
        defer { publicService.remove() }
        try await publicService.live { client in
            let port = try #require(client.port)
            let answer = try await RawConnection.timedGet(
                port: port, "/iiif/3/\(Self.id)/info.json", headers: ["X-Forwarded-Host": "evil.example"])
            let id = (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["id"] as? String
            #expect(id == "https://iiif.example.org/base/iiif/3/\(Self.id)")
        }
    }

    static func checkForwardedHeaders(port: Int) throws {
        let path = "/iiif/3/\(Self.id)/info.json"
        for (name, value) in [
            ("X-Forwarded-Host", "evil.example\"><script>"), ("X-Forwarded-Host", "a b"),
            ("X-Forwarded-Proto", "javascript"),
            ("X-Forwarded-Host", "host:99999"), ("X-Forwarded-Host", "-bad.example"),
        ] {
            let answer = try RawConnection(port: port).get(path, headers: [name: value])
            #expect(answer?.status == 400, "\(name): \(value)")
        }
        let good = try RawConnection(port: port).get(
            path, headers: ["X-Forwarded-Host": "images.example.org:8443", "X-Forwarded-Proto": "https"])
        #expect(good?.status == 200)
        let id = (try JSONSerialization.jsonObject(with: Data(good?.body ?? [])) as? [String: Any])?["id"] as? String
        #expect(id == "https://images.example.org:8443/iiif/3/\(Self.id)")
        let v6 = try RawConnection(port: port).get(path, headers: ["X-Forwarded-Host": "[::1]:8080"])
        #expect(v6?.status == 200)
    }

    @Test("error bodies echo at most 512 bytes of what the client sent")
    func errorBodiesAreCut() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let long = String(repeating: "a", count: 10_000)
            for uri in [
                "/iiif/3/\(long)/info.json", "/thumb/\(long)?w=10", "/iiif/3/\(Self.id)/full/\(long)/0/default.jpg",
            ] {
                let answer = try await client.call(uri, .get)
                #expect(
                    answer.status >= 400 && answer.bytes.count < 1_024, "\(answer.status) \(answer.bytes.count) bytes")
            }
            let problem = try await client.post("/v1/rasterize?\(String(repeating: "b", count: 5_000))=1", "{}")
            #expect(problem.status >= 400 && problem.bytes.count < 1_024)
        }
    }

    @Test("a frame filter comparing with a non-finite number is refused with 422 naming the condition")
    func nonFiniteWhere() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            for condition in ["speed>=1e400", "speed<NaN", "speed>-inf"] {
                let answer = try await client.post("/frames/tasks", "{\"where\": [\"\(condition)\"]}")
                let text = String(decoding: answer.bytes, as: UTF8.self)
                #expect(answer.status == 422, "\(condition)")
                #expect(text.contains(condition), "\(text)")
            }
        }
    }

    @Test("invalid UTF-8 in a JSON body is 400")
    func invalidUTF8() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let body: [UInt8] =
                Array(#"[{"id": "a"#.utf8) + [0xFF, 0xFE] + Array(#"", "type": "rectanglelabels"}]"#.utf8)
            for path in ["/annotations", "/v1/rasterize", "/frames/tasks"] {
                let answer = try await client.post(path, body)
                #expect(answer.status == 400, "\(path)")
            }
        }
    }
}
