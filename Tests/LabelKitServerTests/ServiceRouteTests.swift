import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabelKitImaging
import Synchronization
import Testing

@testable import LabelKitServer

/// Every route of the service over a real socket: tiles, thumbnails,
/// overlays, the viewer, cache behaviour (ETags, 304, eviction, single
/// flight), limits (source pixels, body size, concurrent renders) and
/// identifiers that try to leave the root.
@Suite("Service routes")
struct ServiceRouteTests {
    static let id = ServerFixture.validatorID

    /// A rectangle over squares (1...3, 1...2) of the validator image.
    static let annotation = #"""
        [{"id": "r1", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
          "original_width": 1000, "original_height": 1000,
          "value": {"x": 10, "y": 10, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": ["car"]}}]
        """#

    @Test("Deep Zoom, XYZ, thumbnails, viewer, health; HEAD and CORS preflight")
    func routes() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.json["status"] as? String == "ok") }
            try await client.execute(uri: "/dzi/\(Self.id).dzi", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("TileSize=\"254\"") && text.contains("Overlap=\"1\"") && text.contains("Width=\"1000\""))
            }
            // Level 10 (full size) column 1: x 253..<509 (spec example), row 0: y 0..<255.
            try await client.execute(uri: "/dzi/\(Self.id)_files/10/1_0.jpg", method: .get) { response in
                let image = try response.image()
                #expect((image.width, image.height) == (256, 255))
            }
            try await client.execute(uri: "/dzi/\(Self.id)_files/8/0_0.jpg", method: .get) { response in
                let image = try response.image()
                #expect(image.width == 250)
            }
            try await client.execute(uri: "/dzi/\(Self.id)_files/10/9_9.jpg", method: .get) { #expect($0.status == .notFound) }
            // XYZ: zmax = ceil(log2(1000 / 256)) = 2; z 2 tile (3, 0) is 1000 - 768 = 232 wide.
            try await client.execute(uri: "/xyz/\(Self.id)/2/3/0.png", method: .get) { response in
                let image = try response.image()
                #expect((image.width, image.height) == (232, 256))
            }
            try await client.execute(uri: "/xyz/\(Self.id)/0/0/0.png", method: .get) { response in
                let image = try response.image()
                #expect((image.width, image.height) == (250, 250))
            }
            try await client.execute(uri: "/xyz/\(Self.id)/2/4/0.png", method: .get) { #expect($0.status == .notFound) }
            for (query, size) in [("w=100", (100, 100)), ("w=100&h=50&fit=fill", (100, 50)), ("w=100&h=50&fit=force", (100, 50))] {
                try await client.execute(uri: "/thumb/\(Self.id)?\(query)", method: .get) { response in
                    let image = try response.image()
                    #expect((image.width, image.height) == size, "\(query)")
                }
            }
            try await client.execute(uri: "/thumb/\(Self.id)?w=64&fmt=png", method: .get) {
                #expect($0.headers[.contentType] == "image/png")
            }
            for bad in ["", "w=0", "w=abc", "w=10&fit=stretch", "w=10&fmt=gif", "w=10&q=0"] {
                try await client.execute(uri: "/thumb/\(Self.id)?\(bad)", method: .get) { #expect($0.status == .badRequest, "\(bad)") }
            }
            try await client.execute(uri: "/view/\(Self.id)", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("\"\(Self.id)\""))
            }
            try await client.execute(uri: "/dzi/\(Self.id)_files/9/0_0.jpg", method: .head) { response in
                #expect(response.status == .ok && response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/iiif/3/\(Self.id)/info.json", method: .options) { response in
                #expect(response.status == .noContent && response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.accessControlAllowMethods]?.contains("GET") == true)
            }
        }
    }

    @Test("a posted annotation is drawn over tiles, thumbnails and IIIF images; bad ones are refused")
    func overlays() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let id = try await client.execute(uri: "/annotations", method: .post, body: ByteBuffer(string: Self.annotation)) { response in
                #expect(response.status == .created)
                return response.json["id"] as? String ?? ""
            }
            let plainURI = "/iiif/3/\(Self.id)/full/200,/0/default.png"
            let plain = try await client.execute(uri: plainURI, method: .get) { try $0.image() }
            let drawn = try await client.execute(uri: plainURI + "?overlay=\(id)", method: .get) { try $0.image() }
            // Inside the rectangle (200 px view: x 20...80, y 20...60) the overlay changes pixels; outside it does not.
            #expect(plain.rgb(50, 40) != drawn.rgb(50, 40))
            #expect(plain.rgb(150, 150) == drawn.rgb(150, 150))
            let tile = try await client.execute(uri: "/dzi/\(Self.id)_files/9/0_0.jpg?overlay=\(id)", method: .get) { $0.status }
            #expect(tile == .ok)
            let thumb = try await client.execute(uri: "/thumb/\(Self.id)?w=100&overlay=\(id)", method: .get) { $0.status }
            #expect(thumb == .ok)
            try await client.execute(uri: plainURI + "?overlay=missing", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/annotations", method: .post, body: ByteBuffer(string: "{\"result\": 3}")) {
                #expect($0.status == .unprocessableContent)
            }
        }
    }

    @Test("ETags: If-None-Match gives 304 without a body, also after eviction; identical concurrent requests render once")
    func etagsAndSingleFlight() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let service = fixture.service
        try await fixture.live { client in
            let uri = "/iiif/3/\(Self.id)/full/300,/0/default.jpg"
            let etag = try await client.execute(uri: uri, method: .get) { response in
                #expect(response.headers[.cacheControl]?.contains("max-age") == true)
                return response.headers[.eTag] ?? ""
            }
            #expect(etag.hasPrefix("\"") && etag.count > 10)
            try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified && response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
            }
            try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: "\"other\""]) { #expect($0.status == .ok) }
            let before = service.pipeline.renderCount.load(ordering: .relaxed)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.execute(uri: "/iiif/3/\(Self.id)/full/%5E1500,/90/default.png", method: .get) {
                            Int($0.status.code)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 })
            #expect(service.pipeline.renderCount.load(ordering: .relaxed) - before == 1)
        }
    }

    @Test("a Deep Zoom tile asked for again after its source was replaced is the new source's")
    func tileAfterReplacement() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let source = fixture.images.appendingPathComponent("\(Self.id).png")
        try await fixture.live { client in
            let uri = "/dzi/\(Self.id)_files/8/0_0.jpg"
            let first = try await client.execute(uri: uri, method: .get) { $0.bytes }
            // Answered again from the remembered cache entry: the same bytes.
            #expect(try await client.execute(uri: uri, method: .get) { $0.bytes } == first)
            // Another image renamed over the source: a new file, so a new tile.
            let other = fixture.images.appendingPathComponent("other.tmp")
            try FileManager.default.copyItem(
                at: ServerFixture.fixtures.appendingPathComponent("imaging/quality/alpha_480x320.png"), to: other)
            #expect(rename(other.path, source.path) == 0)
            let replaced = try await client.execute(uri: uri, method: .get) { $0.bytes }
            #expect(replaced != first)
            // The same tile asked with a query string (never remembered) is the same.
            #expect(try await client.execute(uri: uri + "?fresh=1", method: .get) { $0.bytes } == replaced)
        }
    }

    @Test("a tile URL answered before is answered from memory before routing: same bytes and headers, counted under its route, 304 on its ETag, HEAD unchanged")
    func knownTile() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let service = fixture.service
        try await fixture.live { client in
            let uri = "/dzi/\(Self.id)_files/9/1_1.jpg"
            let first = try await client.execute(uri: uri, method: .get) { $0 }
            let renders = service.pipeline.renderCount.load(ordering: .relaxed)
            #expect(service.pipeline.tileKeys.lookup(ExactKey(uri)) != nil)
            for _ in 0..<3 {
                let again = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(again.status == .ok && again.body == first.body)
                let names: [HTTPField.Name] = [.eTag, .cacheControl, .contentType, HTTPField.Name("Access-Control-Allow-Origin")!]
                for name in names {
                    #expect(again.headers[name] == first.headers[name], "\(name)")
                }
            }
            #expect(service.pipeline.renderCount.load(ordering: .relaxed) == renders)
            let etag = try #require(first.headers[.eTag])
            try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { #expect($0.status == .notModified) }
            try await client.execute(uri: uri, method: .head) { response in
                #expect(response.status == .ok && response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
            }
            // Four GETs and the 304 are counted under the Deep Zoom tile route, none as NotFound.
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            let line = metrics.split(separator: "\n").first {
                $0.hasPrefix("labelkit_http_requests_total") && $0.contains("route=\"/dzi/{name}/{level}/{tile}\"")
                    && $0.contains("method=\"GET\"") && $0.contains("status=\"200\"")
            }
            #expect(line?.hasSuffix(" 4") == true, "\(line ?? "no line")")
            #expect(!metrics.contains("route=\"NotFound\",method=\"GET\",status=\"200\""))
        }
    }

    @Test("a tile URL answered before still needs the credential when the service has a token")
    func knownTileNeedsCredential() async throws {
        let fixture = try ServerFixture { $0.token = "an operator token" }
        defer { fixture.remove() }
        try await fixture.live { client in
            let uri = "/dzi/\(Self.id)_files/9/0_0.jpg"
            let authorized: HTTPFields = [.authorization: "Bearer an operator token"]
            let first = try await client.execute(uri: uri, method: .get, headers: authorized) { $0 }
            #expect(first.status == .ok)
            #expect(first.headers[.cacheControl] == "private, max-age=86400")
            try await client.execute(uri: uri, method: .get) { #expect($0.status == .unauthorized) }
            let again = try await client.execute(uri: uri, method: .get, headers: authorized) { $0 }
            #expect(again.status == .ok && again.body == first.body)
            #expect(again.headers[.cacheControl] == "private, max-age=86400")
        }
    }

    @Test("the render cache stays within its byte budget, evicting the least recently used")
    func eviction() async throws {
        let fixture = try ServerFixture { $0.cacheBudgetBytes = 1_500_000 }
        defer { fixture.remove() }
        // Noise compresses badly: an N x N PNG is about 3 N^2 bytes.
        try Data(try ImageCodec.encode(NoiseImage.make(width: 400, height: 400), as: .png))
            .write(to: fixture.images.appendingPathComponent("noise.png"))
        let cache = fixture.service.pipeline.cache
        try await fixture.live { client in
            for side in stride(from: 100, through: 300, by: 10) {
                try await client.execute(uri: "/iiif/3/noise/full/\(side),/0/default.png", method: .get) {
                    #expect($0.status == .ok)
                }
                #expect(cache.totalBytes <= 1_500_000)
            }
            // The latest renders are cached (a hit needs no render), the first ones were evicted.
            let renders = fixture.service.pipeline.renderCount.load(ordering: .relaxed)
            try await client.execute(uri: "/iiif/3/noise/full/300,/0/default.png", method: .get) { #expect($0.status == .ok) }
            #expect(fixture.service.pipeline.renderCount.load(ordering: .relaxed) == renders)
            try await client.execute(uri: "/iiif/3/noise/full/100,/0/default.png", method: .get) { #expect($0.status == .ok) }
            #expect(fixture.service.pipeline.renderCount.load(ordering: .relaxed) == renders + 1)
        }
        let count = try cache.count()
        #expect(count >= 1 && count < 21, "\(count) entries")
    }

    @Test("identifiers that try to leave the root are refused, whatever the route")
    func pathEscapes() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let fm = FileManager.default
        // A secret image next to the root, a symlink to it inside, a symlink to the parent folder, a hidden file.
        let secret = fixture.root.appendingPathComponent("secret.png")
        try fm.copyItem(at: fixture.images.appendingPathComponent("\(Self.id).png"), to: secret)
        try fm.createSymbolicLink(atPath: fixture.images.appendingPathComponent("link-out.png").path, withDestinationPath: secret.path)
        try fm.createSymbolicLink(atPath: fixture.images.appendingPathComponent("up").path, withDestinationPath: fixture.root.path)
        try fm.copyItem(at: secret, to: fixture.images.appendingPathComponent(".hidden.png"))
        try Data("{}".utf8).write(to: fixture.root.appendingPathComponent("secret.json"))
        let identifiers = [
            "..%2Fsecret", "..%2Fsecret.png", "%2E%2E%2Fsecret", "%2e%2e%2fsecret.png", "images%2F..%2F..%2Fsecret",
            "%2Fetc%2Fpasswd", "..%5Csecret", "....%2F%2Fsecret", ".%2F..%2Fsecret", "%252E%252E%252Fsecret", "link-out",
            "link-out.png", "up%2Fsecret", "up%2Fimages%2F..%2Fsecret", "%00secret", "secret%00.png", ".hidden", "..",
            "%2E%2E", "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%C0%AE%C0%AE%2Fsecret", "%2F%2Fsecret", "~%2F..%2Fsecret",
        ]
        #expect(identifiers.count >= 20)
        try await fixture.live { client in
            for id in identifiers {
                for uri in [
                    "/iiif/3/\(id)/info.json", "/iiif/3/\(id)/full/max/0/default.png", "/dzi/\(id).dzi",
                    "/dzi/\(id)_files/0/0_0.jpg", "/xyz/\(id)/0/0/0.png", "/thumb/\(id)?w=10", "/view/\(id)",
                ] {
                    try await client.execute(uri: uri, method: .get) { response in
                        #expect([400, 404].contains(response.status.code), "\(uri) -> \(response.status)")
                        #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                    }
                }
            }
            for overlay in ["..%2Fsecret.json", "%2E%2E%2Fsecret.json", "up%2Fsecret.json", "%2Fetc%2Fpasswd.json"] {
                try await client.execute(uri: "/thumb/\(Self.id)?w=10&overlay=\(overlay)", method: .get) { response in
                    #expect([400, 404].contains(response.status.code), "\(overlay) -> \(response.status)")
                }
            }
            // Inside the root everything still works, through a symlink that stays inside too.
            try await client.execute(uri: "/iiif/3/\(Self.id).png/info.json", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("a decompression bomb is refused from its header, without decoding")
    func bomb() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try Data(PNGBomb.bytes(width: 100_000, height: 100_000)).write(to: fixture.images.appendingPathComponent("bomb.png"))
        try await fixture.live { client in
            let start = ContinuousClock.now
            for uri in ["/iiif/3/bomb/info.json", "/iiif/3/bomb/full/max/0/default.jpg", "/thumb/bomb?w=64", "/dzi/bomb.dzi"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .contentTooLarge, "\(uri): \(response.status)")
                    let message = (response.json["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains("100000"), "\(message)")
                }
            }
            // Allocating and decoding 30 GB of pixels would fail or take minutes; the header check is
            // instant. The bound is loose because the whole suite runs in parallel on two cores.
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test(
        "limits: request bodies, concurrent renders (503 with Retry-After)",
        .disabled(if: ThreadSanitizerRun.isActive, ThreadSanitizerRun.slowRenders))
    func limits() async throws {
        let fixture = try ServerFixture {
            $0.maxBodyBytes = 1000
            $0.maxConcurrentRenders = 1
        }
        defer { fixture.remove() }
        // A 2400x1600 noisy image makes each render take a while (long enough to overlap).
        let big = try ImageCodec.encode(NoiseImage.make(width: 2400, height: 1600), as: .png)
        try Data(big).write(to: fixture.images.appendingPathComponent("big.png"))
        try await fixture.live { client in
            let body = ByteBuffer(string: "{\"user\": \"" + String(repeating: "a", count: 2000) + "\"}")
            try await client.execute(uri: "/frames/tasks/x/next", method: .post, body: body) { #expect($0.status == .contentTooLarge) }
            // One connection per request, so the server sees them at once. The read timeout is generous:
            // the whole suite runs in parallel on two cores, and a debug-build render then takes seconds.
            let port = try #require(client.port)
            let responses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<6 {
                    group.addTask {
                        let own = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(120)))
                        own.connect()
                        defer { Task { try? await own.shutdown() } }
                        let response = try await own.get("/iiif/3/big/full/\(1000 + i * 100),/0/default.png")
                        return (Int(response.status.code), response.headers[.retryAfter])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.0 == 200 || ($0.0 == 503 && $0.1 == "1") })
            #expect(responses.contains { $0.0 == 503 })
            #expect(responses.contains { $0.0 == 200 })
        }
    }
}

/// A PNG that claims a huge size: signature, IHDR, an empty IDAT and IEND, each with its CRC.
enum PNGBomb {
    static func bytes(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc32(body))
        }
        let ihdr = be(width) + be(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
            + chunk("IEND", [])
    }

    /// CRC-32 (IEEE, reflected), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Seeded RGB noise (a linear congruential generator).
enum NoiseImage {
    static func make(width: Int, height: Int) -> Image {
        var random: UInt64 = 0x1234_5678
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: random >> 56)
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }
}
