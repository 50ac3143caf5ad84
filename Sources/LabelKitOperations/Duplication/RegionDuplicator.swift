import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// Duplicates and pastes Label Studio regions the way annotation tools do
/// (Label Studio's Ctrl+D, ClearML's copy/paste and "copy all"), on the result
/// JSON itself, so labels, attributes and unknown fields are kept.
///
/// A region is every result item sharing one `id` (geometry plus, for example, a
/// per-region `choices` item); copies of a region share one fresh id. New ids never
/// collide with the ids of the results the duplicator was created with, nor with
/// each other.
///
///     var duplicator = RegionDuplicator(results: annotation.result)
///     let copies = try duplicator.duplicate(regionID: "a1b2c3d4e5", offset: .pixels(dx: 10, dy: 0))
public struct RegionDuplicator {
    /// How far a copy moves.
    public enum Offset: Sendable {
        /// Pixels of the region's image.
        case pixels(dx: Double, dy: Double)
        /// Percent of the image width / height (Label Studio units).
        case percent(dx: Double, dy: Double)

        /// No movement.
        public static let zero = Offset.percent(dx: 0, dy: 0)
    }

    /// How regions land on an image of another size.
    public enum PasteMode: Sendable {
        /// Keep percent coordinates: the region scales with the image.
        case keepPercent
        /// Keep pixel coordinates; with `clip`, polygons and unrotated rectangles are
        /// clipped to the image and regions left entirely outside are dropped.
        case keepPixels(clip: Bool)
    }

    /// The results the duplicator knows (their ids are taken).
    public let results: [[String: Any]]
    private var ids: RegionIDGenerator

    /// Creates a duplicator over the existing results of an image.
    ///
    /// - Parameter seed: makes new ids reproducible (tests); nil for random ids.
    public init(results: [[String: Any]], seed: UInt64? = nil) {
        self.results = results
        ids = RegionIDGenerator(taken: Set(results.compactMap { $0["id"] as? String }), seed: seed)
    }

    /// Copies of the region `regionID` (all its items) with a fresh id, moved by
    /// `offset`, with `parentID` set to the original when `linkParent` is true.
    ///
    /// - Throws: ``FormatsError`` when no result has that id, or a value is malformed.
    public mutating func duplicate(regionID: String, offset: Offset = .zero, linkParent: Bool = false)
        throws(FormatsError) -> [[String: Any]]
    {
        let items = results.filter { ($0["id"] as? String) == regionID }
        guard !items.isEmpty else {
            throw FormatsError(.missingField, "region \"\(regionID)\" is not among the results")
        }
        let newID = ids.next()
        var copies: [[String: Any]] = []
        for item in items {
            var copy = try Self.moved(item, by: offset)
            copy["id"] = newID
            if linkParent { copy["parentID"] = regionID }
            copies.append(copy)
        }
        return copies
    }

    /// Parses a grid `RxC` (`2x3`: two rows, three columns; whole numbers only).
    ///
    /// - Throws: `.invalidField` for anything else.
    public static func grid(_ text: String) throws(FormatsError) -> (rows: Int, columns: Int) {
        let pieces = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        let parts = pieces.compactMap { $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } ? Int($0) : nil }
        guard pieces.count == 2, parts.count == 2 else {
            throw FormatsError(.invalidField, "grid \"\(text)\" must look like 2x3 (rows x columns)")
        }
        return (parts[0], parts[1])
    }

    /// `rows x columns` copies of a region on a grid: copy (r, c) moves by
    /// `(c * spacing.dx, r * spacing.dy)`; the (0, 0) cell is the original and is not
    /// copied.
    ///
    /// - Throws: as ``duplicate(regionID:offset:linkParent:)``; `.invalidField` for
    ///   a grid smaller than 1 x 1 or larger than 10,000 cells.
    public mutating func duplicateGrid(
        regionID: String, rows: Int, columns: Int, spacing: Offset, linkParent: Bool = false
    ) throws(FormatsError) -> [[String: Any]] {
        guard rows >= 1, columns >= 1, rows <= 10_000, columns <= 10_000, rows * columns <= 10_000 else {
            throw FormatsError(.invalidField, "grid \(rows)x\(columns) must have 1...10,000 cells")
        }
        var copies: [[String: Any]] = []
        for r in 0..<rows {
            for c in 0..<columns where r != 0 || c != 0 {
                let offset: Offset
                switch spacing {
                case .pixels(let dx, let dy): offset = .pixels(dx: Double(c) * dx, dy: Double(r) * dy)
                case .percent(let dx, let dy): offset = .percent(dx: Double(c) * dx, dy: Double(r) * dy)
                }
                copies += try duplicate(regionID: regionID, offset: offset, linkParent: linkParent)
            }
        }
        return copies
    }

    /// Copies of `source` results (from another image, or all of this one) for an
    /// image of `width x height`, with fresh ids; relations among the copied regions
    /// are re-pointed to the copies.
    ///
    /// - Throws: ``FormatsError`` naming the region with a malformed value.
    public mutating func paste(_ source: [[String: Any]], width: Int, height: Int, mode: PasteMode)
        throws(FormatsError) -> [[String: Any]]
    {
        guard width > 0, height > 0 else {
            throw FormatsError(.invalidField, "target image size \(width)x\(height) must be positive")
        }
        var newIDs: [String: String] = [:]
        var out: [[String: Any]] = []
        for item in source where (item["type"] as? String) != "relation" {
            guard let pasted = try Self.pasted(item, width: width, height: height, mode: mode) else { continue }
            var copy = pasted
            if let id = item["id"] as? String {
                let newID = newIDs[id] ?? ids.next()
                newIDs[id] = newID
                copy["id"] = newID
            } else {
                copy["id"] = ids.next()
            }
            out.append(copy)
        }
        for item in source where (item["type"] as? String) == "relation" {
            guard let from = item["from_id"] as? String, let to = item["to_id"] as? String,
                let newFrom = newIDs[from], let newTo = newIDs[to]
            else { continue }
            var copy = item
            copy["from_id"] = newFrom
            copy["to_id"] = newTo
            out.append(copy)
        }
        return out
    }

    /// Copies of every region of this image ("copy all"), with fresh ids.
    public mutating func copyAll() throws(FormatsError) -> [[String: Any]] {
        guard let first = results.first(where: { $0["original_width"] != nil }),
            let w = JSONNumber.integer(first["original_width"]), let h = JSONNumber.integer(first["original_height"])
        else { return [] }
        return try paste(results, width: w, height: h, mode: .keepPercent)
    }
}
