import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitFormats

/// `labelkit rle summary`: encode every mask PNG in folders and print a table.
struct RLESummary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Encode every mask PNG under the given paths in both formats and print a summary table.",
        discussion: """
            For each PNG: size, foreground area, bounding box, Label Studio RLE bytes,
            COCO counts length, whether both formats decode back to the same mask,
            and the encode time. Progress goes to stderr; the table (or JSON with
            --json) to stdout.

            Examples:
              labelkit rle summary SampleImages/masks
              labelkit rle summary --json a.png b.png
            """
    )

    @Flag(help: "Print one JSON object per mask instead of a table.")
    var json = false

    @Argument(help: "Mask PNG files or folders (searched for *.png, not recursively).")
    var paths: [String]

    func run() async throws {
        let files = try expand(paths)
        guard !files.isEmpty else { throw CommandFailure(message: "no PNG files under \(paths.joined(separator: ", "))") }
        var rows: [[String]] = []
        for (index, file) in files.enumerated() {
            FileHandle.standardError.write(Data("\r[\(index + 1)/\(files.count)] \(file)".utf8))
            let mask = try Input.mask(file)
            let start = ContinuousClock.now
            let ls = try Input.core(file) { () throws(CoreError) in try LabelStudioRLE.encode(mask) }
            let coco = COCORLE(encoding: mask)
            let elapsed = ContinuousClock.now - start
            let lsBack = try Input.core(file) { () throws(CoreError) in
                try LabelStudioRLE.decodeMask(ls, width: mask.width, height: mask.height)
            }
            let roundTrip = lsBack == mask && coco.decode().bytes.elementsEqual(mask.bytes.lazy.map { $0 == 0 ? 0 : 255 })
            let box = coco.boundingBox.map { String(Int($0)) }.joined(separator: ",")
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
            rows.append([
                (file as NSString).lastPathComponent, "\(mask.width)x\(mask.height)", "\(coco.area)", "[\(box)]",
                "\(ls.count)", "\(coco.compressedCounts.utf8.count)", roundTrip ? "yes" : "NO",
                String(format: "%.3f", ms),
            ])
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        let header = ["mask", "size", "area", "bbox", "ls_rle_bytes", "coco_chars", "round_trip", "encode_ms"]
        if json {
            for row in rows {
                let fields = zip(header, row).map { "\"\($0)\":\"\($1)\"" }.joined(separator: ",")
                Output.line("{\(fields)}")
            }
        } else {
            Output.line(Table.markdown(header: header, rows: rows))
        }
        if rows.contains(where: { $0[6] != "yes" }) {
            throw CommandFailure(message: "a mask did not round-trip", exitCode: 1)
        }
    }

    func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure(message: "\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.lowercased().hasSuffix(".png") }.sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return files
    }
}

/// Plain-text tables.
enum Table {
    /// A Markdown table with padded columns.
    static func markdown(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
