import Foundation
import LabelKitCore
import LabelKitFormats

extension TaskExporter {
    /// A region's outline as a polygon in pixels: rectangle corners (TL, TR, BR, BL),
    /// an ellipse sampled at `ellipseVertices` points, polygon vertices; nil for
    /// keypoints and masks.
    func outline(_ shape: Shape) -> [Point]? {
        switch shape {
        case .rectangle(let r): return r.corners
        case .ellipse(let e): return e.outline(vertexCount: max(8, options.ellipseVertices))
        case .polygon(let p): return p.points
        default: return nil
        }
    }

    /// One COCO annotation (category by name, resolved when the file is written);
    /// nil for unlabeled regions.
    func cocoAnnotation(_ region: Region, labels: [String], width: Int, height: Int) -> [String: Any]? {
        guard let label = labels.first else { return nil }
        var annotation: [String: Any] = ["category": label, "iscrowd": 0, "region": region.id]
        switch region.shape {
        case .keypoint(let d):
            annotation["keypoints"] = [d.center.x, d.center.y, 2]
            annotation["num_keypoints"] = 1
            // An empty RLE, so pycocotools' annToMask works on every annotation.
            let empty = COCORLE(encoding: Mask(width: max(width, 1), height: max(height, 1)))
            annotation["segmentation"] =
                ["size": [empty.height, empty.width], "counts": empty.compressedCounts] as [String: Any]
            annotation["bbox"] = [d.center.x, d.center.y, 0, 0]
            annotation["area"] = 0
        case .mask(let m):
            let rle = COCORLE(encoding: m)
            annotation["segmentation"] =
                ["size": [rle.height, rle.width], "counts": rle.compressedCounts] as [String: Any]
            annotation["bbox"] = rle.boundingBox
            annotation["area"] = rle.area
        default:
            guard let outline = outline(region.shape), !outline.isEmpty else { return nil }
            let image = Box(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height))
            var points = Polygon.clip(outline, to: image)
            let visible = visibleRegion(region.shape, image: image)
            var box = visible.bounds ?? Box(covering: points)
            if points.count < 3 {
                // Nothing of it is inside: the outline pressed onto the image's edge (fills
                // nothing), and a box of no size where the shape comes nearest the image,
                // so no consumer trains on it (a shape around a corner would press onto two
                // edges and span a box that holds none of it).
                points = outline.map { Point(x: min(max($0.x, 0), image.maxX), y: min(max($0.y, 0), image.maxY)) }
                var nearest = points[0]
                var shortest = Double.infinity
                for (p, pressed) in zip(outline, points) {
                    let d = (p.x - pressed.x) * (p.x - pressed.x) + (p.y - pressed.y) * (p.y - pressed.y)
                    if d < shortest { (nearest, shortest) = (pressed, d) }
                }
                box = Box(minX: nearest.x, minY: nearest.y, maxX: nearest.x, maxY: nearest.y)
            }
            // pycocotools reads a 4-number part as a box: pad 1- and 2-point polygons to 3 points.
            while points.count < 3, let last = points.last { points.append(last) }
            annotation["segmentation"] = [points.flatMap { [$0.x, $0.y] }]
            annotation["bbox"] = [box.minX, box.minY, box.width, box.height]
            annotation["area"] = visible.area
        }
        return annotation
    }

    /// What a rectangle, ellipse or polygon fills inside the image: the area and
    /// bounds COCO's `area` and `bbox` describe. Polygons fill by the export's rule
    /// (as the mask export does), so a self-intersecting outline counts what is
    /// painted, not its shoelace sum; ellipses are measured on a 4,096-gon (area
    /// within 4e-7 of the true ellipse's), whatever `ellipseVertices` writes.
    func visibleRegion(_ shape: Shape, image: Box) -> FilledRegion {
        switch shape {
        case .rectangle(let r):
            return FilledRegion(rings: [Polygon.clip(r.corners, to: image)], rule: .nonZero)
        case .ellipse(let e):
            return FilledRegion(rings: [Polygon.clip(e.outline(vertexCount: 4_096), to: image)], rule: .nonZero)
        case .polygon(let p):
            return FilledRegion(rings: p.rings.map { Polygon.clip($0, to: image) }, rule: options.rule)
        default:
            return FilledRegion(rings: [], rule: .nonZero)
        }
    }

    /// The VOC object of a labelled region: the whole-pixel box of what it shows
    /// inside the image (nil for unlabeled regions, keypoints, and regions with
    /// nothing inside the image).
    func vocObject(_ region: Region, labels: [String], width: Int, height: Int) -> VOCDocument.Object? {
        guard let label = labels.first else { return nil }
        let image = Box(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height))
        switch region.shape {
        case .keypoint:
            return nil
        case .mask(let m):
            let box = m.foregroundBox
            return VOCDocument.Object(
                name: label, visible: box.isEmpty ? nil : box, extent: box, width: width, height: height)
        default:
            guard let outline = outline(region.shape) else { return nil }
            var extent = Box(covering: outline)
            if case .ellipse(let e) = region.shape { extent = e.boundingBox }
            return VOCDocument.Object(
                name: label, visible: visibleRegion(region.shape, image: image).bounds, extent: extent, width: width,
                height: height)
        }
    }

    /// The YOLO lines of a region for the format: one, or for a brush in
    /// `yolo-seg` one per connected part; none for unlabeled regions and keypoints.
    ///
    /// `yolo-seg` traces brushes along pixel edges and keeps each part's outer
    /// boundary (holes dropped, as Ultralytics' own mask converter does with
    /// `findContours(RETR_EXTERNAL)`); `yolo-obb` gives rotated rectangles their
    /// corners, ellipses their axis-aligned-to-the-ellipse box (the smallest that
    /// holds them), polygons and brushes their minimum-area rectangle.
    func yoloLines(_ region: Region, labels: [String], width: Int, height: Int) -> [String] {
        guard let label = labels.first, let cls = self.labels.index(of: label), width > 0, height > 0 else {
            return []
        }
        let w = Double(width), h = Double(height)
        func line(_ points: [Point]) -> String {
            "\(cls) " + points.map { "\($0.x / w) \($0.y / h)" }.joined(separator: " ")
        }
        switch (options.format, region.shape) {
        case (_, .keypoint):
            return []
        case (.yoloSeg, .mask(let m)):
            return m.contours().map { line($0.outer) }
        case (.yoloOBB, .rectangle(let r)):
            return [line(r.corners)]
        case (.yoloOBB, .ellipse(let e)):
            let (c, s) = (cos(e.rotation * Double.pi / 180), sin(e.rotation * Double.pi / 180))
            let (ax, ay, bx, by) = (e.radiusX * c, e.radiusX * s, -e.radiusY * s, e.radiusY * c)
            let box = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1)].map { (i, j) in
                Point(x: e.center.x + i * ax + j * bx, y: e.center.y + i * ay + j * by)
            }
            return [line(MinimumAreaRectangle(points: box).corners)]
        case (.yoloOBB, .mask(let m)):
            let corners = MinimumAreaRectangle(points: m.contours().flatMap(\.outer)).corners
            return corners.isEmpty ? [] : [line(corners)]
        case (.yoloOBB, _):
            guard let points = outline(region.shape) else { return [] }
            return [line(MinimumAreaRectangle(points: points).corners)]
        case (.yoloSeg, _):
            return outline(region.shape).map { [line($0)] } ?? []
        default:
            let box: Box
            if case .mask(let m) = region.shape {
                box = m.foregroundBox
            } else if let points = outline(region.shape) {
                box = Box(covering: points)
            } else {
                return []
            }
            guard !box.isEmpty else { return [] }
            let xc = (box.minX + box.maxX) / 2 / w, yc = (box.minY + box.maxY) / 2 / h
            return ["\(cls) \(xc) \(yc) \(box.width / w) \(box.height / h)"]
        }
    }
}

extension Shape {
    /// True for a (possibly rotated) rectangle.
    var isRectangle: Bool {
        if case .rectangle = self { return true }
        return false
    }
}
