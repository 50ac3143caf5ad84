import ArgumentParser
import LabelKitCore
import LabelKitFormats
import LabelKitOperations

/// `labelkit rle measure`: areas, boxes, IoU, union and intersection of COCO RLEs.
struct RLEMeasure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Measure COCO RLEs: area and box of each, the IoU matrix against ground truth, union, intersection.",
        discussion: """
            The answer of POST /v1/masks/measure: {"masks": [{"area", "bbox"}, ...], "gt": [...],
            "iou": [[...]], "union": {"size", "counts", "area"}, "intersection": {...}}. The IoU is
            pycocotools' mask.iou (crowd ground truth divides by the detection's area).

            Examples:
              labelkit rle measure detections.json
              labelkit rle measure detections.json --gt truth.json --iscrowd 0,1
              labelkit rle measure detections.json --union --intersection
            """
    )

    @Argument(help: "A JSON array of COCO RLE objects, e.g. detections.json.")
    var input: String

    @Option(help: "A JSON array of ground-truth COCO RLEs for the IoU matrix, e.g. --gt truth.json.")
    var gt: String?

    @Option(help: "Crowd flags of the ground truth, comma-separated 0/1, e.g. --iscrowd 0,1.")
    var iscrowd: String?

    @Flag(help: "Add the union of the masks (--union).")
    var union = false

    @Flag(help: "Add the intersection of the masks (--intersection).")
    var intersection = false

    func run() async throws {
        var crowd: [Bool] = []
        if let iscrowd {
            crowd = try iscrowd.split(separator: ",").map { flag in
                guard flag == "0" || flag == "1" else { throw ValidationError("--iscrowd takes 0 and 1, not \(flag)") }
                return flag == "1"
            }
        }
        let request = MeasureRequest(
            masks: try Input.cocoList(input), groundTruth: try gt.map(Input.cocoList), isCrowd: crowd, union: union,
            intersection: intersection)
        try Output.write(try Input.formats { () throws(FormatsError) in try request.run() }, png: nil)
    }
}
