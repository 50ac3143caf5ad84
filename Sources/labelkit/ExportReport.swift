import Foundation
import LabelKitExport

/// What `labelkit export` and `labelkit export merge` print on stderr.
enum ExportReport {
    /// One line on stderr.
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A line per failed task: task, annotation and region ids, and the reason.
    static func printFailures(_ failures: [TaskExport.Failure]) {
        for failure in failures {
            print(
                "labelkit: task \(printable(failure.taskID)) annotation \(printable(failure.annotationID))"
                    + " region \(printable(failure.regionID)): \(printable(failure.message))")
        }
    }

    /// `text` with control characters written as `\u{..}`, so that ids and labels
    /// from the input keep each failure on one line of stderr and cannot drive the
    /// terminal.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
