import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitOperations

// Masks: measure and vectorize.
extension OffloadEndpoint {
    /// Area and box of each mask, the IoU matrix against `gt`, union and intersection.
    static func measure(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        var masksValue: Any = value
        var object: [String: Any] = [:]
        if !(value is PNGBody) {
            guard let o = value as? [String: Any], let list = o["masks"] else {
                throw Problem.invalid("expected {\"masks\": [mask, ...], \"gt\"?: [mask, ...]}")
            }
            object = o
            masksValue = list
        }
        func rles(_ raw: Any, _ name: String) throws -> [COCORLE] {
            if raw is PNGBody { return [try MaskSource.read(raw, limits: limits, what: name).coco(what: name)] }
            guard let list = raw as? [Any] else { throw Problem.invalid("\"\(name)\" must be a list of masks") }
            try limits.check(list.count, OffloadLimits.Name.regions, "\(name) in the job")
            return try list.enumerated().map { i, item in
                try MaskSource.read(item, limits: limits, what: "\(name)[\(i)]").coco(what: "\(name)[\(i)]")
            }
        }
        let masks = try rles(masksValue, "masks")
        let gt = try object["gt"].map { try rles($0, "gt") }
        var iscrowd: [Bool] = []
        if let raw = object["iscrowd"] {
            guard let list = raw as? [Any] else {
                throw Problem.invalid("\"iscrowd\" must be a list of 0/1 or booleans")
            }
            iscrowd = try list.enumerated().map { i, item in
                if let flag = JSONNumber.boolean(item) { return flag }
                guard let v = JSONNumber.integer(item), v == 0 || v == 1 else {
                    throw Problem.invalid("iscrowd[\(i)] must be 0, 1, true or false")
                }
                return v == 1
            }
        }
        return try MeasureRequest(
            masks: masks, groundTruth: gt, isCrowd: iscrowd, union: try options.bool("union") == true,
            intersection: try options.bool("intersection") == true
        ).run()
    }

    /// `labelkit vectorize`: a mask -> polygons with holes.
    static func vectorize(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let simplify = try options.double("simplify", minimum: 0) ?? 0
        let percent = try options.bool("percent") ?? false
        var source = value
        if let object = value as? [String: Any], let mask = object["mask"] { source = mask }
        let mask = try MaskSource.read(source, limits: limits, what: "mask").mask(what: "mask")
        return VectorizeRequest(mask: mask, simplify: simplify, percent: percent).run()
    }
}
