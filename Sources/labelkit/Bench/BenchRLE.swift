import ArgumentParser
import LabelKitFormats
import LabelKitCore

/// `labelkit bench rle`: time encode, decode, merge and IoU.
struct BenchRLE: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rle",
        abstract: "Time RLE encode/decode (and COCO merge/IoU) on your input.",
        discussion: """
            Operations and inputs:
              encode  MASK.png              mask -> RLE (ls: byte list; coco: compressed string)
              decode  RLE.json              RLE -> row-major mask (ls: alpha plane)
            With --column-major (coco): encode takes the mask in column-major order
            (transposed before timing) and decode gives 0/1 bytes in column-major
            order, as pycocotools and hotcoco do.
              merge   RLES.json             union of a JSON array of COCO RLEs (coco only)
              iou     DT.json [--gt GT.json] IoU matrix, iscrowd 0 (coco only; gt defaults to dt)

            Examples:
              labelkit bench rle encode --format ls mask.png --runs 50
              labelkit bench rle decode --format coco rle.json
              labelkit bench rle decode --format coco rle.json --column-major
              labelkit bench rle iou --format coco dt.json --gt gt.json
            """
    )

    /// The operation to time.
    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case encode, decode, merge, iou
    }

    @Argument(help: "The operation: encode, decode, merge or iou.")
    var operation: Operation

    @Option(help: "RLE format: ls or coco.")
    var format: RLEFormat

    @OptionGroup var timing: TimedRuns

    @Option(help: "Ground-truth RLE list for iou (defaults to the input list).")
    var gt: String?

    @Option(help: "Image width, for a bare Label Studio RLE array.")
    var width: Int?

    @Option(help: "Image height, for a bare Label Studio RLE array.")
    var height: Int?

    @Flag(help: "COCO encode and decode in column-major (Fortran) order (--column-major).")
    var columnMajor = false

    @Argument(help: "The input file (a mask PNG for encode; RLE JSON otherwise).")
    var input: String

    func validate() throws {
        if operation == .merge || operation == .iou, format != .coco {
            throw ValidationError("\(operation.rawValue) is a COCO operation: use --format coco")
        }
        if columnMajor, format != .coco || operation == .merge || operation == .iou {
            throw ValidationError("--column-major applies to coco encode and decode")
        }
    }

    func run() async throws {
        let op = "rle.\(operation.rawValue).\(format.rawValue)" + (columnMajor ? ".column-major" : "")
        let result: Stopwatch.Result
        switch (operation, format) {
        case (.encode, .ls):
            let mask = try Input.mask(input)
            result = try Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                try Input.core(input) { () throws(CoreError) in try LabelStudioRLE.encode(mask) }
            }
        case (.encode, .coco) where columnMajor:
            let mask = try Input.mask(input)
            var columns = [UInt8](repeating: 0, count: mask.pixelCount)
            for x in 0..<mask.width {
                for y in 0..<mask.height { columns[x * mask.height + y] = mask.bytes[y * mask.width + x] }
            }
            result = try Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                try Input.core(input) { () throws(CoreError) in
                    try columns.withUnsafeBufferPointer { (bytes) throws(CoreError) in
                        try COCORLE(encodingColumnMajor: bytes, height: mask.height, width: mask.width).compressedCounts
                    }
                }
            }
        case (.encode, .coco):
            let mask = try Input.mask(input)
            result = Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                COCORLE(encoding: mask).compressedCounts
            }
        case (.decode, .ls):
            let document = try Input.brush(input, width: width, height: height)
            result = try Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                try Input.core(input) { () throws(CoreError) in
                    try LabelStudioRLE.decodeMask(document.rle, width: document.width, height: document.height)
                }
            }
        case (.decode, .coco):
            let rle = try Input.coco(input)
            let text = rle.compressedCounts
            result = try Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                // Parse the compressed string too, as pycocotools and hotcoco decode do.
                let parsed = try Input.core(input) { () throws(CoreError) in
                    try COCORLE(height: rle.height, width: rle.width, compressedCounts: text)
                }
                return columnMajor ? parsed.decodeColumnMajor() : parsed.decode().bytes
            }
        case (.merge, _):
            let rles = try Input.cocoList(input)
            result = try Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                try Input.core(input) { () throws(CoreError) in try COCORLE.merge(rles) }
            }
        case (.iou, _):
            let dt = try Input.cocoList(input)
            let gtList = try gt.map(Input.cocoList) ?? dt
            result = Stopwatch.measure(op: op, input: input, runs: timing.runs) {
                COCORLE.iou(dt, gtList, isCrowd: [Bool](repeating: false, count: gtList.count))
            }
        }
        Output.line(result.json)
    }
}
