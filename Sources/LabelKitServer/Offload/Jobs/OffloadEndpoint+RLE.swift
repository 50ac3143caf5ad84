import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

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
        let threshold = try options.int("threshold", in: 0...255)
        let input = try MaskInput.read(value, limits: limits, what: "mask")
        switch format {
        case .coco:
            return .json(COCORLEDocument.json(try input.coco(what: "mask")))
        case .ls:
            let mask = try input.mask(what: "mask")
            do {
                let rle =
                    try threshold.map { try LabelStudioRLE.encode(grayImage: mask, threshold: UInt8($0)) }
                    ?? LabelStudioRLE.encode(mask)
                return .brush(rle, width: mask.width, height: mask.height)
            } catch {
                throw Problem.invalid("mask: \(error)")
            }
        }
    }

    /// `labelkit rle decode`: LS or COCO RLE -> a mask PNG.
    static func decode(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let format = try options.choice("format", ["ls", "coco"])
        let input = try MaskInput.read(value, limits: limits, what: "rle", format: format)
        // `MaskInput.read` checked the size against the limits.
        if case .mask = input { throw Problem.invalid("rle: expected a Label Studio or COCO RLE document, not a PNG") }
        return .png(try PNGCodec.encode(try input.mask(what: "rle")))
    }

    /// `labelkit rle convert`: LS <-> COCO.
    static func convert(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let from = try options.choice("from", ["ls", "coco"])
        let input = try MaskInput.read(value, limits: limits, what: "rle", format: from)
        let to = try options.choice("to", ["ls", "coco"])
        switch input {
        case .ls(let document):
            guard to != "ls" else { throw Problem.invalid("\"from\" and \"to\" name the same format (ls)") }
            do {
                let rle = try RLEConversion.coco(
                    fromLabelStudio: document.rle, width: document.width, height: document.height)
                return .json(COCORLEDocument.json(rle))
            } catch {
                throw Problem.invalid("rle: \(error.message)")
            }
        case .coco(let rle):
            guard to != "coco" else { throw Problem.invalid("\"from\" and \"to\" name the same format (coco)") }
            do {
                return .brush(try RLEConversion.labelStudio(fromCOCO: rle), width: rle.width, height: rle.height)
            } catch {
                throw Problem.invalid("rle: \(error.message)")
            }
        case .mask:
            throw Problem.invalid("rle: expected a Label Studio or COCO RLE document, not a PNG")
        }
    }
}
