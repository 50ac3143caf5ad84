import Foundation
import LabelKitImaging
import Testing

/// Inputs and comparisons for the `labelkit export` / `import-masks` tests.
enum ExportInput {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // LabelKitCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
    static let sample = packageRoot.appendingPathComponent("SampleImages/annotations.json").path
    static let journal = ".labelkit-export.jsonl"

    /// label-studio-converter `mask2rle` (spec 7.1) of a row-major 0...255 mask:
    /// each pixel 4 words, one chunk per run. Written here from the spec, so the
    /// CLI tests do not depend on the encoder under test.
    static func mask2rle(_ mask: [UInt8]) -> [Int] {
        var bytes: [UInt8] = []
        var bitCount = 0
        func write(_ value: Int, _ width: Int) {
            for k in stride(from: width - 1, through: 0, by: -1) {
                if bitCount % 8 == 0 { bytes.append(0) }
                if (value >> k) & 1 == 1 { bytes[bitCount / 8] |= UInt8(0x80 >> (bitCount % 8)) }
                bitCount += 1
            }
        }
        write(mask.count * 4, 32)
        write(7, 5)
        for s in [3, 4, 8, 16] { write(s - 1, 4) }
        var i = 0
        while i < mask.count {
            var j = i
            while j < mask.count && mask[j] == mask[i] { j += 1 }
            var length = (j - i) * 4
            let v = Int(mask[i])
            switch length {
            case 2...8: write(1, 1); write(0, 2); write(length - 1, 3); write(v, 8)
            case 9...16: write(1, 1); write(1, 2); write(length - 1, 4); write(v, 8)
            case 17...256: write(1, 1); write(2, 2); write(length - 1, 8); write(v, 8)
            default:
                while length > 65536 {
                    write(1, 1); write(3, 2); write(0xFFFF, 16); write(v, 8)
                    length -= 65536
                }
                write(1, 1); write(3, 2); write(length - 1, 16); write(v, 8)
            }
            i = j
        }
        write(0, 8 - bitCount % 8)
        return bytes.map(Int.init)
    }

    /// A binary ellipse mask.
    static func blob(_ w: Int, _ h: Int, cx: Double, cy: Double, rx: Double, ry: Double) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let u = (Double(x) + 0.5 - cx) / rx, v = (Double(y) + 0.5 - cy) / ry
                if u * u + v * v <= 1 { mask[y * w + x] = 255 }
            }
        }
        return mask
    }

    /// `count` tasks of `w x h` images, each with a brush and a polygon region
    /// (JSON text written directly, as an export of that size would be).
    static func brushAndPolygonTasks(count: Int, width w: Int = 640, height h: Int = 480) -> String {
        var rles: [String] = []
        for k in 0..<8 {
            let f = Double(k)
            let cx: Double = Double(w) * (0.3 + 0.05 * f), cy: Double = Double(h) * 0.45
            let rx: Double = Double(w) * (0.08 + 0.01 * f), ry: Double = Double(h) * (0.1 + 0.01 * f)
            let rle = mask2rle(blob(w, h, cx: cx, cy: cy, rx: rx, ry: ry))
            rles.append("[" + rle.map(String.init).joined(separator: ",") + "]")
        }
        var text = "[\n"
        for i in 0..<count {
            if i > 0 { text += ",\n" }
            let px: Double = 5 + Double(i % 50), py: Double = 7 + Double(i % 37) * 0.5
            let points =
                "[[\(px), \(py)], [\(px + 30.25), \(py + 3)], [\(px + 12), \(py + 40.5)], [\(px - 2), \(py + 20)]]"
            let label = i % 2 == 0 ? "Cat" : "Dog"
            let size = "\"original_width\": \(w), \"original_height\": \(h)"
            text += "{\"id\": \(i + 1), \"data\": {\"image\": \"/data/local-files/?d=img/\(i + 1).jpg\"}, "
            text +=
                "\"annotations\": [{\"id\": \(10_000 + i), \"completed_by\": {\"email\": \"user\(i % 3)@example.com\"}, "
            text += "\"created_at\": \"2024-05-14T09:12:33.482915Z\", \"result\": ["
            text +=
                "{\"id\": \"b\(i)\", \"type\": \"brushlabels\", \"from_name\": \"tag\", \"to_name\": \"image\", \(size), "
            text += "\"value\": {\"format\": \"rle\", \"rle\": \(rles[i % 8]), \"brushlabels\": [\"\(label)\"]}}, "
            text +=
                "{\"id\": \"p\(i)\", \"type\": \"polygonlabels\", \"from_name\": \"poly\", \"to_name\": \"image\", \(size), "
            text += "\"value\": {\"points\": \(points), \"polygonlabels\": [\"Road\"]}}]}]}"
        }
        return text + "\n]\n"
    }

    /// Every file of a folder (recursively, journal excluded) with its bytes.
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir) else { return out }
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue || name == journal { continue }
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    /// The task indices recorded in a journal (header skipped).
    static func journalIndices(_ dir: String) throws -> [Int] {
        let text = try String(contentsOfFile: dir + "/" + journal, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["i"] as? Int
        }
    }

    /// Lines of the journal so far (0 when it does not exist yet).
    static func journalLines(_ dir: String) -> Int {
        guard let data = FileManager.default.contents(atPath: dir + "/" + journal) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Compares two folders file by file; records one issue per difference.
    static func expectSameFolders(_ a: String, _ b: String, _ context: String) throws {
        let x = try snapshot(a), y = try snapshot(b)
        let onlyA = Set(x.keys).subtracting(y.keys).sorted(), onlyB = Set(y.keys).subtracting(x.keys).sorted()
        #expect(onlyA.isEmpty, "\(context): only in \(a): \(onlyA.prefix(10))")
        #expect(onlyB.isEmpty, "\(context): only in \(b): \(onlyB.prefix(10))")
        let differing = x.keys.filter { y[$0] != nil && y[$0] != x[$0] }.sorted()
        #expect(differing.isEmpty, "\(context): \(differing.count) files differ, e.g. \(differing.prefix(5))")
    }

    /// Decoded gray PNG pixels.
    static func pixels(_ path: String) throws -> (Int, Int, [UInt8]) {
        let image = try PNGCodec.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        return (image.width, image.height, image.pixels)
    }

    /// The summary line's numbers: (exported, resumed, failed).
    static func summary(_ stderr: String) -> (Int, Int, Int)? {
        guard let line = stderr.split(separator: "\n").last(where: { $0.hasPrefix("exported ") }) else { return nil }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" || $0 == ";" })
        func number(before word: String) -> Int? {
            guard let k = words.firstIndex(where: { $0 == word }), k > 0 else { return nil }
            return Int(words[k - 1])
        }
        guard let exported = Int(words[1]), let resumed = number(before: "resumed"),
            let failed = number(before: "failed")
        else { return nil }
        return (exported, resumed, failed)
    }
}
