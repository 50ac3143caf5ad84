import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import Testing

@testable import LabelKitServer

/// The overlay painter against pixels worked out by hand: fill at 35 %,
/// opaque outlines, the top-most region winning where regions overlap, band
/// seams invisible, brush masks sampled nearest-neighbour, and a cost bounded by
/// the view whatever the regions.
@Suite("Overlay painter")
struct OverlayPainterTests {
    /// A flat grey view.
    static func grey(_ width: Int, _ height: Int, value: UInt8 = 100) -> Image {
        Image(width: width, height: height, channels: 3, pixels: [UInt8](repeating: value, count: width * height * 3))
    }

    static func document(width: Int, height: Int, _ regions: [Region]) -> RegionsDocument {
        var document = try! RegionsDocument(
            object: ["original_width": width, "original_height": height, "regions": [[String: Any]]()])
        document.regions = regions
        return document
    }

    static func rectangle(_ id: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double, label: String) -> Region {
        Region(
            id: id, shape: .rectangle(RotatedRect(origin: Point(x: x, y: y), width: w, height: h)), labels: [label])
    }

    /// The fill blend of the painter: old + (new - old) * 90 / 256.
    static func fill(_ old: UInt8, _ new: UInt8) -> Int { Int(old) + ((Int(new) - Int(old)) * 90) >> 8 }

    @Test("one rectangle: filled inside, outlined on its border, untouched outside")
    func oneRectangle() throws {
        let painter = OverlayPainter(document: Self.document(width: 20, height: 20, [Self.rectangle("a", 5, 5, 10, 10, label: "car")]))
        let out = try painter.paint(Self.grey(20, 20), x: 0, y: 0, width: 20, height: 20, imageWidth: 20, imageHeight: 20)
        let colour = OverlayPainter.colour(of: "car")
        #expect(out.rgb(10, 10) == (Self.fill(100, colour.0), Self.fill(100, colour.1), Self.fill(100, colour.2)))
        #expect(out.rgb(5, 10) == (Int(colour.0), Int(colour.1), Int(colour.2)))
        #expect(out.rgb(14, 14) == (Int(colour.0), Int(colour.1), Int(colour.2)))
        #expect(out.rgb(4, 10) == (100, 100, 100))
        #expect(out.rgb(15, 10) == (100, 100, 100))
    }

    @Test("overlapping regions: the later one shows in the overlap, with an outline where they meet")
    func overlap() throws {
        let painter = OverlayPainter(
            document: Self.document(
                width: 30, height: 10,
                [Self.rectangle("a", 0, 0, 20, 10, label: "a"), Self.rectangle("b", 10, 0, 20, 10, label: "b")]))
        let out = try painter.paint(Self.grey(30, 10), x: 0, y: 0, width: 30, height: 10, imageWidth: 30, imageHeight: 10)
        let a = OverlayPainter.colour(of: "a"), b = OverlayPainter.colour(of: "b")
        #expect(out.rgb(5, 5) == (Self.fill(100, a.0), Self.fill(100, a.1), Self.fill(100, a.2)))
        #expect(out.rgb(15, 5) == (Self.fill(100, b.0), Self.fill(100, b.1), Self.fill(100, b.2)))
        #expect(out.rgb(9, 5) == (Int(a.0), Int(a.1), Int(a.2)))  // a's last column, next to b
        #expect(out.rgb(10, 5) == (Int(b.0), Int(b.1), Int(b.2)))
    }

    @Test("band seams are not outlines; a tall view matches row by row")
    func bandSeams() throws {
        let painter = OverlayPainter(document: Self.document(width: 10, height: 300, [Self.rectangle("a", 2, 10, 6, 280, label: "x")]))
        let out = try painter.paint(Self.grey(10, 300), x: 0, y: 0, width: 10, height: 300, imageWidth: 10, imageHeight: 300)
        let c = OverlayPainter.colour(of: "x")
        let inside = (Self.fill(100, c.0), Self.fill(100, c.1), Self.fill(100, c.2))
        for y in 11..<289 { #expect(out.rgb(4, y) == inside, "row \(y)") }
        #expect(out.rgb(4, 10) == (Int(c.0), Int(c.1), Int(c.2)))
        #expect(out.rgb(4, 289) == (Int(c.0), Int(c.1), Int(c.2)))
    }

    @Test("regions in different bands: each drawn in its own rows only")
    func separateBands() throws {
        let painter = OverlayPainter(
            document: Self.document(
                width: 10, height: 300,
                [Self.rectangle("top", 0, 2, 10, 10, label: "t"), Self.rectangle("bottom", 0, 250, 10, 10, label: "b")]))
        let out = try painter.paint(Self.grey(10, 300), x: 0, y: 0, width: 10, height: 300, imageWidth: 10, imageHeight: 300)
        let t = OverlayPainter.colour(of: "t"), b = OverlayPainter.colour(of: "b")
        #expect(out.rgb(5, 6) == (Self.fill(100, t.0), Self.fill(100, t.1), Self.fill(100, t.2)))
        #expect(out.rgb(5, 255) == (Self.fill(100, b.0), Self.fill(100, b.1), Self.fill(100, b.2)))
        for y in [0, 13, 100, 200, 249, 261, 299] { #expect(out.rgb(5, y) == (100, 100, 100), "row \(y)") }
    }

    @Test("a brush mask is sampled nearest-neighbour at the view's scale")
    func brushMask() throws {
        var mask = Mask(width: 10, height: 10)
        mask.fill(.rectangle(RotatedRect(origin: Point(x: 2, y: 2), width: 4, height: 4)))  // pixels 2...5
        let painter = OverlayPainter(
            document: Self.document(width: 10, height: 10, [Region(id: "m", shape: .mask(mask), labels: ["m"])]))
        let out = try painter.paint(Self.grey(20, 20), x: 0, y: 0, width: 10, height: 10, imageWidth: 10, imageHeight: 10)
        let c = OverlayPainter.colour(of: "m")
        // View pixel v samples mask pixel floor((v + 0.5) / 2): covered for v in 4...11.
        for v in 0..<20 {
            let covered = out.rgb(v, 8) != (100, 100, 100)
            #expect(covered == (4...11).contains(v), "column \(v)")
        }
        #expect(out.rgb(7, 7) == (Self.fill(100, c.0), Self.fill(100, c.1), Self.fill(100, c.2)))
    }

    @Test("10,000 ellipses far larger than the view: every pixel shows the top-most fill")
    func hugeRegions() throws {
        let regions = (0..<10_000).map { i in
            Region(id: "e\(i)", shape: .ellipse(Ellipse(center: Point(x: 50, y: 50), radiusX: 1e9, radiusY: 1e9)), labels: ["big"])
        }
        let painter = OverlayPainter(document: Self.document(width: 100, height: 100, regions))
        let out = try painter.paint(Self.grey(256, 256), x: 0, y: 0, width: 100, height: 100, imageWidth: 100, imageHeight: 100)
        let c = OverlayPainter.colour(of: "big")
        let inside = (Self.fill(100, c.0), Self.fill(100, c.1), Self.fill(100, c.2))
        for (x, y) in [(0, 0), (128, 128), (255, 255), (0, 255)] { #expect(out.rgb(x, y) == inside) }
    }

    @Test("a raised cancellation flag stops the painter")
    func cancellation() {
        let painter = OverlayPainter(document: Self.document(width: 10, height: 10, [Self.rectangle("a", 0, 0, 5, 5, label: "a")]))
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: ImagingError.self) {
            try painter.paint(Self.grey(10, 10), x: 0, y: 0, width: 10, height: 10, imageWidth: 10, imageHeight: 10, cancellation: flag)
        }
    }
}

/// A job queue and pool keep nothing of a job once it has run.
@Suite("Work pool")
struct WorkPoolTests {
    final class Payload: @unchecked Sendable {
        let bytes = [UInt8](repeating: 1, count: 1 << 20)
    }

    @Test("a taken slot is cleared: the job's captures are freed when it has run")
    func queueReleasesJobs() {
        var queue = JobQueue(capacity: 4)
        weak var watched: Payload?
        do {
            let payload = Payload()
            watched = payload
            #expect(queue.append { _ = payload.bytes.count })
        }
        #expect(watched != nil)
        queue.popFirst()?()
        #expect(watched == nil)
        #expect(queue.isEmpty)
    }

    @Test("wraps around its capacity in order and refuses past it")
    func queueOrder() {
        var queue = JobQueue(capacity: 3)
        let log = LogBox()
        for round in 0..<5 {
            for i in 0..<3 { #expect(queue.append { log.add(round * 10 + i) }) }
            #expect(!queue.append {})
            while let job = queue.popFirst() { job() }
        }
        #expect(log.values == (0..<5).flatMap { round in (0..<3).map { round * 10 + $0 } })
    }

    @Test("after 200 jobs on the pool, none of their captures is alive")
    func poolReleasesJobs() async throws {
        let pool = WorkPool(name: "test", threads: 2, queueLimit: 256) { ServiceError(503, "busy") }
        let watch = WeakList()
        for _ in 0..<200 {
            let payload = Payload()
            watch.add(payload)
            _ = try await pool.run { payload.bytes.count }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(watch.alive == 0)
    }

    final class LogBox: @unchecked Sendable {
        var values: [Int] = []
        func add(_ value: Int) { values.append(value) }
    }

    final class WeakList: @unchecked Sendable {
        private var items: [() -> AnyObject?] = []
        func add(_ object: AnyObject) { items.append { [weak object] in object } }
        var alive: Int { items.count { $0() != nil } }
    }
}
