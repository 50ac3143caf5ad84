import Foundation
import Hummingbird
import HummingbirdTesting
import LabelKitImaging
import Synchronization
import Testing

@testable import LabelKitServer

/// Sources above `--pyramid-above-mp` served from tile stores built once in the background.
@Suite("Tile stores of large sources")
struct PyramidStoreTests {
    /// A smooth 700x500 RGB picture (small JPEG loss), as JPEG quality 95.
    static let source: (image: Image, jpeg: [UInt8]) = {
        let (w, h) = (700, 500)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let o = (y * w + x) * 3
                pixels[o] = UInt8(x * 255 / w)
                pixels[o + 1] = UInt8(y * 255 / h)
                pixels[o + 2] = UInt8(128 + Int(100 * sin(Double(x + y) / 40)))
            }
        }
        let jpeg = try! JPEGCodec.encode(Image(width: w, height: h, channels: 3, pixels: pixels), quality: 95)
        return (try! ImageCodec.decode(jpeg), jpeg)
    }()

    /// A service that serves every source over 10,000 pixels from a tile store in `pyramids`.
    static func fixture(root: String? = nil, pyramids: URL) throws -> ServerFixture {
        try ServerFixture { configuration in
            if let root { configuration.root = root }
            configuration.pyramids.thresholdPixels = 10_000
            configuration.pyramidDirectory = pyramids.path
        }
    }

    /// Polls `/pyramids/{id}` until the build is no longer running.
    static func settled(_ client: any TestClientProtocol, _ id: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let status = try await client.call("/pyramids/\(id)", .get).object
            if status["state"] as? String != "building" { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the build of \(id) did not finish")
        return [:]
    }

    /// Mean absolute difference of two images of one size.
    static func meanDifference(_ a: Image, _ b: Image) -> Double {
        precondition(a.width == b.width && a.height == b.height && a.channels == b.channels)
        var total = 0
        for i in a.pixels.indices { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
        return Double(total) / Double(a.pixels.count)
    }

    @Test("a large source is built once in the background (503 with Retry-After meanwhile); its Deep Zoom tiles are the whole-image builder's bytes, IIIF, XYZ and thumbnails are cut from them")
    func builtOnce() async throws {
        let pyramids = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-pyramids-\(UUID())")
        defer { try? FileManager.default.removeItem(at: pyramids) }
        let fixture = try Self.fixture(pyramids: pyramids)
        defer { fixture.remove() }
        try Data(Self.source.jpeg).write(to: fixture.images.appendingPathComponent("big.jpg"))
        // What `labelkit tiles --layout dzi --optimize-coding` writes for the decoded image (the
        // service's tiles have optimised Huffman tables).
        let expected = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-expected-\(UUID())")
        defer { try? FileManager.default.removeItem(at: expected) }
        try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
        let pyramid = StaticPyramid(layout: .deepZoom, width: 700, height: 500, name: "big")
        try PyramidWriter(pyramid: pyramid, image: Self.source.image, quality: 85, optimizeCoding: true)
            .write(into: expected.path, jobs: 2)

        try await fixture.live { client in
            #expect(try await client.call("/pyramids/big", .get).object["state"] as? String == "not started")
            let first = try await client.call("/dzi/big_files/10/0_0.jpg", .get)
            #expect(first.status == 503)
            #expect(Int(first.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let status = try await Self.settled(client, "big")
            #expect(status["state"] as? String == "ready")
            #expect(status["served_from"] as? String == "tile store")
            #expect(status["tiles_total"] as? Int == pyramid.tiles.count)
            for tile in pyramid.tiles {
                let answer = try await client.call("/dzi/" + tile.path, .get)
                let file = try Data(contentsOf: expected.appendingPathComponent(tile.path))
                #expect(answer.status == 200 && answer.bytes == Array(file), "\(tile.path)")
            }
            let info = try await client.call("/iiif/3/big/info.json", .get).object
            #expect(info["width"] as? Int == 700 && info["height"] as? Int == 500)
            // Regions and sizes: the whole image's render, up to the tiles' JPEG loss.
            let whole = SourceImage(Self.source.image)
            for (uri, x, y, w, h, ow, oh) in [
                ("/iiif/3/big/full/350,/0/default.png", 0, 0, 700, 500, 350, 250),
                ("/iiif/3/big/100,50,300,200/max/0/default.png", 100, 50, 300, 200, 300, 200),
                ("/iiif/3/big/250,100,400,400/100,/0/default.png", 250, 100, 400, 400, 100, 100),
                ("/xyz/big/0/0/0.png", 0, 0, 700, 500, 175, 125),
            ] {
                let answer = try await client.call(uri, .get)
                #expect(answer.status == 200, "\(uri)")
                let image = try ImageCodec.decode(answer.bytes)
                let reference = try whole.render(x: x, y: y, width: w, height: h, outWidth: ow, outHeight: oh)
                #expect(Self.meanDifference(image, reference) < 2.5, "\(uri)")
            }
            let thumb = try ImageCodec.decode(try await client.call("/thumb/big?w=100&fmt=png", .get).bytes)
            #expect(thumb.width == 100 && thumb.height == 71)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: pyramids.path)
        #expect(left.count == 1 && left[0].hasSuffix(".tiles"), "\(left)")

        // The service's own tiles of the source decoded whole are the same bytes.
        let decoded = try ServerFixture { $0.root = fixture.images.path }
        defer { decoded.remove() }
        try await decoded.live { client in
            #expect(try await client.call("/pyramids/big", .get).object["served_from"] as? String == "decoded")
            for tile in pyramid.tiles {
                let file = try Data(contentsOf: expected.appendingPathComponent(tile.path))
                #expect(try await client.call("/dzi/" + tile.path, .get).bytes == Array(file), "\(tile.path)")
            }
        }

        // A restarted service serves the store it finds, without a 503.
        let again = try Self.fixture(root: fixture.images.path, pyramids: pyramids)
        defer { again.remove() }
        try await again.live { client in
            let answer = try await client.call("/dzi/big_files/9/1_0.jpg", .get)
            #expect(answer.status == 200)
            #expect(try await client.call("/pyramids/big", .get).object["state"] as? String == "ready")
        }
    }

    @Test("a source truncated midway fails its build: the requests name the reason and no store is left")
    func truncated() async throws {
        let pyramids = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-pyramids-\(UUID())")
        defer { try? FileManager.default.removeItem(at: pyramids) }
        let fixture = try Self.fixture(pyramids: pyramids)
        defer { fixture.remove() }
        let jpeg = Self.source.jpeg
        try Data(jpeg.prefix(jpeg.count * 6 / 10)).write(to: fixture.images.appendingPathComponent("cut.jpg"))
        try await fixture.live { client in
            #expect(try await client.call("/iiif/3/cut/full/100,/0/default.jpg", .get).status == 503)
            let status = try await Self.settled(client, "cut")
            #expect(status["state"] as? String == "failed")
            let answer = try await client.call("/dzi/cut_files/10/0_0.jpg", .get)
            #expect(answer.status == 422)
            let message = (answer.object["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("cut") && message.contains("pyramid"), "\(message)")
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: pyramids.path)) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test("sources within --max-source-mp that a store cannot keep as they are (rotated, interlaced, with alpha) are decoded whole, without a 503")
    func decodedFallbacks() async throws {
        let pyramids = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-pyramids-\(UUID())")
        defer { try? FileManager.default.removeItem(at: pyramids) }
        let fixture = try Self.fixture(pyramids: pyramids)
        defer { fixture.remove() }
        let plain = try ServerFixture { $0.root = fixture.images.path }
        defer { plain.remove() }
        let imaging = ServerFixture.fixtures.appendingPathComponent("imaging")
        for (name, path) in [("o6.jpg", "orientation/o6_le.jpg"), ("inter.png", "png/rgb8_interlaced.png"), ("alpha.png", "png/rgba8.png")] {
            try FileManager.default.copyItem(at: imaging.appendingPathComponent(path), to: fixture.images.appendingPathComponent(name))
        }
        let answers = Mutex<[String: [UInt8]]>([:])
        try await plain.live { client in
            for id in ["o6.jpg", "inter.png", "alpha.png"] {
                let bytes = try await client.call("/iiif/3/\(id)/full/max/0/default.png", .get).bytes
                answers.withLock { $0[id] = bytes }
            }
        }
        let expected = answers.withLock { $0 }
        try await fixture.live { client in
            for id in ["o6.jpg", "inter.png", "alpha.png"] {
                let answer = try await client.call("/iiif/3/\(id)/full/max/0/default.png", .get)
                #expect(answer.status == 200 && answer.bytes == expected[id], "\(id): \(answer.status)")
                #expect(try await client.call("/pyramids/\(id)", .get).object["served_from"] as? String == "decoded")
            }
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: pyramids.path)) ?? []).isEmpty)
    }

    @Test("a build killed midway leaves a temporary file that the next start removes")
    func abandoned() throws {
        let pyramids = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-pyramids-\(UUID())")
        defer { try? FileManager.default.removeItem(at: pyramids) }
        try FileManager.default.createDirectory(at: pyramids, withIntermediateDirectories: true)
        // No process has pid 2^22 + 1 (above Linux's pid_max).
        let dead = pyramids.appendingPathComponent("abc.tiles.building-4194305-17")
        let mine = pyramids.appendingPathComponent("def.tiles.building-\(getpid())-18")
        for url in [dead, mine] { try Data([1, 2, 3]).write(to: url) }
        let fixture = try Self.fixture(pyramids: pyramids)
        defer { fixture.remove() }
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: mine.path))
    }
}
