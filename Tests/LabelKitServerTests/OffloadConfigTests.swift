import Foundation
import LabelKitImaging
import Testing

@testable import LabelKitServer

/// `/v1/rasterize` with the project's labeling config (`config`): labels checked
/// against it, and `format: "semantic"` painting Label Studio's class ids,
/// compared with masks computed here by the pixel-centre rule.
@Suite("Offload routes: labeling config")
struct OffloadConfigTests {
    /// Labels sorted by code point give Ball 0, Road 1, Zebra 2 (Label Studio's ids).
    static let config =
        #"<View><Image name="image" value="$image"/><PolygonLabels name="polygon" toName="image">"#
        + #"<Label value="Zebra"/><Label value="Road"/></PolygonLabels>"#
        + #"<EllipseLabels name="ellipse" toName="image"><Label value="Ball"/></EllipseLabels></View>"#

    /// A 100x100 image, so percents are pixels: a polygon box and a circle with
    /// their pixel-centre masks computed here.
    static func polygon(label: String, fromName: String = "polygon") -> String {
        #"{"id": "box", "type": "polygonlabels", "from_name": "\#(fromName)", "to_name": "image", "#
            + #""original_width": 100, "original_height": 100, "#
            + #""value": {"points": [[10, 20], [60, 20], [60, 50], [10, 50]], "polygonlabels": ["\#(label)"]}}"#
    }

    static func circle(label: String, fromName: String = "ellipse") -> String {
        #"{"id": "ball", "type": "ellipselabels", "from_name": "\#(fromName)", "to_name": "image", "#
            + #""original_width": 100, "original_height": 100, "#
            + #""value": {"x": 50, "y": 50, "radiusX": 15, "radiusY": 15, "ellipselabels": ["\#(label)"]}}"#
    }

    /// Pixel (c, r) of the box: its centre inside or on [10, 60] x [20, 50].
    static func inBox(_ c: Int, _ r: Int) -> Bool {
        (10...60).contains(Double(c) + 0.5) && (20...50).contains(Double(r) + 0.5)
    }

    /// Pixel (c, r) of the circle: its centre within 15 of (50, 50).
    static func inCircle(_ c: Int, _ r: Int) -> Bool {
        let dx = Double(c) + 0.5 - 50, dy = Double(r) + 0.5 - 50
        return dx * dx + dy * dy <= 225
    }

    @Test("format semantic: each pixel is the first label's class id + 1, later regions on top; batch-level config")
    func semantic() async throws {
        let box = Self.polygon(label: "Zebra"), circle = Self.circle(label: "Ball")
        // Zebra is id 2 (value 3), Ball id 0 (value 1) and on top.
        let expected: [UInt8] = (0..<100 * 100).map { i in
            Self.inCircle(i % 100, i / 100) ? 1 : Self.inBox(i % 100, i / 100) ? 3 : 0
        }
        #expect(Set(expected) == [0, 1, 3])
        let config = OffloadFixtures.text(of: Self.config)
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let job = "{\"regions\": [\(box), \(circle)], \"format\": \"semantic\", \"config\": \(config)}"
            let answer = try await client.post("/v1/rasterize", job)
            #expect(answer.status == 200 && answer.contentType == "image/png")
            let mask = try maskPixels(answer.bytes)
            #expect(mask.width == 100 && mask.height == 100)
            #expect(mask.pixels == expected)
            // The config at batch level serves every job; PNG answers are base64 in a batch.
            let batch = try await client.post(
                "/v1/rasterize",
                "{\"config\": \(config), \"format\": \"semantic\", \"jobs\": [{\"regions\": [\(box), \(circle)]}]}")
            #expect(batch.status == 200)
            let png = try #require((batch.results.first?["png"] as? String).flatMap { Data(base64Encoded: $0) })
            #expect(try maskPixels(Array(png)).pixels == expected)
            // Plain masks still work with a config (labels checked, not painted).
            let plain = try await client.post("/v1/rasterize?format=coco", "{\"regions\": [\(circle)], \"config\": \(config)}")
            #expect(plain.status == 200 && plain.object["counts"] as? String != nil)
        }
    }

    @Test("a label or from_name the config does not know, a bad config, semantic without config: 422 naming it")
    func refusals() async throws {
        let circle = Self.circle(label: "Balloon"), stray = Self.circle(label: "Ball", fromName: "shapes")
        let config = OffloadFixtures.text(of: Self.config)
        let fixture = try ServerFixture { $0.offload.maxConfigBytes = 400 }
        defer { fixture.remove() }
        try await fixture.live { client in
            func detail(_ body: String) async throws -> (Int, String) {
                let answer = try await client.post("/v1/rasterize", body)
                return (answer.status, answer.object["detail"] as? String ?? "")
            }
            let unknown = try await detail("{\"regions\": [\(circle)], \"config\": \(config)}")
            #expect(unknown.0 == 422)
            #expect(unknown.1.contains("\"Balloon\"") && unknown.1.contains("\"ball\""), "\(unknown.1)")
            let control = try await detail("{\"regions\": [\(stray)], \"config\": \(config)}")
            #expect(control.0 == 422 && control.1.contains("from_name \"shapes\""), "\(control.1)")
            let broken = try await detail("{\"regions\": [\(stray)], \"config\": \"<View><Labels>\"}")
            #expect(broken.0 == 422 && broken.1.contains("labeling config"), "\(broken.1)")
            let notText = try await detail("{\"regions\": [\(stray)], \"config\": 7}")
            #expect(notText.0 == 422 && notText.1.contains("\"config\""), "\(notText.1)")
            let semantic = try await detail("{\"regions\": [\(stray)], \"format\": \"semantic\"}")
            #expect(semantic.0 == 422 && semantic.1.contains("config"), "\(semantic.1)")
            let big = OffloadFixtures.text(of: Self.config + String(repeating: " ", count: 400))
            let answer = try await client.post("/v1/rasterize", "{\"regions\": [\(stray)], \"config\": \(big)}")
            #expect(answer.status == 422 && answer.object["limit"] as? String == "config_bytes")
            // A batch's own config is parsed once, before the jobs: a bad one refuses the request.
            let batch = try await detail("{\"config\": \"<View><Labels>\", \"jobs\": [{\"regions\": [\(stray)]}]}")
            #expect(batch.0 == 422 && batch.1.contains("labeling config"), "\(batch.1)")
            let limits = try await client.call("/v1/limits", .get)
            #expect(limits.object["config_bytes"] as? Int == 400)
        }
    }
}
