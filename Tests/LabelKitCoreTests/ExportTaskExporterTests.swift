import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import LabelKitImaging
import Testing

/// `TaskExporter` per format on small synthetic tasks; expected values come from
/// the spec formulas (sections 4, 8, 9, 10) and the independent reference encoders.
@Suite("Export: TaskExporter")
struct ExportTaskExporterTests {
    static func export(
        _ task: [String: Any], _ format: ExportFormat, selection: AnnotationSelection = .latest, labels: [String] = []
    ) throws -> TaskExport {
        var map = LabelMap()
        for name in labels { map.insert(name) }
        let exporter = TaskExporter(options: ExportOptions(format: format, selection: selection), labels: map)
        return exporter.export(try LSBuild.parsed(task), index: 0)
    }

    static func cocoAnnotations(_ export: TaskExport) throws -> [String: [String: Any]] {
        let coco = try #require(export.coco)
        let list = try #require(coco["annotations"] as? [[String: Any]])
        var byRegion: [String: [String: Any]] = [:]
        for a in list { byRegion[a["region"] as? String ?? "?"] = a }
        return byRegion
    }

    // MARK: - PNG

    @Test(
        "PNG names: task-{id}-annotation-{aid}-by-{email}-{from_name}-{labels}-{n}.png, counters per from_name+labels")
    func pngNames() throws {
        let s = (40, 30)
        let brush = LSBuild.block(width: 40, height: 30, x0: 2, y0: 3, x1: 9, y1: 8)
        let results: [[String: Any]] = [
            LSBuild.brush("b1", brush, labels: ["Cat"]),
            LSBuild.brush("b2", brush, labels: ["Cat"]),
            LSBuild.brush("b3", brush, labels: ["Dog"]),
            LSBuild.polygon("p1", [[10, 10], [50, 10], [30, 60]], labels: ["Cat"], from: "poly", size: s),
            LSBuild.brush("b4", brush, labels: ["Cat", "Black"]),
            ["id": "c1", "type": "choices", "from_name": "q", "to_name": "image", "value": ["choices": ["Yes"]]],
            LSBuild.brush("b5", brush, labels: ["Cat"]),
            LSBuild.rectangle("r1", x: 1, y: 1, width: 5, height: 5, labels: nil, from: "bbox", size: s),
            LSBuild.ellipse("e1", x: 50, y: 50, rx: 10, ry: 10, labels: ["Cat"], from: "tag", size: s),
        ]
        let task = LSBuild.task(
            12, annotations: [LSBuild.annotation(34, by: ["email": "Jane.Doe+ml@ex-ample.com", "id": 5], results)])
        let out = try Self.export(task, .png)
        let prefix = "task-12-annotation-34-by-Jane.Doeml@example.com-"
        #expect(
            out.files.map(\.name)
                == [
                    "tag-Cat-0", "tag-Cat-1", "tag-Dog-0", "poly-Cat-0", "tag-Cat-Black-0", "tag-Cat-2",
                    "bbox-no_label-0",
                    "tag-Cat-3",
                ].map { prefix + $0 + ".png" })
        #expect(out.failures.isEmpty)
        #expect(out.skipped == 1)
        #expect(out.regions == 8)
    }

    @Test("PNG author: completed_by as an integer, an object with email, absent", arguments: [0, 1, 2, 3])
    func pngAuthor(_ k: Int) throws {
        let by: [Any?] = [42, ["email": "ünï+cödé@x.io"], nil, ["id": 9]]
        let expected = ["42", "ünïcödé@x.io", "", ""]
        let mask = LSBuild.block(width: 8, height: 8, x0: 1, y0: 1, x1: 4, y1: 4)
        let task = LSBuild.task(5, annotations: [LSBuild.annotation(6, by: by[k], [LSBuild.brush("b", mask)])])
        let out = try Self.export(task, .png)
        #expect(out.files.map(\.name) == ["task-5-annotation-6-by-\(expected[k])-tag-Paint-0.png"])
    }

    @Test("PNG brush alpha is written as stored (anti-aliased 1...254 kept), shapes as 0/255")
    func pngValues() throws {
        var brush = Mask(width: 30, height: 20)
        let values: [UInt8] = [0, 1, 2, 64, 127, 128, 129, 200, 254, 255]
        for i in brush.bytes.indices { brush.bytes[i] = values[(i * 7 + i / 30) % values.count] }
        let s = (30, 20)
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.brush("b", brush),
                        LSBuild.rectangle("r", x: 10, y: 10, width: 50, height: 40, rotation: 20, size: s),
                        LSBuild.ellipse("e", x: 50, y: 50, rx: 30, ry: 20, size: s),
                        LSBuild.polygon("p", [[0, 0], [100, 0], [50, 100]], size: s),
                    ])
            ])
        let out = try Self.export(task, .png)
        try #require(out.files.count == 4)
        let decoded = try ExportFiles.mask(out.files[0].bytes)
        #expect(decoded.width == 30 && decoded.height == 20)
        #expect(decoded.bytes == brush.bytes, "brush PNG must hold the alpha plane exactly")
        for file in out.files.dropFirst() {
            let mask = try ExportFiles.mask(file.bytes)
            #expect(mask.width == 30 && mask.height == 20, "\(file.name)")
            #expect(Set(mask.bytes).isSubset(of: [0, 255]), "\(file.name): values \(Set(mask.bytes).sorted())")
            #expect(mask.bytes.contains(255), "\(file.name) is empty")
        }
    }

    @Test("a region that fails names task, annotation and region, and the task writes nothing")
    func failure() throws {
        let good = LSBuild.block(width: 10, height: 10, x0: 0, y0: 0, x1: 5, y1: 5)
        var rle = Reference.labelStudioEncode(mask: good).map(Int.init)
        rle.removeLast(3)
        let task = LSBuild.task(
            77,
            annotations: [
                LSBuild.annotation(
                    88, [LSBuild.brush("fine", good), LSBuild.brush("cut", rle: rle, size: (10, 10))])
            ])
        for format in ExportFormat.allCases {
            let out = try Self.export(task, format, labels: ["Paint"])
            #expect(out.failures.count == 1, "\(format)")
            let failure = try #require(out.failures.first)
            #expect(failure.taskID == "77" && failure.annotationID == "88" && failure.regionID == "cut", "\(format)")
            #expect(!failure.message.isEmpty)
            #expect(out.files.isEmpty, "\(format): a failed task must write no files")
        }
    }

    // MARK: - COCO

    @Test("COCO rotated rectangle: its 4 pixel-space corners TL, TR, BR, BL; bbox = AABB; area = w*h")
    func cocoRotatedRectangle() throws {
        // Spec 10.4 check: W=200, H=100, x=10, y=20, w=30, h=40, r=30 -> pixel AABB [0, 20, 71.9615, 64.6410].
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2, [LSBuild.rectangle("r", x: 10, y: 20, width: 30, height: 40, rotation: 30, labels: ["Car"])])
            ])
        let a = try #require(try Self.cocoAnnotations(try Self.export(task, .coco))["r"])
        let t = 30 * Double.pi / 180, c = cos(t), s = sin(t)
        let (px, py, pw, ph) = (20.0, 20.0, 60.0, 40.0)
        let corners = [
            px, py, px + pw * c, py + pw * s, px + pw * c - ph * s, py + pw * s + ph * c, px - ph * s, py + ph * c,
        ]
        let segmentation = try #require(a["segmentation"] as? [Any])
        #expect(segmentation.count == 1)
        #expect(try #require(exportDoubles(segmentation.first)).isClose(to: corners))
        let bbox = try #require(exportDoubles(a["bbox"]))
        #expect(bbox.isClose(to: [0, 20, 71.96152422706632, 64.64101615137754]), "\(bbox)")
        let area = try #require((a["area"] as? NSNumber)?.doubleValue)
        #expect(abs(area - pw * ph) < 1e-9 * pw * ph, "area \(area)")
        #expect(a["category"] as? String == "Car")
        #expect((a["iscrowd"] as? NSNumber)?.intValue == 0)
    }

    @Test("COCO unrotated rectangle: exact corners and box", arguments: [(10.0, 20.0, 30.0, 40.0), (0, 0, 100, 100)])
    func cocoRectangle(_ r: (Double, Double, Double, Double)) throws {
        let task = LSBuild.task(
            1, annotations: [LSBuild.annotation(2, [LSBuild.rectangle("r", x: r.0, y: r.1, width: r.2, height: r.3)])])
        let a = try #require(try Self.cocoAnnotations(try Self.export(task, .coco))["r"])
        let (x, y, w, h) = (r.0 * 2, r.1, r.2 * 2, r.3)
        let segmentation = try #require((a["segmentation"] as? [Any])?.first)
        #expect(try #require(exportDoubles(segmentation)).isClose(to: [x, y, x + w, y, x + w, y + h, x, y + h]))
        #expect(try #require(exportDoubles(a["bbox"])).isClose(to: [x, y, w, h]))
        #expect(abs(((a["area"] as? NSNumber)?.doubleValue ?? 0) - w * h) < 1e-9 * w * h)
    }

    @Test(
        "COCO ellipse: a polygon on the ellipse, clipped to the image; area and bbox of the visible ellipse",
        arguments: [0.0, 37, 90, 211])
    func cocoEllipse(_ rotation: Double) throws {
        // W=200, H=100: centre (60, 45) px, rx = 25% of 200 = 50 px, ry = 18% of 100 = 18 px.
        // Turned by 90 degrees it reaches y = -5: 5 px of it are above the image.
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2, [LSBuild.ellipse("e", x: 30, y: 45, rx: 25, ry: 18, rotation: rotation, labels: ["Ball"])])
            ])
        let a = try #require(try Self.cocoAnnotations(try Self.export(task, .coco))["e"])
        let flat = try #require(exportDoubles((a["segmentation"] as? [Any])?.first))
        #expect(flat.count >= 16 && flat.count % 2 == 0)
        let ellipse = Ellipse(center: Point(x: 60, y: 45), radiusX: 50, radiusY: 18, rotation: rotation)
        let t = rotation * Double.pi / 180, c = cos(t), s = sin(t)
        for k in stride(from: 0, to: flat.count, by: 2) {
            let (x, y) = (flat[k], flat[k + 1])
            #expect(x >= 0 && x <= 200 && y >= 0 && y <= 100, "vertex \(k / 2) is outside the image")
            let u = (x - 60) * c + (y - 45) * s, v = -(x - 60) * s + (y - 45) * c
            let off = (u / 50) * (u / 50) + (v / 18) * (v / 18) - 1
            #expect(off < 1e-9 && (off > -1e-9 || y == 0), "vertex \(k / 2) is neither on the ellipse nor on the edge")
        }
        let visible = FilledRegionTests.clippedEllipseArea(ellipse, width: 200, height: 100)
        let area = try #require((a["area"] as? NSNumber)?.doubleValue)
        #expect(abs(area - visible) < 0.005 * visible + 0.5, "area \(area) vs the visible ellipse's \(visible)")
        if rotation == 90 { #expect(visible < ellipse.area - 50) }
        // The extreme points of these ellipses are inside the image except the top one at 90 degrees.
        let box = ellipse.boundingBox
        let expected = [box.minX, max(box.minY, 0), box.width, box.maxY - max(box.minY, 0)]
        let bbox = try #require(exportDoubles(a["bbox"]))
        for k in 0..<4 {
            #expect(abs(bbox[k] - expected[k]) <= 0.002 * max(box.width, box.height), "bbox \(bbox) vs \(expected)")
        }
    }

    @Test("COCO: shapes partly outside the image get the area and bbox of their visible part")
    func cocoClipped() throws {
        // 200 x 100 image. A rectangle from x = 150 to 250 px (half outside), a polygon
        // reaching y = -20, a rectangle entirely outside.
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.rectangle("r", x: 75, y: 10, width: 50, height: 20, labels: ["A"]),
                        LSBuild.polygon("p", [[10, -20], [30, 50], [10, 50]], labels: ["A"]),
                        LSBuild.rectangle("out", x: 110, y: 10, width: 10, height: 10, labels: ["A"]),
                    ])
            ])
        let annotations = try Self.cocoAnnotations(try Self.export(task, .coco))
        let r = try #require(annotations["r"])
        #expect(try #require(exportDoubles(r["bbox"])).isClose(to: [150, 10, 50, 20]))
        #expect(abs(((r["area"] as? NSNumber)?.doubleValue ?? 0) - 1_000) < 1e-9)
        #expect(
            try #require(exportDoubles((r["segmentation"] as? [Any])?.first)).isClose(
                to: [150, 10, 200, 10, 200, 30, 150, 30]))
        // Triangle (20,-20) (60,50) (20,50) in pixels; above y = 0 a triangle of height 20
        // and base 40 * 20 / 70 is cut off.
        let p = try #require(annotations["p"])
        let whole = 0.5 * 40 * 70, cut = 0.5 * (40.0 * 20 / 70) * 20
        #expect(abs(((p["area"] as? NSNumber)?.doubleValue ?? 0) - (whole - cut)) < 1e-9 * whole)
        #expect(try #require(exportDoubles(p["bbox"])).isClose(to: [20, 0, 40, 50]))
        let out = try #require(annotations["out"])
        #expect((out["area"] as? NSNumber)?.doubleValue == 0)
        let box = try #require(exportDoubles(out["bbox"]))
        #expect(box[0] == 200 && box[2] == 0, "\(box)")
    }

    @Test("COCO: a shape with nothing inside gets a box of no size; a collinear polygon the box of its line")
    func cocoEmptyAndCollinear() throws {
        // 640 x 480 image. A triangle past the top-left corner, (-64, 24) (32, -48) (-64, -48) px
        // (its long edge is the line 3x + 4y = -96, clear of the corner): pressed onto two
        // edges it would span a 32 x 24 box. Its nearest vertex, 48 px away, presses to (32, 0).
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.polygon(
                            "corner", [[-10, 5], [5, -10], [-10, -10]], labels: ["A"], size: (640, 480)),
                        // (166.4, -4.8) to (454.4, 427.2) px: enters at y = 0, x = 169.6.
                        LSBuild.polygon("line", [[26, -1], [48, 43], [71, 89]], labels: ["A"], size: (640, 480)),
                    ])
            ])
        let annotations = try Self.cocoAnnotations(try Self.export(task, .coco))
        let corner = try #require(annotations["corner"])
        #expect((corner["area"] as? NSNumber)?.doubleValue == 0)
        #expect(try #require(exportDoubles(corner["bbox"])).isClose(to: [32, 0, 0, 0]))
        let line = try #require(annotations["line"])
        #expect((line["area"] as? NSNumber)?.doubleValue == 0)
        #expect(try #require(exportDoubles(line["bbox"])).isClose(to: [169.6, 0, 284.8, 427.2]))
    }

    @Test(
        "COCO self-intersecting polygon: the area the mask export fills (even-odd, or non-zero with --rule)",
        arguments: [FillRule.evenOdd, .nonZero])
    func cocoSelfIntersecting(_ rule: FillRule) throws {
        // The pentagram {5/2} of circumradius 20 px about (50, 50) on a 100 x 100 image.
        let R = 20.0, r = R * cos(72 * Double.pi / 180) / cos(36 * Double.pi / 180)
        let points = (0..<5).map { k -> [Double] in
            let t = (-90 + 144 * Double(k)) * Double.pi / 180
            return [50 + R * cos(t), 50 + R * sin(t)]
        }
        let task = LSBuild.task(
            1, annotations: [LSBuild.annotation(2, [LSBuild.polygon("p", points, labels: ["Star"], size: (100, 100))])])
        let exporter = TaskExporter(options: ExportOptions(format: .coco, rule: rule), labels: LabelMap())
        let a = try #require(try Self.cocoAnnotations(exporter.export(try LSBuild.parsed(task), index: 0))["p"])
        let star = 5 * R * r * sin(36 * Double.pi / 180), pentagon = 2.5 * r * r * sin(72 * Double.pi / 180)
        let expected = rule == .evenOdd ? star - pentagon : star
        let area = try #require((a["area"] as? NSNumber)?.doubleValue)
        #expect(abs(area - expected) < 1e-9 * expected, "area \(area) vs \(expected)")
    }

    @Test("COCO polygon: pixel vertices, bbox and shoelace area")
    func cocoPolygon() throws {
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2, [LSBuild.polygon("p", [[10, 10], [60, 15], [40, 70], [12.5, 55]], labels: ["Cup"])])
            ])
        let a = try #require(try Self.cocoAnnotations(try Self.export(task, .coco))["p"])
        let expected = [20.0, 10, 120, 15, 80, 70, 25, 55]
        #expect(try #require(exportDoubles((a["segmentation"] as? [Any])?.first)).isClose(to: expected))
        #expect(try #require(exportDoubles(a["bbox"])).isClose(to: [20, 10, 100, 60]))
        var s = 0.0
        for k in 0..<4 {
            let (x0, y0) = (expected[2 * k], expected[2 * k + 1])
            let (x1, y1) = (expected[(2 * k + 2) % 8], expected[(2 * k + 3) % 8])
            s += x0 * y1 - x1 * y0
        }
        #expect(abs(((a["area"] as? NSNumber)?.doubleValue ?? 0) - abs(s) / 2) < 1e-9)
    }

    @Test("COCO brush: compressed RLE of alpha > 0, equal to the reference encoder and COCORLE(encoding:)")
    func cocoBrush() throws {
        let soft = LSBuild.softDisc(width: 61, height: 37, cx: 20.3, cy: 17.8, r: 11.4)
        #expect(Set(soft.bytes).count > 20, "the test mask should be anti-aliased")
        let task = LSBuild.task(1, annotations: [LSBuild.annotation(2, [LSBuild.brush("b", soft, labels: ["Blob"])])])
        let a = try #require(try Self.cocoAnnotations(try Self.export(task, .coco))["b"])
        let segmentation = try #require(a["segmentation"] as? [String: Any])
        let counts = try #require(segmentation["counts"] as? String)
        #expect(counts == Reference.compress(Reference.cocoCounts(soft)))
        #expect(counts == COCORLE(encoding: soft).compressedCounts)
        #expect(segmentation["size"] as? [Int] == [37, 61])
        #expect((a["area"] as? NSNumber)?.intValue == soft.bytes.filter { $0 != 0 }.count)
        #expect(exportDoubles(a["bbox"]) == Reference.boundingBox(soft))
    }

    @Test("COCO image entry and skipped unlabeled regions")
    func cocoImage() throws {
        let task = LSBuild.task(
            9, image: "/data/local-files/?d=dir%2Fsub/my%20photo.jpg",
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.rectangle("plain", x: 1, y: 1, width: 5, height: 5, labels: nil),
                        LSBuild.rectangle("named", x: 1, y: 1, width: 5, height: 5),
                    ])
            ])
        let out = try Self.export(task, .coco)
        let image = try #require(out.coco?["image"] as? [String: Any])
        #expect(image["width"] as? Int == 200 && image["height"] as? Int == 100)
        #expect(image["file_name"] as? String == "my photo.jpg")
        #expect(image["task"] as? String == "9")
        #expect(try Self.cocoAnnotations(out).keys.sorted() == ["named"])
    }

    // MARK: - YOLO

    static func numbers(_ line: Substring) -> [Double] {
        line.split(separator: " ").dropFirst().map { Double($0) ?? .nan }
    }

    @Test("YOLO boxes: cls xc yc w h normalised; a rotated box gives its true pixel AABB")
    func yolo() throws {
        let task = LSBuild.task(
            1, image: "/data/local-files/?d=images/photo%201.jpg",
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.rectangle("a", x: 10, y: 20, width: 30, height: 40, labels: ["Dog"]),
                        LSBuild.rectangle("b", x: 10, y: 20, width: 30, height: 40, rotation: 30, labels: ["Cat"]),
                        LSBuild.keypoint("k", x: 5, y: 5, labels: ["Cat"]),
                    ])
            ])
        let out = try Self.export(task, .yolo, labels: ["Cat", "Dog"])
        try #require(out.files.count == 1)
        #expect(out.files[0].name == "labels/photo 1.txt")
        let lines = String(decoding: out.files[0].bytes, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == 2)
        #expect(lines[0].hasPrefix("1 ") && lines[1].hasPrefix("0 "))
        #expect(Self.numbers(lines[0]).isClose(to: [0.25, 0.4, 0.3, 0.4], tolerance: 1e-12), "\(lines[0])")
        // AABB [0, 20, 71.9615, 64.6410] of 200 x 100.
        let (bx, by, bw, bh) = (0.0, 20.0, 71.96152422706632, 64.64101615137754)
        #expect(
            Self.numbers(lines[1]).isClose(to: [(bx + bw / 2) / 200, (by + bh / 2) / 100, bw / 200, bh / 100]),
            "\(lines[1])")
    }

    @Test("YOLO-OBB corners and YOLO-seg polygons, normalised by the image size")
    func yoloOBBAndSeg() throws {
        let task = LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    2,
                    [
                        LSBuild.rectangle("b", x: 10, y: 20, width: 30, height: 40, rotation: 30, labels: ["Cat"]),
                        LSBuild.polygon("p", [[10, 10], [60, 15], [40, 70]], labels: ["Dog"]),
                    ])
            ])
        let t = Double.pi / 6, c = cos(t), s = sin(t)
        let corners = [
            20, 20, 20 + 60 * c, 20 + 60 * s, 20 + 60 * c - 40 * s, 20 + 60 * s + 40 * c, 20 - 40 * s, 20 + 40 * c,
        ]
        let normalised = corners.enumerated().map { $0.offset % 2 == 0 ? $0.element / 200 : $0.element / 100 }
        let obb = try Self.export(task, .yoloOBB, labels: ["Cat", "Dog"])
        let obbLines = String(decoding: try #require(obb.files.first).bytes, as: UTF8.self).split(separator: "\n")
        try #require(obbLines.count == 2)
        #expect(obbLines[0].hasPrefix("0 ") && Self.numbers(obbLines[0]).isClose(to: normalised), "\(obbLines[0])")
        let seg = try Self.export(task, .yoloSeg, labels: ["Cat", "Dog"])
        let segLines = String(decoding: try #require(seg.files.first).bytes, as: UTF8.self).split(separator: "\n")
        try #require(segLines.count == 2)
        #expect(segLines[1].hasPrefix("1 "))
        #expect(Self.numbers(segLines[1]).isClose(to: [0.1, 0.1, 0.6, 0.15, 0.4, 0.7]), "\(segLines[1])")
        #expect(Self.numbers(segLines[0]).isClose(to: normalised), "\(segLines[0])")
    }

    // MARK: - Semantic

    @Test("semantic: one class-index PNG per annotation, later regions on top")
    func semantic() throws {
        let s = (20, 10)
        let task = LSBuild.task(
            3,
            annotations: [
                LSBuild.annotation(
                    4, by: 8,
                    [
                        LSBuild.rectangle("a", x: 0, y: 0, width: 50, height: 100, labels: ["A"], size: s),
                        LSBuild.rectangle("b", x: 25, y: 0, width: 50, height: 100, labels: ["B"], size: s),
                    ])
            ])
        let out = try Self.export(task, .semantic, labels: ["A", "B"])
        #expect(out.files.map(\.name) == ["task-3-annotation-4-by-8.png"])
        let mask = try ExportFiles.mask(try #require(out.files.first).bytes)
        #expect(mask[0, 5] == 1 && mask[7, 5] == 2 && mask[12, 5] == 2 && mask[17, 5] == 0)
    }
}
