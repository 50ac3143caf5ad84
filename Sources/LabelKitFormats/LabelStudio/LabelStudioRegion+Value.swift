import Foundation
import LabelKitCore

extension LabelStudioRegion {
    /// The Label Studio `type` and `value` of a shape on a `width x height` image:
    /// the inverse of ``region(from:width:height:)`` (`x% = x_px / width * 100`).
    ///
    /// Rectangles give `x, y, width, height, rotation`; ellipses `x, y, radiusX,
    /// radiusY, rotation`; polygons `points` (holes are dropped: Label Studio
    /// polygons have none); keypoints `x, y, width` (the radius); masks a brush
    /// `rle`. Polylines and strokes have no Label Studio geometry and give nil.
    ///
    /// - Parameter label: stored under the `<type>labels` key when given.
    public static func value(of shape: Shape, width: Int, height: Int, label: String? = nil) -> (
        type: String, value: [String: Any]
    )? {
        let w = Double(width), h = Double(height)
        func px(_ x: Double) -> Double { x / w * 100 }
        func py(_ y: Double) -> Double { y / h * 100 }
        let type: String
        var value: [String: Any]
        switch shape {
        case .rectangle(let r):
            type = "rectanglelabels"
            value = [
                "x": px(r.origin.x), "y": py(r.origin.y), "width": px(r.width), "height": py(r.height),
                "rotation": r.rotation,
            ]
        case .ellipse(let e):
            type = "ellipselabels"
            value = [
                "x": px(e.center.x), "y": py(e.center.y), "radiusX": px(e.radiusX), "radiusY": py(e.radiusY),
                "rotation": e.rotation,
            ]
        case .polygon(let p):
            type = "polygonlabels"
            value = ["points": p.points.map { [px($0.x), py($0.y)] }, "closed": true]
        case .keypoint(let d):
            type = "keypointlabels"
            value = ["x": px(d.center.x), "y": py(d.center.y), "width": px(d.radius)]
        case .mask(let m):
            guard let rle = try? LabelStudioRLE.encode(m) else { return nil }
            type = "brushlabels"
            value = ["format": "rle", "rle": rle.map(Int.init)]
        case .polyline, .strokes:
            return nil
        }
        if let label { value[type] = [label] }
        return (type, value)
    }
}
