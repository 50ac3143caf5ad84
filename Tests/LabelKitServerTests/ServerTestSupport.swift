import Foundation
import Hummingbird
import HummingbirdTesting
import LabelKitImaging
@testable import LabelKitServer

/// A service over a temporary root holding the IIIF validator's test image
/// (1000x1000, 10x10 squares of flat colour) and whatever a test adds.
struct ServerFixture {
    let root: URL
    let service: LabelKitService
    static let validatorID = "67352ccc-d1b0-11e1-89ae-279075081939"

    /// The package root, found from this source file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/Fixtures`.
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures", isDirectory: true)

    init(configure: (inout ServiceConfiguration) -> Void = { _ in }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-serve-\(UUID().uuidString)")
        let images = root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("iiif-validator/\(Self.validatorID).png"),
            to: images.appendingPathComponent("\(Self.validatorID).png"))
        var configuration = ServiceConfiguration(root: images.path, databasePath: root.appendingPathComponent("cache.sqlite").path)
        configuration.port = 0
        configure(&configuration)
        service = try LabelKitService(configuration: configuration)
    }

    /// The images folder.
    var images: URL { root.appendingPathComponent("images") }

    /// Removes the temporary files.
    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Runs `body` against the service on a real socket.
    func live(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await service.application().test(.live) { client in try await body(client) }
    }
}

extension TestResponse {
    /// The body bytes.
    var bytes: [UInt8] { Array(buffer: body) }

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]) ?? [:]
    }

    /// The body decoded as an image.
    func image() throws -> Image { try ImageCodec.decode(bytes) }
}

extension Image {
    /// The RGB of pixel (x, y).
    func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let o = (y * width + x) * channels
        if channels < 3 { return (Int(pixels[o]), Int(pixels[o]), Int(pixels[o])) }
        return (Int(pixels[o]), Int(pixels[o + 1]), Int(pixels[o + 2]))
    }
}
