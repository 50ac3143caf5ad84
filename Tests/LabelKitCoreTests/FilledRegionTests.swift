import Foundation
import LabelKitCore
import Testing

/// `FilledRegion` and `Polygon.clip`, against closed forms (triangles, the regular
/// pentagram, circles and ellipses cut by the image's edges) and an independent
/// numerical integral.
@Suite("Geometry: filled area and clipping")
struct FilledRegionTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test("a bow-tie fills its two triangles (the shoelace sum is 0)")
    func bowTie() throws {
        let ring = [Point(x: 0, y: 0), Point(x: 10, y: 10), Point(x: 10, y: 0), Point(x: 0, y: 10)]
        #expect(Polygon.signedArea(of: ring) == 0)
        for rule in FillRule.allCases {
            let region = FilledRegion(rings: [ring], rule: rule)
            #expect(Self.close(region.area, 50), "\(rule): \(region.area)")
            #expect(region.bounds == Box(minX: 0, minY: 0, maxX: 10, maxY: 10))
        }
    }

    /// The regular pentagram {5/2} of circumradius R: its inner pentagon has
    /// circumradius r = R cos 72° / cos 36°; the star's outline encloses
    /// 5 R r sin 36°, the pentagon 5/2 r² sin 72°. Even-odd leaves the pentagon out,
    /// non-zero fills it; the shoelace sum counts it twice.
    @Test("the pentagram: even-odd fills the five points, non-zero the whole star")
    func pentagram() {
        let R = 20.0, r = R * cos(72 * Double.pi / 180) / cos(36 * Double.pi / 180)
        let ring = (0..<5).map { k -> Point in
            let t = (-90 + 144 * Double(k)) * Double.pi / 180
            return Point(x: 50 + R * cos(t), y: 50 + R * sin(t))
        }
        let star = 5 * R * r * sin(36 * Double.pi / 180), pentagon = 2.5 * r * r * sin(72 * Double.pi / 180)
        #expect(Self.close(abs(Polygon.signedArea(of: ring)), star + pentagon))
        #expect(Self.close(FilledRegion(rings: [ring], rule: .evenOdd).area, star - pentagon))
        #expect(Self.close(FilledRegion(rings: [ring], rule: .nonZero).area, star))
        let bounds = FilledRegion(rings: [ring], rule: .evenOdd).bounds!
        let box = Box(covering: ring)
        #expect(Self.close(bounds.minX, box.minX) && Self.close(bounds.maxX, box.maxX))
        #expect(Self.close(bounds.minY, box.minY) && Self.close(bounds.maxY, box.maxY))
    }

    @Test("two nested squares drawn as one ring: even-odd 1,200, non-zero 1,600 (shoelace 2,000)")
    func nestedRings() {
        let ring = [
            Point(x: 0, y: 0), Point(x: 40, y: 0), Point(x: 40, y: 40), Point(x: 0, y: 40), Point(x: 0, y: 0),
            Point(x: 10, y: 10), Point(x: 30, y: 10), Point(x: 30, y: 30), Point(x: 10, y: 30), Point(x: 10, y: 10),
        ]
        #expect(Self.close(abs(Polygon.signedArea(of: ring)), 2_000))
        #expect(Self.close(FilledRegion(rings: [ring], rule: .evenOdd).area, 1_200))
        #expect(Self.close(FilledRegion(rings: [ring], rule: .nonZero).area, 1_600))
    }

    @Test("all points on a line, or fewer than 3: nothing filled, no bounds")
    func degenerate() {
        let line = [Point(x: 0, y: 0), Point(x: 5, y: 5), Point(x: 10, y: 10)]
        for ring in [line, Array(line.prefix(2)), [], [Point(x: 1, y: 1), Point(x: 9, y: 1), Point(x: 4, y: 1)]] {
            let region = FilledRegion(rings: [ring], rule: .evenOdd)
            #expect(region.area == 0)
            #expect(region.bounds == nil)
        }
    }

    @Test("points on a line in percent, off it by rounding in pixels: nothing filled, no bounds")
    func nearlyCollinear() {
        // (26, -1), (48, 43), (71, 89) % of 640 x 480 lie on one line; scaled to pixels
        // the doubles are off it by rounding, which left 1e-12 px² slivers.
        let ring = [(26.0, -1.0), (48.0, 43.0), (71.0, 89.0)].map { Point(x: $0.0 / 100 * 640, y: $0.1 / 100 * 480) }
        let region = FilledRegion(rings: [ring], rule: .evenOdd)
        #expect(region.area == 0)
        #expect(region.bounds == nil)
        // A thin but real sliver of the same length still counts.
        let thin = [ring[0], ring[1], Point(x: ring[2].x + 0.01, y: ring[2].y)]
        #expect(FilledRegion(rings: [thin], rule: .evenOdd).area > 0)
    }

    @Test("a circle centred on an image corner keeps a quarter, on an edge a half")
    func circleOnTheEdge() {
        let image = Box(minX: 0, minY: 0, maxX: 200, maxY: 100)
        let circle = { (cx: Double, cy: Double) in
            Ellipse(center: Point(x: cx, y: cy), radiusX: 30, radiusY: 30).outline(vertexCount: 4_096)
        }
        let full = FilledRegion(rings: [circle(100, 50)], rule: .nonZero).area
        #expect(abs(full - Double.pi * 900) < 1e-5 * Double.pi * 900)
        let corner = FilledRegion(rings: [Polygon.clip(circle(0, 0), to: image)], rule: .nonZero)
        #expect(Self.close(corner.area, full / 4, 1e-9))
        #expect(corner.bounds == Box(minX: 0, minY: 0, maxX: 30, maxY: 30))
        let edge = FilledRegion(rings: [Polygon.clip(circle(200, 50), to: image)], rule: .nonZero)
        #expect(Self.close(edge.area, full / 2, 1e-9))
        #expect(Self.close(edge.bounds!.minX, 170) && edge.bounds!.maxX == 200)
    }

    /// The area of a rotated ellipse inside [0, W] x [0, H] by integrating, column
    /// by column, the part of the chord at x that lies in [0, H] (composite Simpson
    /// over 200,000 columns): nothing in common with the sweep.
    static func clippedEllipseArea(_ e: Ellipse, width: Double, height: Double) -> Double {
        let t = e.rotation * Double.pi / 180, (c, s) = (cos(t), sin(t))
        // Points (x, y) with ((x-cx)c + (y-cy)s)^2/rx^2 + (-(x-cx)s + (y-cy)c)^2/ry^2 <= 1:
        // a quadratic in y for fixed x.
        let a = c * c / (e.radiusY * e.radiusY) + s * s / (e.radiusX * e.radiusX)
        func chord(_ x: Double) -> Double {
            let dx = x - e.center.x
            let b = 2 * dx * c * s * (1 / (e.radiusX * e.radiusX) - 1 / (e.radiusY * e.radiusY))
            let k = dx * dx * (c * c / (e.radiusX * e.radiusX) + s * s / (e.radiusY * e.radiusY)) - 1
            let disc = b * b - 4 * a * k
            guard disc > 0 else { return 0 }
            let y0 = e.center.y + (-b - disc.squareRoot()) / (2 * a),
                y1 = e.center.y + (-b + disc.squareRoot()) / (2 * a)
            return max(0, min(y1, height) - max(y0, 0))
        }
        let n = 200_000, dx = width / Double(n)
        var sum = chord(0) + chord(width)
        for i in 1..<n { sum += chord(Double(i) * dx) * (i % 2 == 1 ? 4 : 2) }
        return sum * dx / 3
    }

    @Test(
        "rotated ellipses partly outside the image: area within 0.01% of the integral", arguments: [0.0, 25, 90, 140])
    func clippedEllipse(_ degrees: Double) {
        let e = Ellipse(center: Point(x: 30, y: 85), radiusX: 70, radiusY: 35, rotation: degrees)
        let image = Box(minX: 0, minY: 0, maxX: 160, maxY: 100)
        let region = FilledRegion(rings: [Polygon.clip(e.outline(vertexCount: 4_096), to: image)], rule: .nonZero)
        let expected = Self.clippedEllipseArea(e, width: 160, height: 100)
        #expect(abs(region.area - expected) < 1e-4 * expected, "\(region.area) vs \(expected)")
        #expect(region.area < e.area * 0.9)
        let b = region.bounds!
        #expect(b.minX >= 0 && b.minY >= 0 && b.maxX <= 160 && b.maxY <= 100)
    }

    @Test("clipping keeps what a self-intersecting ring fills inside the box")
    func clipSelfIntersecting() {
        // The bow-tie of side 10 cut at x = 5 keeps half of each triangle: 25.
        let ring = [Point(x: 0, y: 0), Point(x: 10, y: 10), Point(x: 10, y: 0), Point(x: 0, y: 10)]
        let clipped = Polygon.clip(ring, to: Box(minX: 0, minY: 0, maxX: 5, maxY: 10))
        let region = FilledRegion(rings: [clipped], rule: .evenOdd)
        #expect(Self.close(region.area, 25))
        #expect(region.bounds == Box(minX: 0, minY: 0, maxX: 5, maxY: 10))
        #expect(Polygon.clip(ring, to: Box(minX: 20, minY: 20, maxX: 30, maxY: 30)).isEmpty)
    }
}
