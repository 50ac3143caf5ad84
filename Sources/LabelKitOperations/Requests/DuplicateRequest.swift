import Foundation
import LabelKitCore
import LabelKitFormats

/// `duplicate` (the command line's and `POST /v1/duplicate`'s): copies of Label
/// Studio results with fresh ids, moved, on a grid, pasted into another image, or
/// all of them as they are (``RegionDuplicator``).
public struct DuplicateRequest {
    /// What to copy, and where.
    public enum Action: Sendable {
        /// One region (and its children), moved by an offset.
        case copy(regionID: String, offset: RegionDuplicator.Offset, linkParent: Bool)
        /// One region on a rows x columns grid, `spacing` apart.
        case grid(regionID: String, rows: Int, columns: Int, spacing: RegionDuplicator.Offset, linkParent: Bool)
        /// Every result into a `width` x `height` image.
        case paste(width: Int, height: Int, mode: RegionDuplicator.PasteMode)
        /// Every result with a fresh id.
        case copyAll
    }

    /// The results to copy from.
    public var results: [[String: Any]]
    /// What to do.
    public var action: Action
    /// Seed of the new ids (random when nil).
    public var seed: UInt64?

    /// A request.
    public init(results: [[String: Any]], action: Action, seed: UInt64? = nil) {
        self.results = results
        self.action = action
        self.seed = seed
    }

    /// The results of a document: a list of results, or `{"regions": [...]}` /
    /// `{"result": [...]}`.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` for another shape.
    public static func results(of root: Any) throws(FormatsError) -> [[String: Any]] {
        var list = root as? [Any]
        if list == nil, let object = root as? [String: Any] { list = (object["regions"] ?? object["result"]) as? [Any] }
        guard let list else { throw FormatsError(.invalidField, "expected a list of results or {\"regions\": [...]}") }
        guard let objects = list as? [[String: Any]], objects.count == list.count else {
            throw FormatsError(.invalidField, "every region must be an object")
        }
        return objects
    }

    /// The copies as a JSON list (keys sorted).
    ///
    /// - Throws: ``FormatsError`` naming the region at fault, or when a copy holds a
    ///   value JSON cannot carry (NaN or an infinite number).
    public func run() throws(FormatsError) -> OperationOutput {
        var duplicator = RegionDuplicator(results: results, seed: seed)
        let copies: [[String: Any]]
        switch action {
        case .copy(let id, let offset, let linkParent):
            copies = try duplicator.duplicate(regionID: id, offset: offset, linkParent: linkParent)
        case .grid(let id, let rows, let columns, let spacing, let linkParent):
            copies = try duplicator.duplicateGrid(
                regionID: id, rows: rows, columns: columns, spacing: spacing, linkParent: linkParent)
        case .paste(let width, let height, let mode):
            copies = try duplicator.paste(results, width: width, height: height, mode: mode)
        case .copyAll:
            copies = try duplicator.copyAll()
        }
        guard JSONSerialization.isValidJSONObject(copies),
            let data = try? JSONSerialization.data(withJSONObject: copies, options: [.sortedKeys])
        else {
            throw FormatsError(.invalidField, "the copies hold values JSON cannot carry (NaN or infinite numbers)")
        }
        return .json(String(decoding: data, as: UTF8.self))
    }
}
