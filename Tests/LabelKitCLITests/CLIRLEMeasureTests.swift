import Foundation
import Testing

/// `labelkit rle measure` against pycocotools' reference IoU matrix.
@Suite("labelkit rle measure")
struct CLIRLEMeasureTests {
    @Test("the IoU matrix of the fixture's detections and crowd/non-crowd ground truth is pycocotools' to 1e-12")
    func iouMatrix() throws {
        let fixture = try Fixtures.json("coco_rle/iou_matrix.json")
        let dt = try #require(fixture["dt"] as? [[String: Any]])
        let gt = try #require(fixture["gt"] as? [[String: Any]])
        let crowd = try #require(fixture["iscrowd"] as? [Int])
        let expected = try #require(fixture["iou_matrix"] as? [[Double]])
        let dir = try TempDir()
        try JSONSerialization.data(withJSONObject: dt).write(to: URL(fileURLWithPath: dir.path("dt.json")))
        try JSONSerialization.data(withJSONObject: gt).write(to: URL(fileURLWithPath: dir.path("gt.json")))
        let result = try CLI.run([
            "rle", "measure", dir.path("dt.json"), "--gt", dir.path("gt.json"),
            "--iscrowd", crowd.map(String.init).joined(separator: ","), "--union",
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        let answer = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let iou = try #require(answer["iou"] as? [[Double]])
        #expect(iou.count == expected.count)
        for (row, want) in zip(iou, expected) {
            #expect(row.count == want.count)
            for (a, b) in zip(row, want) { #expect(abs(a - b) <= 1e-12, "\(a) vs \(b)") }
        }
        #expect((answer["masks"] as? [Any])?.count == dt.count && (answer["gt"] as? [Any])?.count == gt.count)
        #expect(answer["union"] is [String: Any] && answer["intersection"] == nil)
        let bad = try CLI.run(["rle", "measure", dir.path("dt.json"), "--iscrowd", "0,2"])
        #expect(bad.status != 0 && bad.stderrText.contains("--iscrowd"))
    }
}
