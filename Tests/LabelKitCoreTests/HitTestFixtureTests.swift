import Foundation
import LabelKitCore
import LabelKitFormats
import Testing
import LabelKitJSON

/// One scene of `hit_test/`: its regions parsed by the code under test and its
/// queries read here.
struct HitTestScene {
    struct Query {
        var x: Double
        var y: Double
        var kind: String
        var hits: [String]?
        var hitsNonzero: [String]?
        var count: Int
        var countNonzero: Int
        var top: String?
        var topNonzero: String?

        var point: Point { Point(x: x, y: y) }
        func hits(_ rule: FillRule) -> [String]? { rule == .evenOdd ? hits : hitsNonzero }
        func count(_ rule: FillRule) -> Int { rule == .evenOdd ? count : countNonzero }
        func top(_ rule: FillRule) -> String? { rule == .evenOdd ? top : topNonzero }
    }

    static let names = ["scene_10", "scene_1000", "scene_10000"]

    var name: String
    var data: Data
    var root: [String: Any]
    var document: RegionsDocument
    var queries: [Query]

    init(_ name: String) throws {
        self.name = name
        data = try Data(contentsOf: Fixtures.url("hit_test/\(name).json"))
        root = try #require(try ExactJSON.parse(data) as? [String: Any])
        document = try RegionsDocument(json: data)
        let raw = try #require(root["queries"] as? [[String: Any]], "\(name): no queries")
        queries = try raw.enumerated().map { i, q in
            func int(_ key: String) throws -> Int { try #require((q[key] as? NSNumber)?.intValue, "queries[\(i)].\(key)") }
            return Query(
                x: try #require((q["x"] as? NSNumber)?.doubleValue),
                y: try #require((q["y"] as? NSNumber)?.doubleValue),
                kind: q["kind"] as? String ?? "",
                hits: q["hits"] as? [String], hitsNonzero: q["hits_nonzero"] as? [String],
                count: try int("count"), countNonzero: try int("count_nonzero"),
                top: q["top"] as? String, topNonzero: q["top_nonzero"] as? String)
        }
    }

    /// The visible regions containing `point`, top-most first, by scanning every
    /// region with `Shape.contains` (no index).
    func bruteForce(_ point: Point, rule: FillRule) -> [String] {
        document.regions.reversed().filter { !$0.isHidden && $0.shape.contains(point, rule: rule) }.map(\.id)
    }
}

/// `hit_test/scene_*.json`: Label Studio regions in z-order and query points with
/// the ids that contain them (top-most first), for both polygon fill rules.
@Suite("Hit-test scene fixtures")
struct HitTestFixtureTests {
    @Test("the scene parses into every region with its hidden flag", arguments: HitTestScene.names)
    func parsesScene(_ name: String) throws {
        let scene = try HitTestScene(name)
        let regions = scene.document.regions
        #expect(scene.document.width == (scene.root["original_width"] as? NSNumber)?.intValue)
        #expect(scene.document.height == (scene.root["original_height"] as? NSNumber)?.intValue)
        #expect(regions.count == (scene.root["region_count"] as? NSNumber)?.intValue)
        #expect(regions.filter(\.isHidden).count == (scene.root["hidden_count"] as? NSNumber)?.intValue)
        #expect(Set(regions.map(\.id)).count == regions.count, "ids are unique")
        let raw = try #require(scene.root["regions"] as? [[String: Any]])
        #expect(regions.map(\.id) == raw.map { $0["id"] as? String ?? "" }, "z-order is kept")
        #expect(scene.queries.count == (scene.root["query_count"] as? NSNumber)?.intValue)
        // Keypoints are discs whose radius is width / 100 * original_width.
        let w = Double(scene.document.width)
        for (region, object) in zip(regions, raw) where object["type"] as? String == "keypointlabels" {
            let value = try #require(object["value"] as? [String: Any])
            let width = try #require((value["width"] as? NSNumber)?.doubleValue)
            guard case .keypoint(let disc) = region.shape else {
                Issue.record("\(region.id) is \(region.shape), expected a keypoint")
                continue
            }
            #expect(disc.radius == width / 100 * w, "\(region.id)")
        }
    }

    @Test("PointList reads the scene's query points", arguments: HitTestScene.names)
    func pointList(_ name: String) throws {
        let scene = try HitTestScene(name)
        let points = try PointList.parse(scene.data)
        #expect(points == scene.queries.map(\.point))
    }

    @Test(
        "regions(at:) and topRegion(at:) give the expected hits",
        arguments: HitTestScene.names, FillRule.allCases)
    func queries(_ name: String, _ rule: FillRule) throws {
        let scene = try HitTestScene(name)
        let index = RegionIndex(regions: scene.document.regions, rule: rule)
        #expect(index.rule == rule)
        var failures = 0
        var fullLists = 0
        for (i, q) in scene.queries.enumerated() {
            let got = index.regions(at: q.point)
            let top = index.topRegion(at: q.point)
            var problems: [String] = []
            if let hits = q.hits(rule) {
                fullLists += 1
                if got != hits { problems.append("regions(at:) = \(got), expected \(hits)") }
                if hits.count != q.count(rule) { problems.append("fixture: hits and count disagree") }
            } else {
                if got.count != q.count(rule) { problems.append("count \(got.count), expected \(q.count(rule))") }
                if got.first != q.top(rule) {
                    problems.append("first hit \(got.first ?? "nil"), expected \(q.top(rule) ?? "nil")")
                }
            }
            if top != got.first { problems.append("topRegion(at:) = \(top ?? "nil") but the first hit is \(got.first ?? "nil")") }
            if top != q.top(rule) { problems.append("topRegion(at:) = \(top ?? "nil"), expected \(q.top(rule) ?? "nil")") }
            guard !problems.isEmpty else { continue }
            failures += 1
            if failures <= 10 {
                Issue.record(
                    """
                    \(name) \(rule.rawValue) queries[\(i)] (\(q.kind)) at (\(q.x), \(q.y)): \
                    \(problems.joined(separator: "; ")); brute force over Shape.contains = \(scene.bruteForce(q.point, rule: rule))
                    """)
            }
        }
        #expect(failures == 0, "\(failures) of \(scene.queries.count) queries failed")
        #expect(fullLists > 0)
        if let first = (scene.root["full_hits_for_first"] as? NSNumber)?.intValue {
            #expect(fullLists == first)
        }
    }

    @Test("includeLocked: false skips locked regions in a fixture scene", arguments: FillRule.allCases)
    func lockedRegionsInScene(_ rule: FillRule) throws {
        let scene = try HitTestScene("scene_1000")
        // Lock every third region: locked regions still hit by default and vanish with includeLocked: false.
        var regions = scene.document.regions
        for i in regions.indices where i % 3 == 0 { regions[i].isLocked = true }
        let locked = Set(regions.filter(\.isLocked).map(\.id))
        let index = RegionIndex(regions: regions, rule: rule)
        for q in scene.queries {
            guard let hits = q.hits(rule) else { continue }
            #expect(index.regions(at: q.point) == hits)
            let unlocked = hits.filter { !locked.contains($0) }
            #expect(index.regions(at: q.point, includeLocked: false) == unlocked, "(\(q.x), \(q.y))")
            #expect(index.topRegion(at: q.point, includeLocked: false) == unlocked.first, "(\(q.x), \(q.y))")
        }
    }
}
