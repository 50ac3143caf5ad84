import LabelKitCore
import Testing

// MARK: - Seeded random shapes

/// The shape kinds the random generators make.
enum GeometryShapeKind: String, CaseIterable, Sendable {
    case rectangle, ellipse, polygon, keypoint, polyline, strokes
}

/// Seeded random shapes that stress the boundary rule: coordinates are often
/// snapped to pixel edges (integers) or pixel centres (half-integers), rotations
/// include multiples of 90 degrees and the README's -30, 359.99 and 390, sizes are
/// sometimes zero, polygons self-intersect, wind twice or nest.
struct GeometryRandom {
    var g: SplitMix64

    init(seed: UInt64) { g = SplitMix64(seed: seed) }

    mutating func double(_ r: ClosedRange<Double>) -> Double { Double.random(in: r, using: &g) }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &g) }
    mutating func chance(_ p: Double) -> Bool { double(0...1) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A value of `r`: continuous, or snapped to an integer or a half-integer.
    mutating func snapped(_ r: ClosedRange<Double>) -> Double {
        let v = double(r)
        switch int(0...3) {
        case 0: return v.rounded(.down)
        case 1: return v.rounded(.down) + 0.5
        default: return v
        }
    }

    mutating func point(in box: Box) -> Point {
        Point(x: snapped(box.minX...box.maxX), y: snapped(box.minY...box.maxY))
    }

    mutating func size(_ maximum: Double) -> Double {
        chance(0.06) ? 0 : max(0, snapped(0...maximum))
    }

    mutating func rotation() -> Double {
        chance(0.5) ? pick([0, 90, 180, 270, -90, -30, 45, 359.99, 390, 720]) : double(-720...720)
    }

    mutating func rectangle(in box: Box, maxSize: Double) -> RotatedRect {
        RotatedRect(origin: point(in: box), width: size(maxSize), height: size(maxSize), rotation: rotation())
    }

    mutating func ellipse(in box: Box, maxRadius: Double, allowZero: Bool) -> Ellipse {
        func radius(_ g: inout GeometryRandom) -> Double {
            allowZero ? g.size(maxRadius) : max(0.25, g.snapped(0.25...maxRadius))
        }
        return Ellipse(center: point(in: box), radiusX: radius(&self), radiusY: radius(&self), rotation: rotation())
    }

    mutating func disc(in box: Box, maxRadius: Double) -> Disc {
        Disc(center: point(in: box), radius: size(maxRadius))
    }

    mutating func polygon(in box: Box, maxSize: Double, allowDegenerate: Bool) -> Polygon {
        let centre = point(in: box)
        let r = max(1, snapped(1...maxSize))
        func around(_ angle: Double, _ radius: Double) -> Point {
            Point(x: centre.x + radius * Double.cosine(angle), y: centre.y + radius * Double.sine(angle))
        }
        switch int(0...(allowDegenerate ? 7 : 6)) {
        case 0, 1:
            // Random vertices in a square: mostly self-intersecting.
            let n = int(3...12)
            let local = Box(minX: centre.x - r, minY: centre.y - r, maxX: centre.x + r, maxY: centre.y + r)
            return Polygon(points: (0..<n).map { _ in point(in: local) })
        case 2:
            // A star polygon {n/k} (pentagram for 5/2): even-odd and non-zero differ.
            let n = int(5...9), k = int(2...max(2, (n - 1) / 2))
            let phase = double(0...6.3)
            return Polygon(points: (0..<n).map { i in around(phase + 2 * Double.pi * Double(i * k) / Double(n), r) })
        case 3:
            // A regular polygon wound twice (winding number 2 inside).
            let n = int(3...6)
            let ring = (0..<n).map { i in around(2 * Double.pi * Double(i) / Double(n), r) }
            return Polygon(points: ring + ring)
        case 4:
            // Two nested squares of the same orientation joined into one ring.
            let a = r, b = r / 2
            let outer = [
                Point(x: centre.x - a, y: centre.y - a), Point(x: centre.x + a, y: centre.y - a),
                Point(x: centre.x + a, y: centre.y + a), Point(x: centre.x - a, y: centre.y + a),
            ]
            let inner = [
                Point(x: centre.x - b, y: centre.y - b), Point(x: centre.x + b, y: centre.y - b),
                Point(x: centre.x + b, y: centre.y + b), Point(x: centre.x - b, y: centre.y + b),
            ]
            return Polygon(points: outer + [outer[0]] + inner + [inner[0]])
        case 5:
            // A rectilinear polygon on integer / half-integer coordinates (edges on
            // pixel centre rows and columns), with repeated and collinear vertices.
            let n = int(2...6)
            var points: [Point] = []
            var p = point(in: box)
            for _ in 0..<n {
                points.append(p)
                p.x = snapped((p.x - r)...(p.x + r)).rounded(.down) + (chance(0.5) ? 0.5 : 0)
                points.append(p)
                if chance(0.2) { points.append(p) }
                p.y = snapped((p.y - r)...(p.y + r)).rounded(.down) + (chance(0.5) ? 0.5 : 0)
            }
            return Polygon(points: points)
        case 6:
            // A convex regular polygon.
            let n = int(3...10)
            return Polygon(points: (0..<n).map { i in around(2 * Double.pi * Double(i) / Double(n), r) })
        default:
            // 1 or 2 points, or collinear points: only the centres on them.
            switch int(0...2) {
            case 0: return Polygon(points: [point(in: box)])
            case 1: return Polygon(points: [point(in: box), point(in: box)])
            default:
                let a = point(in: box), b = point(in: box)
                return Polygon(points: [a, Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2), b])
            }
        }
    }

    mutating func polyline(in box: Box, maxWidth: Double) -> Polyline {
        let n = int(1...6)
        let start = point(in: box)
        var points = [start]
        for _ in 1..<max(2, n) where n > 1 {
            let last = points[points.count - 1]
            points.append(Point(x: last.x + snapped(-25...25), y: last.y + snapped(-25...25)))
        }
        return Polyline(points: points, strokeWidth: size(maxWidth))
    }

    mutating func strokes(in box: Box) -> [BrushStroke] {
        (0..<int(1...4)).map { i in
            let line = polyline(in: box, maxWidth: 14)
            return BrushStroke(points: line.points, size: line.strokeWidth, mode: i > 0 && chance(0.4) ? .erase : .add)
        }
    }

    /// A random shape of `kind` around `box` (whose margins lie outside the image).
    mutating func shape(_ kind: GeometryShapeKind, in box: Box, scale: Double) -> Shape {
        switch kind {
        case .rectangle: return .rectangle(rectangle(in: box, maxSize: scale))
        case .ellipse: return .ellipse(ellipse(in: box, maxRadius: scale / 2, allowZero: true))
        case .polygon: return .polygon(polygon(in: box, maxSize: scale / 2, allowDegenerate: true))
        case .keypoint: return .keypoint(disc(in: box, maxRadius: scale / 4))
        case .polyline: return .polyline(polyline(in: box, maxWidth: scale / 4))
        case .strokes: return .strokes(strokes(in: box))
        }
    }
}

extension Double {
    /// cos and sin through the standard library only (Foundation is not needed here).
    static func cosine(_ x: Double) -> Double { sine(x + Double.pi / 2) }
    static func sine(_ x: Double) -> Double {
        // Reduce to [-pi, pi] and use a Taylor series: precision is irrelevant, the
        // values only place random vertices.
        var t = x.truncatingRemainder(dividingBy: 2 * Double.pi)
        if t > Double.pi { t -= 2 * Double.pi }
        if t < -Double.pi { t += 2 * Double.pi }
        var term = t, sum = t
        for k in 1..<12 {
            term *= -t * t / Double((2 * k) * (2 * k + 1))
            sum += term
        }
        return sum
    }
}

/// A sink that checks the `SpanSink` contract (non-empty, clipped to the image)
/// and records every covered pixel with how often it was reported.
struct GeometryCheckingSink: SpanSink {
    let width: Int, height: Int
    var hits: [Int]
    var violations: [String] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        hits = [Int](repeating: 0, count: width * height)
    }

    mutating func span(row: Int, columns: Range<Int>) {
        guard (0..<height).contains(row), columns.lowerBound >= 0, columns.upperBound <= width, !columns.isEmpty else {
            if violations.count < 5 { violations.append("span(row: \(row), columns: \(columns)) in \(width)x\(height)") }
            return
        }
        for c in columns { hits[row * width + c] += 1 }
    }
}

// MARK: - Tests

/// `mask.fill` against a per-pixel loop over `Shape.contains` for random shapes.
@Suite("Geometry rasterization properties")
struct GeometryPropertyTests {
    /// Image sizes cycled through: mostly 97x61, plus tiny and one-pixel-thin images.
    static let sizes = [(97, 61), (97, 61), (97, 61), (13, 7), (1, 1), (64, 1), (1, 40)]

    /// How many random shapes of each kind (the per-pixel reference is slow in debug).
    static func count(_ kind: GeometryShapeKind) -> Int {
        switch kind {
        case .rectangle, .ellipse: return 160
        case .keypoint: return 100
        case .polygon: return 90
        case .polyline: return 50
        case .strokes: return 30
        }
    }

    static func seed(_ kind: GeometryShapeKind, _ salt: UInt64) -> UInt64 {
        UInt64(GeometryShapeKind.allCases.firstIndex(of: kind)!) &* 0x1000 &+ salt
    }

    /// Random shapes of `kind`, each with its image size.
    static func cases(_ kind: GeometryShapeKind, salt: UInt64) -> [(shape: Shape, width: Int, height: Int)] {
        var random = GeometryRandom(seed: seed(kind, salt))
        return (0..<count(kind)).map { i in
            let (w, h) = sizes[i % sizes.count]
            let margin = 30.0
            let box = Box(minX: -margin, minY: -margin, maxX: Double(w) + margin, maxY: Double(h) + margin)
            return (random.shape(kind, in: box, scale: Double(max(w, h)) * 0.8 + 4), w, h)
        }
    }

    @Test("mask.fill equals a per-pixel contains loop", arguments: GeometryShapeKind.allCases)
    func fillMatchesBruteForce(_ kind: GeometryShapeKind) {
        var failures = 0
        var filledPixels = 0
        for (i, c) in Self.cases(kind, salt: 1).enumerated() {
            for rule in kind == .polygon ? FillRule.allCases : [.evenOdd] {
                var mask = Mask(width: c.width, height: c.height)
                mask.fill(c.shape, rule: rule)
                filledPixels += mask.area
                let brute = GeometryMaskDiff.bruteForce(c.shape, rule: rule, width: c.width, height: c.height)
                guard let d = GeometryMaskDiff.firstDifference(mask, brute) else { continue }
                failures += 1
                if failures <= 5 {
                    Issue.record(
                        """
                        \(kind) #\(i) \(rule.rawValue) in \(c.width)x\(c.height): \(d.count) pixel(s) differ; \
                        first (x: \(d.x), y: \(d.y)): fill gives \(d.got), contains gives \(d.expected != 0); \
                        shape = \(c.shape)
                        """)
                }
            }
        }
        #expect(failures == 0)
        #expect(filledPixels > 0, "the random shapes cover something")
    }

    @Test("spans are non-empty, clipped to the image and reported once", arguments: GeometryShapeKind.allCases)
    func spanContract(_ kind: GeometryShapeKind) {
        var violations: [String] = []
        var doubles: [String] = []
        for (i, c) in Self.cases(kind, salt: 2).enumerated() {
            for rule in kind == .polygon ? FillRule.allCases : [.evenOdd] {
                var sink = GeometryCheckingSink(width: c.width, height: c.height)
                Rasterizer.rasterize(c.shape, rule: rule, width: c.width, height: c.height, into: &sink)
                violations += sink.violations.map { "\(kind) #\(i): \($0); shape = \(c.shape)" }
                // A polyline is a union of capsules, which may overlap; other shapes
                // emit each pixel once, so a PixelCounter gives the area.
                if kind != .polyline, let k = sink.hits.firstIndex(where: { $0 > 1 }) {
                    doubles.append(
                        "\(kind) #\(i) \(rule.rawValue): pixel (x: \(k % c.width), y: \(k / c.width)) reported \(sink.hits[k]) times; shape = \(c.shape)"
                    )
                }
                var mask = Mask(width: c.width, height: c.height)
                mask.fill(c.shape, rule: rule)
                #expect(sink.hits.map { $0 > 0 } == mask.bytes.map { $0 != 0 }, "\(kind) #\(i)")
                if kind != .polyline {
                    var counter = PixelCounter()
                    Rasterizer.rasterize(c.shape, rule: rule, width: c.width, height: c.height, into: &counter)
                    if counter.count != mask.area && doubles.isEmpty {
                        doubles.append("\(kind) #\(i): PixelCounter \(counter.count) != area \(mask.area)")
                    }
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        #expect(doubles.isEmpty, "\(doubles.prefix(5))")
    }

    @Test("a polygon doubling back along a pixel-centre column reports each pixel once")
    func doubledBackSpike() {
        // Edges (0.5, 0) -> (0.5, 3) -> (0.5, 1) both cross row 0's centre line at
        // x = 0.5, exactly on pixel (0, 0)'s centre.
        let spike = Shape.polygon(Polygon(points: [Point(x: 0.5, y: 0), Point(x: 0.5, y: 3), Point(x: 0.5, y: 1)]))
        var mask = Mask(width: 3, height: 3)
        mask.fill(spike)
        #expect(mask.bytes == [255, 0, 0, 255, 0, 0, 255, 0, 0])
        var counter = PixelCounter()
        Rasterizer.rasterize(spike, width: 3, height: 3, into: &counter)
        #expect(counter.count == mask.area, "PixelCounter counts a pixel of one polygon twice")
    }

    @Test("fill with value 0 erases exactly the shape's pixels", arguments: GeometryShapeKind.allCases)
    func eraseIsComplement(_ kind: GeometryShapeKind) {
        for (i, c) in Self.cases(kind, salt: 3).prefix(20).enumerated() {
            var painted = Mask(width: c.width, height: c.height)
            painted.fill(c.shape)
            var erased = Mask(width: c.width, height: c.height)
            erased.bytes = [UInt8](repeating: 7, count: c.width * c.height)
            erased.fill(c.shape, value: 0)
            #expect(zip(painted.bytes, erased.bytes).allSatisfy { ($0 == 255 && $1 == 0) || ($0 == 0 && $1 == 7) }, "\(kind) #\(i)")
        }
    }

    @Test("shapes entirely outside the image paint nothing", arguments: GeometryShapeKind.allCases)
    func outsideIsEmpty(_ kind: GeometryShapeKind) {
        var random = GeometryRandom(seed: Self.seed(kind, 4))
        for _ in 0..<40 {
            // Around (-500, -500) or (+600, +600): far from a 97x61 image.
            let far = random.chance(0.5) ? -500.0 : 600.0
            let box = Box(minX: far, minY: far, maxX: far + 40, maxY: far + 40)
            let shape = random.shape(kind, in: box, scale: 30)
            var mask = Mask(width: 97, height: 61)
            mask.fill(shape, rule: .nonZero)
            #expect(mask.area == 0, "\(shape)")
        }
    }

    @Test("boundary points of each kind are inside (tolerance 1e-9)")
    func boundaryPointsAreInside() {
        // Rectangle corners and edge points, ellipse extreme points, disc rim.
        let rect = RotatedRect(origin: Point(x: 10, y: 20), width: 30, height: 40, rotation: 0)
        for p in rect.corners { #expect(Shape.rectangle(rect).contains(p)) }
        #expect(Shape.rectangle(rect).contains(Point(x: 40, y: 60)))
        #expect(!Shape.rectangle(rect).contains(Point(x: 40 + 1e-8, y: 60)))
        #expect(Shape.rectangle(rect).contains(Point(x: 40 + 5e-10, y: 60)))
        let ellipse = Ellipse(center: Point(x: 20.5, y: 20.5), radiusX: 5, radiusY: 3)
        #expect(ellipse.contains(Point(x: 25.5, y: 20.5)))
        #expect(ellipse.contains(Point(x: 20.5, y: 17.5)))
        #expect(!ellipse.contains(Point(x: 25.5 + 1e-6, y: 20.5)))
        let disc = Disc(center: Point(x: 3, y: 4), radius: 5)
        #expect(disc.contains(Point(x: 0, y: 0)))
        #expect(!disc.contains(Point(x: -1e-8, y: 0)))
        let square = Polygon(points: [Point(x: 0, y: 0), Point(x: 2, y: 0), Point(x: 2, y: 2), Point(x: 0, y: 2)])
        for rule in FillRule.allCases {
            #expect(square.contains(Point(x: 2, y: 1), rule: rule))
            #expect(square.contains(Point(x: 0, y: 0), rule: rule))
            #expect(!square.contains(Point(x: 2 + 1e-8, y: 1), rule: rule))
        }
        // A 1-point and a 2-point polygon cover only the points on them.
        #expect(Polygon(points: [Point(x: 1.5, y: 1.5)]).contains(Point(x: 1.5, y: 1.5)))
        #expect(!Polygon(points: [Point(x: 1.5, y: 1.5)]).contains(Point(x: 1.5, y: 1.5 + 1e-8)))
        var mask = Mask(width: 5, height: 5)
        mask.fill(.polygon(Polygon(points: [Point(x: 0.5, y: 2.5), Point(x: 4.5, y: 2.5)])))
        #expect(mask.area == 5)
        #expect((0..<5).allSatisfy { mask[$0, 2] == 255 })
    }

    @Test("even-odd and non-zero differ for a pentagram's centre only")
    func pentagram() {
        let points = (0..<5).map { i -> Point in
            let a = -Double.pi / 2 + 4 * Double.pi * Double(i) / 5
            return Point(x: 50 + 40 * Double.cosine(a), y: 50 + 40 * Double.sine(a))
        }
        let star = Polygon(points: points)
        #expect(!star.contains(Point(x: 50, y: 50), rule: .evenOdd))
        #expect(star.contains(Point(x: 50, y: 50), rule: .nonZero))
        var even = Mask(width: 100, height: 100), nonzero = Mask(width: 100, height: 100)
        even.fill(.polygon(star), rule: .evenOdd)
        nonzero.fill(.polygon(star), rule: .nonZero)
        #expect(nonzero.area > even.area)
        #expect(zip(even.bytes, nonzero.bytes).allSatisfy { $0 == 0 || $1 != 0 }, "even-odd is a subset of non-zero")
    }
}
