import Foundation
import FuzzSupport
import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// Fuzzes reading a Label Studio export into regions: the input is the export file.
///
/// - ``JSONArrayStream`` splits the file into elements; when the whole file is valid JSON
///   (an array or an object), the elements must be exactly its elements.
/// - Each element goes through ``LabelStudioTask``, the annotation selections,
///   ``RegionsDocument`` and ``LabelStudioRegion``: regions have finite coordinates and
///   non-negative sizes, and a shape written back as a Label Studio value reads back as
///   the same shape (masks exactly, numbers within 1e-9).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabelStudioTask(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).rest
    let elements = streamElements(bytes)
    checkStream(elements, against: bytes)
    for element in elements.prefix(maxElements) {
        checkTask(element.bytes, index: element.index)
    }
    return 0
}

/// Elements read per input, regions checked per task.
let maxElements = 64
let maxRegions = 256

/// The scratch file the stream reads (one per process, so parallel jobs do not collide).
let scratchPath = NSTemporaryDirectory() + "/labelkit-fuzz-task-\(getpid()).json"

/// The elements the stream hands out before it ends or throws.
func streamElements(_ bytes: [UInt8]) -> [JSONArrayStream.Element] {
    guard FileManager.default.createFile(atPath: scratchPath, contents: Data(bytes)) else {
        fuzzFail("cannot write \(scratchPath)")
    }
    var out: [JSONArrayStream.Element] = []
    do {
        var stream = try JSONArrayStream(path: scratchPath)
        while let element = try stream.next() {
            fuzzCheck(element.index == out.count, "element index \(element.index) after \(out.count) elements")
            fuzzCheck(element.offset >= 0 && element.offset + element.bytes.count <= bytes.count, "element range")
            fuzzCheck(Data(bytes[element.offset..<element.offset + element.bytes.count]) == element.bytes, "element bytes")
            out.append(element)
            if out.count > 4096 { break }
        }
    } catch {
        fuzzCheck(error.code == .invalidJSON, "JSONArrayStream threw \(error.code)")
        if (try? ExactJSON.parse(Data(bytes))).map({ $0 is [Any] || $0 is [String: Any] }) == true {
            fuzzFail("JSONArrayStream refused a valid JSON array or object: \(error.message)")
        }
    }
    return out
}

/// A file that parses as a whole streams as the same elements.
func checkStream(_ elements: [JSONArrayStream.Element], against bytes: [UInt8]) {
    guard let whole = try? ExactJSON.parse(Data(bytes)) else { return }
    let expected: [Any]
    if type(of: whole) == [Int].self {
        expected = (whole as! [Int]).map { $0 as Any }
    } else if let list = whole as? [Any] {
        expected = list
    } else if whole is [String: Any] {
        expected = [whole]
    } else {
        return
    }
    guard elements.count <= 4096 else { return }
    fuzzCheck(elements.count == expected.count, "JSONArrayStream gave \(elements.count) elements, the file has \(expected.count)")
    for (element, value) in zip(elements, expected) {
        guard let parsed = try? ExactJSON.parse(element.bytes) else {
            fuzzFail("element \(element.index) of a valid file does not parse: \(String(decoding: element.bytes, as: UTF8.self).prefix(200))")
        }
        fuzzCheck(FuzzJSON.equal(parsed, value), "element \(element.index) differs from the whole file's")
    }
}

func checkTask(_ json: Data, index: Int) {
    let task: LabelStudioTask
    do {
        task = try LabelStudioTask(json: json, index: index)
    } catch {
        fuzzCheck(error.code == .invalidJSON || error.code == .invalidField, "LabelStudioTask threw \(error.code)")
        return
    }
    _ = task.imageReference
    for selection in AnnotationSelection.allCases {
        for predictions in [false, true] {
            let chosen = selection.annotations(of: task, predictions: predictions)
            fuzzCheck(chosen.count <= task.annotations.count + (predictions ? task.predictions.count : 0), "selection size")
            if selection == .latest {
                fuzzCheck(chosen.count - (predictions ? task.predictions.count : 0) <= 1, "latest gave several")
            }
        }
    }
    var checked = 0
    for annotation in task.annotations + task.predictions {
        _ = annotation.author
        for result in annotation.result {
            guard checked < maxRegions else { return }
            checked += 1
            checkResult(result)
        }
    }
    // The same element as a regions document (a task uses its first annotation).
    if let object = try? ExactJSON.parse(json) {
        checkDocument(object)
    }
}

func checkResult(_ result: [String: Any]) {
    let kind = LabelStudioRegion.kind(of: result)
    let region: Region
    do {
        region = try LabelStudioRegion.region(from: result)
    } catch {
        if kind == nil { fuzzCheck(error.code == .unsupportedRegion, "no kind, but \(error.code)") }
        return
    }
    fuzzCheck(kind != nil, "a result without a kind gave a region")
    guard let width = integer(result["original_width"]), let height = integer(result["original_height"]) else {
        fuzzFail("a region without original_width / original_height")
    }
    checkRegion(region, width: width, height: height)
}

func checkDocument(_ root: Any) {
    let document: RegionsDocument
    do {
        document = try RegionsDocument(object: root)
    } catch {
        return
    }
    fuzzCheck(document.width > 0 && document.height > 0, "document size \(document.width)x\(document.height)")
    for region in document.regions.prefix(maxRegions) {
        checkShape(region.shape)
        // One image: a brush mask has the document's size, the one callers check limits on.
        if case .mask(let m) = region.shape {
            fuzzCheck(
                m.width == document.width && m.height == document.height,
                "a \(m.width)x\(m.height) brush in a document of \(document.width)x\(document.height)")
        }
    }
}

/// A JSON integer as LabelKit reads one (an Int, or a whole non-boolean number).
func integer(_ value: Any?) -> Int? {
    if let value, type(of: value) == Int.self { return value as? Int }
    guard let value, let d = FuzzJSON.double(value), d.isFinite, d.rounded() == d, abs(d) < 9e15 else { return nil }
    return Int(d)
}

/// Finite numbers and non-negative sizes.
func checkShape(_ shape: Shape) {
    func finite(_ values: Double..., what: String) {
        fuzzCheck(values.allSatisfy(\.isFinite), "\(what) is not finite: \(values)")
    }
    switch shape {
    case .rectangle(let r):
        finite(r.origin.x, r.origin.y, r.width, r.height, r.rotation, what: "rectangle")
        fuzzCheck(r.width >= 0 && r.height >= 0, "negative rectangle size")
    case .ellipse(let e):
        finite(e.center.x, e.center.y, e.radiusX, e.radiusY, e.rotation, what: "ellipse")
        fuzzCheck(e.radiusX >= 0 && e.radiusY >= 0, "negative ellipse radius")
    case .polygon(let p):
        fuzzCheck(!p.points.isEmpty, "empty polygon")
        for point in p.points { finite(point.x, point.y, what: "polygon point") }
    case .keypoint(let d):
        finite(d.center.x, d.center.y, d.radius, what: "keypoint")
        fuzzCheck(d.radius >= 0, "negative keypoint radius")
    case .mask(let m):
        fuzzCheck(m.width > 0 && m.height > 0 && m.bytes.count == m.width * m.height, "mask size")
    case .polyline, .strokes:
        fuzzFail("Label Studio results gave a polyline or strokes")
    }
    let box = shape.boundingBox
    _ = shape.contains(Point(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2))
}

/// The region's shape, written back as a Label Studio value and read again.
func checkRegion(_ region: Region, width: Int, height: Int) {
    checkShape(region.shape)
    guard let (type, value) = LabelStudioRegion.value(of: region.shape, width: width, height: height) else {
        fuzzFail("value(of:) refused a region it read")
    }
    let result: [String: Any] = [
        "id": region.id, "type": type, "value": value, "original_width": width, "original_height": height,
    ]
    let back: Region
    do {
        back = try LabelStudioRegion.region(from: result)
    } catch {
        // Percent values of shapes near Double's range may overflow on the way back.
        if magnitude(region.shape) > 1e300 { return }
        fuzzFail("a region written back does not read: \(error.message)")
    }
    fuzzCheck(back.id == region.id, "id changed")
    switch (region.shape, back.shape) {
    case (.rectangle(let a), .rectangle(let b)):
        fuzzCheck(
            close(a.origin.x, b.origin.x) && close(a.origin.y, b.origin.y) && close(a.width, b.width)
                && close(a.height, b.height) && a.rotation == b.rotation, "rectangle round trip: \(a) -> \(b)")
    case (.ellipse(let a), .ellipse(let b)):
        fuzzCheck(
            close(a.center.x, b.center.x) && close(a.center.y, b.center.y) && close(a.radiusX, b.radiusX)
                && close(a.radiusY, b.radiusY) && a.rotation == b.rotation, "ellipse round trip: \(a) -> \(b)")
    case (.polygon(let a), .polygon(let b)):
        fuzzCheck(
            a.points.count == b.points.count
                && zip(a.points, b.points).allSatisfy { close($0.x, $1.x) && close($0.y, $1.y) },
            "polygon round trip")
    case (.keypoint(let a), .keypoint(let b)):
        fuzzCheck(
            close(a.center.x, b.center.x) && close(a.center.y, b.center.y) && close(a.radius, b.radius),
            "keypoint round trip: \(a) -> \(b)")
    case (.mask(let a), .mask(let b)):
        fuzzCheck(a == b, "brush round trip changed the mask")
    default:
        fuzzFail("round trip changed the kind: \(region.shape) -> \(back.shape)")
    }
}

func close(_ a: Double, _ b: Double) -> Bool { fuzzClose(a, b, tolerance: 1e-9) }

/// The largest coordinate of a shape.
func magnitude(_ shape: Shape) -> Double {
    switch shape {
    case .rectangle(let r): return [r.origin.x, r.origin.y, r.width, r.height].map(abs).max()!
    case .ellipse(let e): return [e.center.x, e.center.y, e.radiusX, e.radiusY].map(abs).max()!
    case .polygon(let p): return p.points.map { max(abs($0.x), abs($0.y)) }.max() ?? 0
    case .keypoint(let d): return max(abs(d.center.x), abs(d.center.y), d.radius)
    default: return 0
    }
}
