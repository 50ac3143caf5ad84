import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitOperations

/// A raw `image/png` request body standing in for a JSON job.
struct PNGBody {
    var bytes: [UInt8]

    /// The PNG signature.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// True when `bytes` start like a PNG file.
    static func matches(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == signature }
}

/// A job's options, looked up in order in the job's own fields, the batch's
/// fields (defaults for every job) and the query string; a value of the wrong
/// type is a 422 naming the field.
struct JobOptions {
    /// JSON objects, most specific first.
    var objects: [[String: Any]]
    /// Query parameters.
    var query: [String: String]

    /// The JSON value of `key` (job first, then batch); `null` is a value (and
    /// not a valid one for any option).
    func jsonValue(_ key: String) -> Any? {
        for object in objects {
            if let value = object[key] { return value }
        }
        return nil
    }

    /// The typed value of `key`: a query parameter is checked even when a JSON
    /// field overrides it, so a malformed query is never silently ignored.
    func typed<T>(_ key: String, _ message: String, query parse: (String) -> T?, json read: (Any) -> T?) throws(Problem)
        -> T?
    {
        var fromQuery: T?
        if let text = query[key] {
            guard let value = parse(text) else { throw Problem.invalid("\"\(key)\" must be \(message)") }
            fromQuery = value
        }
        guard let raw = jsonValue(key) else { return fromQuery }
        guard let value = read(raw) else { throw Problem.invalid("\"\(key)\" must be \(message)") }
        return value
    }

    /// A value of an option enum, by its name (`"format": "coco"`, `"rule": "nonzero"`).
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(Problem) -> T?
    where T.RawValue == String {
        try choice(key, T.allCases.map(\.rawValue)).flatMap(T.init(rawValue:))
    }

    /// A string that must be one of `allowed`.
    func choice(_ key: String, _ allowed: [String]) throws(Problem) -> String? {
        let message = "one of \(allowed.joined(separator: ", "))"
        return try typed(
            key, message, query: { allowed.contains($0) ? $0 : nil },
            json: { ($0 as? String).flatMap { allowed.contains($0) ? $0 : nil } })
    }

    /// The labeling config of the `config` field (its XML, job first, then batch),
    /// its size checked against `config_bytes` before it is parsed. A batch's own
    /// config arrives already parsed (``OffloadRequest/parse()``).
    func labelingConfig(_ limits: OffloadLimits) throws(Problem) -> LabelingConfig? {
        guard let raw = jsonValue("config") else { return nil }
        if let parsed = raw as? LabelingConfig { return parsed }
        guard let xml = raw as? String else {
            throw Problem.invalid("\"config\" must be the labeling config's XML as a string")
        }
        try limits.check(xml.utf8.count, OffloadLimits.Name.configBytes, "bytes of the labeling config")
        do {
            return try LabelingConfig(xml: Data(xml.utf8))
        } catch {
            throw Problem.invalid(error.message)
        }
    }

    /// A string.
    func string(_ key: String) throws(Problem) -> String? {
        try typed(key, "a string", query: { $0 }, json: { $0 as? String })
    }

    /// A boolean (`true` or `false`).
    func bool(_ key: String) throws(Problem) -> Bool? {
        try typed(
            key, "true or false", query: { $0 == "true" ? true : $0 == "false" ? false : nil },
            json: { JSONNumber.boolean($0) })
    }

    /// A finite number, at least `minimum` when given.
    func double(_ key: String, minimum: Double = -.infinity) throws(Problem) -> Double? {
        let message = minimum == -.infinity ? "a finite number" : "a finite number >= \(JSONText.number(minimum))"
        return try typed(
            key, message, query: { Double($0).flatMap { $0.isFinite && $0 >= minimum ? $0 : nil } },
            json: { JSONNumber.finite($0).flatMap { $0 >= minimum ? $0 : nil } })
    }

    /// An integer within `range`.
    func int(_ key: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
        let message = "an integer \(range.lowerBound)...\(range.upperBound)"
        return try typed(
            key, message, query: { Int($0).flatMap { range.contains($0) ? $0 : nil } },
            json: { JSONNumber.integer($0).flatMap { range.contains($0) ? $0 : nil } })
    }
}

/// A mask given to a job: a PNG (raw body or `{"png": base64}`), a Label Studio
/// brush RLE document or a COCO RLE document.
extension MaskSource {
    /// Reads a mask input, checking its size against the limits before anything
    /// of that size is allocated.
    ///
    /// - Parameter format: `ls` or `coco` to insist on that RLE format.
    static func read(_ value: Any, limits: OffloadLimits, what: String, format: RLEFormat? = nil) throws -> MaskSource {
        if let png = value as? PNGBody { return .mask(try decodePNG(png.bytes, limits: limits, what: what)) }
        guard let object = value as? [String: Any] else {
            throw Problem.invalid(
                "\(what): expected a mask: {\"png\": base64}, {\"rle\", \"width\", \"height\"} or {\"size\", \"counts\"}"
            )
        }
        if format == nil, let text = object["png"] {
            guard let text = text as? String, let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters)
            else {
                throw Problem.invalid("\(what): \"png\" must be a base64 string")
            }
            return .mask(try decodePNG(Array(data), limits: limits, what: what))
        }
        let value = object["value"] as? [String: Any]
        let isLS = object["rle"] is [Any] || value?["rle"] != nil
        if format == .ls || (format == nil && isLS) {
            let width = JSONNumber.integer(object["width"] ?? object["original_width"])
            let height = JSONNumber.integer(object["height"] ?? object["original_height"])
            if let width, let height { try limits.checkMask(width: width, height: height, what: what) }
            do {
                return .ls(try BrushRLEDocument(object: object))
            } catch {
                throw Problem.invalid("\(what): \(error.message)")
            }
        }
        var inner = object
        if object["counts"] == nil, let nested = (object["rle"] ?? object["segmentation"]) as? [String: Any] {
            inner = nested
        }
        if format == .coco || inner["counts"] != nil || inner["size"] != nil {
            if let size = inner["size"] as? [Any], size.count == 2, let h = JSONNumber.integer(size[0]),
                let w = JSONNumber.integer(size[1])
            {
                try limits.checkMask(width: w, height: h, what: what)
            }
            do {
                return .coco(try COCORLEDocument.rle(from: object, context: what))
            } catch {
                throw Problem.invalid(error.message)
            }
        }
        throw Problem.invalid(
            "\(what): expected a mask: {\"png\": base64}, {\"rle\", \"width\", \"height\"} or {\"size\", \"counts\"}")
    }

    /// Decodes a PNG as a mask (luma), its size checked from the header first.
    static func decodePNG(_ bytes: [UInt8], limits: OffloadLimits, what: String) throws -> Mask {
        let size: (width: Int, height: Int)
        do {
            size = try PNGCodec.dimensions(of: bytes)
        } catch {
            throw Problem.invalid("\(what): \(error.message)")
        }
        try limits.checkMask(width: size.width, height: size.height, what: what)
        do {
            return try PNGCodec.decodeMask(bytes, maxPixels: limits.maxMaskPixels)
        } catch {
            throw Problem.invalid("\(what): \(error.message)")
        }
    }
}

/// Checks on Label Studio region lists before they are parsed, so that no
/// oversized mask is allocated and no limit is passed.
enum RegionsPrecheck {
    /// Checks the region count, the image size and the vertices of every polygon.
    static func check(_ root: Any, limits: OffloadLimits, eachItemSize: Bool = false) throws {
        if let object = root as? [String: Any] {
            for (a, b) in [("regions", "result"), ("points", "queries")] where object[a] != nil && object[b] != nil {
                throw Problem.invalid("give \"\(a)\" or \"\(b)\", not both")
            }
        }
        let (items, width, height) = try RegionsDocument.items(of: root)
        try limits.check(items.count, OffloadLimits.Name.regions, "regions in the job")
        if let width, let height, width > 0, height > 0 {
            try limits.checkMask(width: width, height: height, what: "the image")
        }
        for (i, item) in items.enumerated() {
            guard let object = item as? [String: Any] else { continue }
            if let points = (object["value"] as? [String: Any])?["points"] as? [Any] {
                try limits.check(points.count, OffloadLimits.Name.vertices, "vertices of regions[\(i)]")
            }
            if eachItemSize, let w = JSONNumber.integer(object["original_width"]),
                let h = JSONNumber.integer(object["original_height"]), w > 0, h > 0
            {
                try limits.checkMask(width: w, height: h, what: "regions[\(i)]")
            }
        }
    }

    /// The parsed document (after ``check(_:limits:eachItemSize:)``), its regions
    /// checked against `config` when one is given.
    static func document(_ root: Any, limits: OffloadLimits, config: LabelingConfig? = nil) throws -> RegionsDocument {
        try check(root, limits: limits)
        do {
            return try RegionsDocument(object: root, config: config)
        } catch {
            throw Problem.invalid(error.message)
        }
    }
}
