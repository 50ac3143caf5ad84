import LabelKitCore
import Testing

/// A random 640x480 scene and the brute-force answers `RegionIndex` must match.
struct HitTestRandomScene {
    static let width = 640.0, height = 480.0

    var regions: [Region]
    var random: GeometryRandom

    /// 200-500 regions: rotated rectangles, ellipses, polygons (self-intersecting
    /// ones included), keypoint discs and a few polylines; about 10 % hidden and
    /// 15 % locked.
    init(seed: UInt64) {
        random = GeometryRandom(seed: seed)
        let n = random.int(200...500)
        let box = Box(minX: -40, minY: -40, maxX: Self.width + 40, maxY: Self.height + 40)
        var regions: [Region] = []
        for i in 0..<n {
            let shape: Shape
            switch random.int(0...99) {
            case 0..<28: shape = .rectangle(random.rectangle(in: box, maxSize: 160))
            case 28..<50: shape = .ellipse(random.ellipse(in: box, maxRadius: 120, allowZero: false))
            case 50..<80: shape = .polygon(random.polygon(in: box, maxSize: 90, allowDegenerate: false))
            case 80..<95: shape = .keypoint(random.disc(in: box, maxRadius: 8))
            default: shape = .polyline(random.polyline(in: box, maxWidth: 10))
            }
            regions.append(
                Region(
                    id: "r\(i)", shape: shape, labels: ["label"], isHidden: random.chance(0.1),
                    isLocked: random.chance(0.15)))
        }
        self.regions = regions
    }

    /// Query points: uniform ones, exact vertices and corners, ellipse extreme
    /// points, pixel centres, points on rectangle edges and on polygon edges.
    mutating func queries(_ count: Int) -> [Point] {
        var points: [Point] = []
        while points.count < count {
            let region = regions[random.int(0...(regions.count - 1))]
            switch random.int(0...9) {
            case 0, 1, 2:
                points.append(Point(x: random.double(-20...(Self.width + 20)), y: random.double(-20...(Self.height + 20))))
            case 3, 4, 5:
                let vertices = region.shape.vertices
                if !vertices.isEmpty { points.append(vertices[random.int(0...(vertices.count - 1))]) }
            case 6:
                if case .ellipse(let e) = region.shape {
                    let t = Geometry.radians(e.rotation)
                    let (c, s) = (Double.cosine(t), Double.sine(t))
                    let u = random.pick([e.radiusX, -e.radiusX, 0]), v = u == 0 ? random.pick([e.radiusY, -e.radiusY]) : 0
                    points.append(Point(x: e.center.x + u * c - v * s, y: e.center.y + u * s + v * c))
                }
            case 7:
                points.append(
                    Point(x: random.double(0...Self.width).rounded(.down) + 0.5, y: random.double(0...Self.height).rounded(.down) + 0.5))
            default:
                // A point on an edge of the region's outline (rectangle or polygon).
                let outline: [Point]
                switch region.shape {
                case .rectangle(let r): outline = r.corners
                case .polygon(let p): outline = p.points
                default: outline = []
                }
                guard outline.count >= 2 else { continue }
                let k = random.int(0...(outline.count - 1))
                let a = outline[k], b = outline[(k + 1) % outline.count]
                let t = random.pick([0.5, 0.25, random.double(0...1)])
                points.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
            }
        }
        return points
    }

    /// Visible regions containing `point`, top-most first, by `Shape.contains`.
    func hits(_ point: Point, rule: FillRule, includeLocked: Bool = true) -> [String] {
        regions.reversed()
            .filter { !$0.isHidden && (includeLocked || !$0.isLocked) && $0.shape.contains(point, rule: rule) }
            .map(\.id)
    }

    /// Visible regions whose bounding box lies inside `box`, top-most first.
    func inside(_ box: Box) -> [String] {
        regions.reversed().filter { !$0.isHidden && box.contains($0.shape.boundingBox) }.map(\.id)
    }

    /// The nearest vertex within `radius` over visible regions: smallest distance,
    /// ties to the top-most region.
    func nearestVertex(_ point: Point, within radius: Double) -> (id: String, point: Point, distance: Double)? {
        var best: (index: Int, point: Point, distance: Double)?
        for (i, region) in regions.enumerated() where !region.isHidden {
            for v in region.shape.vertices {
                let dx = v.x - point.x, dy = v.y - point.y
                let d = (dx * dx + dy * dy).squareRoot()
                guard d <= radius else { continue }
                if let b = best, d > b.distance || (d == b.distance && i < b.index) { continue }
                best = (i, v, d)
            }
        }
        return best.map { (regions[$0.index].id, $0.point, $0.distance) }
    }
}

/// `RegionIndex` against brute-force scans of random scenes.
@Suite("Hit-test index properties")
struct HitTestPropertyTests {
    static let seeds: [UInt64] = [11, 22, 33, 44]

    @Test("regions(at:) and topRegion(at:) equal a brute-force scan", arguments: seeds, FillRule.allCases)
    func pointQueries(_ seed: UInt64, _ rule: FillRule) {
        var scene = HitTestRandomScene(seed: seed)
        let index = RegionIndex(regions: scene.regions, rule: rule)
        var failures = 0
        var nonEmpty = 0
        for p in scene.queries(400) {
            for includeLocked in [true, false] {
                let expected = scene.hits(p, rule: rule, includeLocked: includeLocked)
                let got = index.regions(at: p, includeLocked: includeLocked)
                let top = index.topRegion(at: p, includeLocked: includeLocked)
                if !expected.isEmpty { nonEmpty += 1 }
                guard got != expected || top != expected.first else { continue }
                failures += 1
                if failures <= 5 {
                    Issue.record(
                        """
                        seed \(seed) \(rule.rawValue) includeLocked \(includeLocked) at (\(p.x), \(p.y)): \
                        regions(at:) = \(got), topRegion = \(top ?? "nil"), brute force = \(expected)
                        """)
                }
            }
        }
        #expect(failures == 0)
        #expect(nonEmpty > 100, "the queries hit something")
    }

    @Test("hidden and locked regions are skipped as asked")
    func hiddenAndLocked() {
        let square = Shape.rectangle(RotatedRect(origin: Point(x: 0, y: 0), width: 10, height: 10))
        let regions = [
            Region(id: "bottom", shape: square),
            Region(id: "hidden", shape: square, isHidden: true),
            Region(id: "locked", shape: square, isLocked: true),
            Region(id: "hiddenLocked", shape: square, isHidden: true, isLocked: true),
        ]
        let index = RegionIndex(regions: regions)
        let p = Point(x: 10, y: 10)  // a corner: on the boundary
        #expect(index.regions(at: p) == ["locked", "bottom"])
        #expect(index.regions(at: p, includeLocked: false) == ["bottom"])
        #expect(index.topRegion(at: p) == "locked")
        #expect(index.topRegion(at: p, includeLocked: false) == "bottom")
        #expect(index.regions(at: Point(x: 10 + 1e-8, y: 10)).isEmpty)
        #expect(RegionIndex(regions: []).regions(at: p).isEmpty)
        #expect(RegionIndex(regions: []).topRegion(at: p) == nil)
        #expect(RegionIndex(regions: []).nearestVertex(to: p, within: 100) == nil)
    }

    @Test("regions(inside:) equals a brute-force scan over bounding boxes", arguments: seeds)
    func insideQueries(_ seed: UInt64) {
        var scene = HitTestRandomScene(seed: seed)
        let index = RegionIndex(regions: scene.regions)
        var boxes: [Box] = []
        for _ in 0..<150 {
            let a = Point(x: scene.random.double(-60...700), y: scene.random.double(-60...540))
            let b = Point(x: a.x + scene.random.double(0...400), y: a.y + scene.random.double(0...300))
            boxes.append(Box(minX: a.x, minY: a.y, maxX: b.x, maxY: b.y))
        }
        // Boxes that are exactly a region's bounding box (inside with every edge touching).
        for _ in 0..<60 {
            boxes.append(scene.regions[scene.random.int(0...(scene.regions.count - 1))].shape.boundingBox)
        }
        boxes.append(Box(minX: -1e6, minY: -1e6, maxX: 1e6, maxY: 1e6))
        var failures = 0
        var nonEmpty = 0
        for box in boxes {
            let expected = scene.inside(box)
            let got = index.regions(inside: box)
            if !expected.isEmpty { nonEmpty += 1 }
            guard got != expected else { continue }
            failures += 1
            if failures <= 5 {
                Issue.record("seed \(seed) inside \(box): got \(got), brute force \(expected)")
            }
        }
        #expect(failures == 0)
        #expect(nonEmpty > 50)
        #expect(
            index.regions(inside: boxes[boxes.count - 1]).count == scene.regions.filter { !$0.isHidden }.count,
            "a huge box holds every visible region")
    }

    @Test("nearestVertex(to:within:) equals a brute-force minimum", arguments: seeds)
    func nearestVertexQueries(_ seed: UInt64) {
        var scene = HitTestRandomScene(seed: seed)
        let index = RegionIndex(regions: scene.regions)
        var failures = 0
        var found = 0
        for (k, p) in scene.queries(300).enumerated() {
            let radius = k % 5 == 0 ? 0 : scene.random.pick([0.5, 3, 12, 40, scene.random.double(0...60)])
            let expected = scene.nearestVertex(p, within: radius)
            let got = index.nearestVertex(to: p, within: radius)
            var ok = true
            switch (got, expected) {
            case (nil, nil): break
            case (let g?, let e?):
                found += 1
                let gd = ((g.point.x - p.x) * (g.point.x - p.x) + (g.point.y - p.y) * (g.point.y - p.y)).squareRoot()
                let region = scene.regions.first { $0.id == g.regionID }
                let vertices = region?.shape.vertices ?? []
                ok = g.regionID == e.id && g.point == e.point && gd == e.distance
                    && vertices.indices.contains(g.vertex) && vertices[g.vertex] == g.point
            default: ok = false
            }
            guard !ok else { continue }
            failures += 1
            if failures <= 5 {
                Issue.record(
                    "seed \(seed) nearestVertex(to: (\(p.x), \(p.y)), within: \(radius)): got \(String(describing: got)), brute force \(String(describing: expected))"
                )
            }
        }
        #expect(failures == 0)
        #expect(found > 100)
    }

    @Test("a point within the ellipse tolerance but past its box margin is hit")
    func largeEllipseTolerance() {
        // README: an ellipse contains (u, v) iff (u/rx)^2 + (v/ry)^2 <= 1 + 1e-9. At
        // u = rx * (1 + 4e-10) the value is 1 + 8e-10: inside. For rx = 600 that point
        // lies 2.4e-7 px beyond the ellipse's box.
        let ellipse = Ellipse(center: Point(x: 320, y: 240), radiusX: 600, radiusY: 50)
        let p = Point(x: 320 + 600 * (1 + 4e-10), y: 240)
        #expect(ellipse.contains(p))
        let region = Region(id: "big", shape: .ellipse(ellipse))
        let index = RegionIndex(regions: [region])
        #expect(index.regions(at: p) == ["big"], "Shape.contains accepts the point, the index must too")
        #expect(index.topRegion(at: p) == "big")
    }

    @Test("a pick tolerance acts as a pixel distance for every shape kind")
    func pickTolerance() {
        // RegionIndex(tolerance:) documents "extra pick distance in pixels: a point this
        // close to a region's boundary hits it". Points 2.5 px outside (tolerance 3)
        // must hit; points 6 px outside must not.
        let tolerance = 3.0
        let shapes: [(String, Shape, Point, Point)] = [
            (
                "rectangle", .rectangle(RotatedRect(origin: Point(x: 100, y: 100), width: 4, height: 4)),
                Point(x: 106.5, y: 102), Point(x: 110, y: 102)
            ),
            ("disc", .keypoint(Disc(center: Point(x: 100, y: 100), radius: 2)), Point(x: 104.5, y: 100), Point(x: 108, y: 100)),
            (
                "small circle ellipse", .ellipse(Ellipse(center: Point(x: 100, y: 100), radiusX: 2, radiusY: 2)),
                Point(x: 104.5, y: 100), Point(x: 108, y: 100)
            ),
            (
                "large circle ellipse (diagonal)",
                .ellipse(Ellipse(center: Point(x: 300, y: 300), radiusX: 100, radiusY: 100)),
                Point(x: 300 + 102.5 / 2.squareRoot(), y: 300 + 102.5 / 2.squareRoot()),
                Point(x: 300 + 106 / 2.squareRoot(), y: 300 + 106 / 2.squareRoot())
            ),
            (
                "polygon", .polygon(Polygon(points: [Point(x: 100, y: 100), Point(x: 104, y: 100), Point(x: 104, y: 104)])),
                Point(x: 106.5, y: 102), Point(x: 110, y: 102)
            ),
        ]
        for (name, shape, near, far) in shapes {
            let index = RegionIndex(regions: [Region(id: name, shape: shape)], tolerance: tolerance)
            #expect(index.tolerance == tolerance)
            #expect(index.regions(at: near) == [name], "\(name): 2.5 px outside with tolerance 3 must hit")
            #expect(index.regions(at: far).isEmpty, "\(name): 6 px outside with tolerance 3 must not hit")
        }
    }
}
