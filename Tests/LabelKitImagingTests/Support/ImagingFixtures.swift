import Foundation
import LabelKitImaging

/// Paths and loaders for `Tests/Fixtures/imaging` (made by its `make_fixtures.py`
/// with numpy, Pillow and libvips; see the script for what each file holds).
enum ImagingFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // LabelKitImagingTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/imaging", isDirectory: true)

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    /// A raw fixture (interleaved 8-bit samples) as an image of the given shape.
    static func raw(_ relative: String, width: Int, height: Int, channels: Int) throws -> Image {
        Image(width: width, height: height, channels: channels, pixels: try bytes(relative))
    }

    static func json(_ relative: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(relative)))
        return object as? [String: Any] ?? [:]
    }

    static func manifest(_ family: String) throws -> [[String: Any]] {
        try json("manifest.json")[family] as? [[String: Any]] ?? []
    }
}

/// Pixel comparisons.
enum PixelMath {
    /// The largest absolute difference between two equally shaped images (Int.max if shapes differ).
    static func maxDifference(_ a: Image, _ b: Image) -> Int {
        guard a.width == b.width, a.height == b.height, a.channels == b.channels else { return Int.max }
        var largest = 0
        for i in 0..<a.pixels.count { largest = max(largest, abs(Int(a.pixels[i]) - Int(b.pixels[i]))) }
        return largest
    }

    /// PSNR in dB over all samples (infinity when equal, -infinity if shapes differ).
    static func psnr(_ a: Image, _ b: Image) -> Double {
        guard a.width == b.width, a.height == b.height, a.channels == b.channels else { return -.infinity }
        var sum = 0.0
        for i in 0..<a.pixels.count {
            let d = Double(a.pixels[i]) - Double(b.pixels[i])
            sum += d * d
        }
        if sum == 0 { return .infinity }
        let mse = sum / Double(a.pixels.count)
        return 10 * log10(255 * 255 / mse)
    }
}

extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int { (self[key] as? NSNumber)?.intValue ?? -1 }
    func string(_ key: String) -> String { self[key] as? String ?? "" }
}
