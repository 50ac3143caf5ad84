import LabelKitCore
import Testing

/// `LabelStudioRLE.encode(SpanUnion)` against the mask path it replaces:
/// painting every shape into a 0/255 mask and encoding that (itself checked
/// byte for byte against label-studio-converter in the fixture tests).
@Suite("Span union encoding")
struct SpanUnionTests {
    /// A seeded generator (SplitMix64).
    struct Seeded {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func double(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(next() >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
        }
    }

    static func shape(_ random: inout Seeded, width: Int, height: Int) -> Shape {
        let w = Double(width), h = Double(height)
        func point() -> Point { Point(x: random.double(-10...(w + 10)), y: random.double(-10...(h + 10))) }
        switch random.next() % 6 {
        case 0:
            return .polygon(Polygon(points: (0..<Int(3 + random.next() % 12)).map { _ in point() }))
        case 1:
            return .rectangle(
                RotatedRect(origin: point(), width: random.double(0...w / 2), height: random.double(0...h / 2), rotation: random.double(-180...180)))
        case 2:
            return .ellipse(
                Ellipse(center: point(), radiusX: random.double(0...w / 3), radiusY: random.double(0...h / 3), rotation: random.double(0...360)))
        case 3:
            return .keypoint(Disc(center: point(), radius: random.double(0...8)))
        case 4:
            return .polyline(Polyline(points: (0..<4).map { _ in point() }, strokeWidth: random.double(1...9)))
        default:
            return .strokes([
                BrushStroke(points: (0..<5).map { _ in point() }, size: random.double(2...20), mode: .add),
                BrushStroke(points: (0..<3).map { _ in point() }, size: random.double(2...12), mode: .erase),
            ])
        }
    }

    @Test("the union of random shapes encodes exactly like the painted mask", arguments: 0..<200)
    func matchesMask(seed: Int) throws {
        var random = Seeded(state: UInt64(seed))
        let width = Int(1 + random.next() % 97), height = Int(1 + random.next() % 61)
        let rule: FillRule = seed % 2 == 0 ? .evenOdd : .nonZero
        var mask = Mask(width: width, height: height)
        var union = SpanUnion(width: width, height: height)
        for _ in 0..<Int(random.next() % 8) {
            let shape = Self.shape(&random, width: width, height: height)
            mask.fill(shape, rule: rule)
            Rasterizer.rasterize(shape, rule: rule, width: width, height: height, into: &union)
        }
        #expect(try LabelStudioRLE.encode(union) == LabelStudioRLE.encode(mask))
    }

    @Test("full and empty images, and spans touching across rows")
    func edges() throws {
        var full = SpanUnion(width: 5, height: 3)
        for y in 0..<3 { full.span(row: y, columns: 0..<5) }
        #expect(full.intervals().count == 1)
        var mask = Mask(width: 5, height: 3)
        for i in mask.bytes.indices { mask.bytes[i] = 255 }
        #expect(try LabelStudioRLE.encode(full) == LabelStudioRLE.encode(mask))
        #expect(try LabelStudioRLE.encode(SpanUnion(width: 5, height: 3)) == LabelStudioRLE.encode(Mask(width: 5, height: 3)))
        var wrap = SpanUnion(width: 4, height: 2)
        wrap.span(row: 1, columns: 0..<2)
        wrap.span(row: 0, columns: 3..<4)
        wrap.span(row: 0, columns: 1..<3)
        #expect(wrap.intervals().map { [$0.start, $0.end] } == [[1, 6]])
    }
}
