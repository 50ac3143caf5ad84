import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// label-studio-converter's COCO values (`convert_to_coco`, version 0.0.59), for
/// users who need to match files made by it.
enum ConverterCOCO {
    /// The converter's box of a rectangle result: rotation applied in **percent**
    /// space (wrong on non-square images), then scaled to pixels.
    static func rotatedBox(_ value: [String: Any], width: Double, height: Double) -> [Double]? {
        guard let x = JSONNumber.finite(value["x"]), let y = JSONNumber.finite(value["y"]), let w = JSONNumber.finite(value["width"]),
            let h = JSONNumber.finite(value["height"])
        else { return nil }
        let r = JSONNumber.finite(value["rotation"]) ?? 0
        var (bx, by, bw, bh) = (x, y, w, h)
        if abs(r) > 0 {
            let alpha = Foundation.atan(h / w)
            let beta = Double.pi * (r / 180)
            let radius = ((w / 2) * (w / 2) + (h / 2) * (h / 2)).squareRoot()
            let x0 = x - radius * (Foundation.cos(Double.pi - alpha - beta) - Foundation.cos(Double.pi - alpha)) + w / 2
            let y0 = y + radius * (Foundation.sin(Double.pi - alpha - beta) - Foundation.sin(Double.pi - alpha)) + h / 2
            let thetas = [alpha + beta, Double.pi - alpha + beta, Double.pi + alpha + beta, 2 * Double.pi - alpha + beta]
            let xs = thetas.map { x0 + radius * Foundation.cos($0) }
            let ys = thetas.map { y0 + radius * Foundation.sin($0) }
            bx = xs.min()!
            by = ys.min()!
            bw = xs.max()! - bx
            bh = ys.max()! - by
        }
        return [bx * width / 100, by * height / 100, bw * width / 100, bh * height / 100]
    }

    /// The converter's annotation for one result (category by name), or nil when
    /// it skips the result (not a rectangle or polygon label, or no label).
    static func annotation(for result: [String: Any]) -> [String: Any]? {
        guard let value = result["value"] as? [String: Any] else { return nil }
        var category: String?
        var key = ""
        for k in ["rectanglelabels", "polygonlabels", "labels"] {
            if let list = value[k] as? [String], let first = list.first {
                category = first
                key = k
                break
            }
        }
        guard let category else { return nil }
        let width = Double(JSONNumber.integer(result["original_width"]) ?? 0)
        let height = Double(JSONNumber.integer(result["original_height"]) ?? 0)
        var annotation: [String: Any] = ["category": category, "ignore": 0, "iscrowd": 0]
        if key == "rectanglelabels" || key == "labels" && value["points"] == nil {
            guard let box = rotatedBox(value, width: width, height: height) else { return nil }
            annotation["segmentation"] = [[Double]]()
            annotation["bbox"] = box
            annotation["area"] = box[2] * box[3]
        } else {
            guard let points = value["points"] as? [[Any]] else { return nil }
            let xy = points.compactMap { p -> (Double, Double)? in
                guard p.count >= 2, let x = JSONNumber.finite(p[0]), let y = JSONNumber.finite(p[1]) else { return nil }
                return (x / 100 * width, y / 100 * height)
            }
            guard !xy.isEmpty else { return nil }
            let xs = xy.map(\.0), ys = xy.map(\.1)
            annotation["segmentation"] = [xy.flatMap { [$0.0, $0.1] }]
            annotation["bbox"] = [xs.min()!, ys.min()!, xs.max()! - xs.min()!, ys.max()! - ys.min()!]
            // Shoelace as numpy computes it: |x . roll(y, 1) - y . roll(x, 1)| / 2.
            var a = 0.0, b = 0.0
            for i in xs.indices {
                let j = (i + xs.count - 1) % xs.count
                a += xs[i] * ys[j]
                b += ys[i] * xs[j]
            }
            annotation["area"] = 0.5 * abs(a - b)
        }
        return annotation
    }

    /// True for a keypoint result with a label.
    static func isLabelledKeypoint(_ result: [String: Any]) -> Bool {
        guard LabelStudioRegion.kind(of: result) == .keypoint, let value = result["value"] as? [String: Any] else {
            return false
        }
        return !((value["keypointlabels"] as? [String]) ?? (value["labels"] as? [String]) ?? []).isEmpty
    }

    /// Label Studio's COCO annotation for the keypoints of one annotation
    /// (label-studio-sdk `process_keypoints_for_coco`): `keypoints` holds `x, y, v`
    /// per label of `order`, in whole pixels rounded half to even (Python's `round`),
    /// `v` 2 where the label was placed and 0, 0, 0 elsewhere (a later point of one
    /// label wins); `bbox` spans the placed points; the category is the merged one.
    static func keypointAnnotation(_ results: [[String: Any]], order: [String]) -> [String: Any] {
        var keypoints = [Int](repeating: 0, count: order.count * 3)
        for result in results {
            guard let value = result["value"] as? [String: Any], let x = JSONNumber.finite(value["x"]),
                let y = JSONNumber.finite(value["y"])
            else { continue }
            let width = Double(JSONNumber.integer(result["original_width"]) ?? 0)
            let height = Double(JSONNumber.integer(result["original_height"]) ?? 0)
            let px = Int((x / 100 * width).rounded(.toNearestOrEven)), py = Int((y / 100 * height).rounded(.toNearestOrEven))
            for label in (value["keypointlabels"] as? [String]) ?? (value["labels"] as? [String]) ?? [] {
                guard let k = order.firstIndex(of: label) else { continue }
                keypoints[3 * k] = px
                keypoints[3 * k + 1] = py
                keypoints[3 * k + 2] = 2
            }
        }
        let placed = order.indices.filter { keypoints[3 * $0 + 2] > 0 }
        var bbox = [0, 0, 0, 0]
        if !placed.isEmpty {
            let xs = placed.map { keypoints[3 * $0] }, ys = placed.map { keypoints[3 * $0 + 1] }
            bbox = [xs.min()!, ys.min()!, xs.max()! - xs.min()!, ys.max()! - ys.min()!]
        }
        return [
            "category": LabelMap.keypointCategory, "keypoints": keypoints, "num_keypoints": placed.count,
            "bbox": bbox, "iscrowd": 0,
        ]
    }
}
