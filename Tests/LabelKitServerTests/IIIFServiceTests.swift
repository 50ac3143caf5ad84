import Foundation
import HummingbirdTesting
import LabelKitImaging
import Testing

@testable import LabelKitServer

/// The IIIF routes over a real socket, against the validator image's known
/// square colours (read from the PNG by an independent decoder, in
/// `Tests/Fixtures/iiif-validator/square-colours.json`).
@Suite("IIIF service")
struct IIIFServiceTests {
    static let colours: [[[Int]]] = {
        let url = ServerFixture.fixtures.appendingPathComponent("iiif-validator/square-colours.json")
        return (try? JSONDecoder().decode([[[Int]]].self, from: Data(contentsOf: url))) ?? []
    }()
    static let id = ServerFixture.validatorID

    func close(_ a: (Int, Int, Int), _ b: [Int], tolerance: Int = 6) -> Bool {
        abs(a.0 - b[0]) < tolerance && abs(a.1 - b[1]) < tolerance && abs(a.2 - b[2]) < tolerance
    }

    @Test("info.json: level 2 fields, id from the request, tiles and sizes; JSON-LD on request; base URI 303")
    func info() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            try await client.execute(
                uri: "/iiif/3/\(Self.id)/info.json", method: .get, headers: [.init("X-Forwarded-Host")!: "images.example:8080"]
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let info = response.json
                #expect(info["id"] as? String == "http://images.example:8080/iiif/3/\(Self.id)")
                #expect(info["type"] as? String == "ImageService3" && info["profile"] as? String == "level2")
                #expect(info["width"] as? Int == 1000 && info["height"] as? Int == 1000)
                let tiles = info["tiles"] as? [[String: Any]]
                #expect(tiles?.first?["scaleFactors"] as? [Int] == [1, 2])
            }
            try await client.execute(
                uri: "/iiif/3/\(Self.id)/info.json", method: .get, headers: [.accept: "application/ld+json"]
            ) { response in
                #expect(response.headers[.contentType]?.hasPrefix("application/ld+json") == true)
            }
            try await client.execute(uri: "/iiif/3/\(Self.id)", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasSuffix("/iiif/3/\(Self.id)/info.json") == true)
            }
            // %2D is a percent-encoded "-".
            let escaped = Self.id.replacingOccurrences(of: "-", with: "%2D")
            try await client.execute(uri: "/iiif/3/\(escaped)/info.json", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("regions, sizes, rotations, qualities and formats give the right pixels")
    func images() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            // Square (3, 7) by pixels, scaled to 50x50.
            try await client.execute(uri: "/iiif/3/\(Self.id)/300,700,100,100/50,50/0/default.png", method: .get) { response in
                let image = try response.image()
                #expect((image.width, image.height) == (50, 50))
                #expect(self.close(image.rgb(25, 25), Self.colours[7][3]))
            }
            // The same square by percent, as JPEG.
            try await client.execute(uri: "/iiif/3/\(Self.id)/pct:30,70,10,10/max/0/default.jpg", method: .get) { response in
                #expect(response.headers[.contentType] == "image/jpeg")
                let image = try response.image()
                #expect((image.width, image.height) == (100, 100))
                #expect(self.close(image.rgb(50, 50), Self.colours[7][3], tolerance: 10))
            }
            // Rotation by 90: the top-left square of the output is the bottom-left one of the source.
            try await client.execute(uri: "/iiif/3/\(Self.id)/full/200,/90/default.png", method: .get) { response in
                let image = try response.image()
                #expect((image.width, image.height) == (200, 200))
                #expect(self.close(image.rgb(10, 10), Self.colours[9][0]))
            }
            // Mirroring: the top-left of the output is the top-right of the source.
            try await client.execute(uri: "/iiif/3/\(Self.id)/full/!100,100/!0/default.png", method: .get) { response in
                let image = try response.image()
                #expect((image.width, image.height) == (100, 100))
                #expect(self.close(image.rgb(5, 5), Self.colours[0][9]))
            }
            try await client.execute(uri: "/iiif/3/\(Self.id)/full/,150/0/gray.png", method: .get) { response in
                let image = try response.image()
                #expect(image.channels == 1 && image.height == 150)
            }
            try await client.execute(uri: "/iiif/3/\(Self.id)/square/pct:5/0/bitonal.png", method: .get) { response in
                let image = try response.image()
                #expect(image.pixels.allSatisfy { $0 == 0 || $0 == 255 } && image.width == 50)
            }
            // "^" is sent percent-encoded, as HTTP clients must.
            try await client.execute(uri: "/iiif/3/\(Self.id)/full/%5E1200,/0/default.jpg", method: .get) { response in
                let image = try response.image()
                #expect(image.width == 1200)
            }
        }
    }

    @Test("malformed parameters are 400, unknown identifiers 404, unsupported rotations 501")
    func errors() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let bad = [
                "full/max/0/default.tif", "full/max/0/best.jpg", "full/max/361/default.jpg", "full/max/-90/default.jpg",
                "full/1001,/0/default.jpg", "full/pct:101/0/default.jpg", "full/abc/0/default.jpg", "0,0,0,0/max/0/default.jpg",
                "2000,0,10,10/max/0/default.jpg", "pct:a,0,1,1/max/0/default.jpg", "full/max/0/default", "full/,0/0/default.png",
                "1,2,3/max/0/default.jpg", "full/full/0/default.jpg",
            ]
            for path in bad {
                try await client.execute(uri: "/iiif/3/\(Self.id)/\(path)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(path): \(response.status)")
                    #expect((response.json["error"] as? [String: Any])?["message"] != nil)
                }
            }
            try await client.execute(uri: "/iiif/3/\(Self.id)/full/max/45/default.jpg", method: .get) {
                #expect($0.status == .notImplemented)
            }
            for id in ["nope", "a%2Fb", "%5Bfrob%5D"] {
                try await client.execute(uri: "/iiif/3/\(id)/info.json", method: .get) { #expect($0.status == .notFound, "\(id)") }
            }
            try await client.execute(uri: "/iiif/3/a/b/info.json", method: .get) { #expect($0.status == .notFound) }
        }
    }
}
