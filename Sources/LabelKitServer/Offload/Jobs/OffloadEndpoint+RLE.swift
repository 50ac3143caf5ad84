import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitOperations

// RLE: encode, decode and convert.
extension OffloadEndpoint {
    /// `labelkit rle encode`: a mask (or COCO polygons) -> LS or COCO RLE.
    static func encode(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        if let object = value as? [String: Any], (object["polygons"] ?? object["segmentation"]) is [Any] {
            guard try options.choice("format", RLEFormat.self) ?? .coco == .coco else {
                throw Problem.invalid("polygons are encoded as COCO RLE: use \"format\": \"coco\"")
            }
            let list = (object["polygons"] ?? object["segmentation"]) as? [Any] ?? []
            try limits.check(list.count, OffloadLimits.Name.regions, "polygons in the job")
            for (i, part) in list.enumerated() {
                try limits.check(
                    ((part as? [Any])?.count ?? 0) / 2, OffloadLimits.Name.vertices, "vertices of polygons[\(i)]")
            }
            if let w = JSONNumber.integer(object["width"]), let h = JSONNumber.integer(object["height"]) {
                try limits.checkMask(width: w, height: h)
            }
            do {
                return .json(COCORLEDocument.json(try COCOPolygonsDocument(object: object).rle()))
            } catch {
                throw Problem.invalid(error.message)
            }
        }
        let format = try options.choice("format", RLEFormat.self) ?? .ls
        let threshold = try options.int("threshold", in: 0...255).map { UInt8($0) }
        let input = try MaskSource.read(value, limits: limits, what: "mask")
        return try RLEOperations.encode(input, as: format, threshold: threshold)
    }

    /// `labelkit rle decode`: LS or COCO RLE -> a mask PNG.
    static func decode(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let format = try options.choice("format", RLEFormat.self)
        // `MaskSource.read` checks the size against the limits.
        return try RLEOperations.decode(try MaskSource.read(value, limits: limits, what: "rle", format: format))
    }

    /// `labelkit rle convert`: LS <-> COCO.
    static func convert(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let from = try options.choice("from", RLEFormat.self)
        let input = try MaskSource.read(value, limits: limits, what: "rle", format: from)
        guard let to = try options.choice("to", RLEFormat.self) else {
            // Without "to", the other format than the input's.
            if case .ls = input { return try RLEOperations.convert(input, to: .coco) }
            return try RLEOperations.convert(input, to: .ls)
        }
        return try RLEOperations.convert(input, to: to)
    }
}
