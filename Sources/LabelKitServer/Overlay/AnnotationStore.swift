import Crypto
import Foundation
import GRDB
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitStore

/// Annotations to draw as overlays: posted ones (kept in SQLite under the
/// SHA-256 prefix of their bytes) and stored ones (JSON files under the root:
/// a result list, an annotation, a task, or a task export whose task for the
/// image is found by the image's file name).
///
/// Every document is checked before its regions are built: at most
/// `maxRegions` regions (422 naming `--max-overlay-regions`), and brush and bitmask masks
/// that decode to at most `maxMaskPixels` pixels in all (each brush region
/// decodes to a mask of the document's image size; `--max-overlay-mask-mp`).
final class AnnotationStore: Sendable {
    let database: SQLiteDatabase
    /// Largest annotation document accepted.
    static let maxBytes = 16 << 20
    /// Most regions one overlay may hold.
    let maxRegions: Int
    /// Most mask pixels the brush regions of one document decode to, in all.
    let maxMaskPixels: Int

    /// Namespace `annotations` in the shared database: posted overlay documents by id.
    static let schema = Schema("annotations") {
        $0.migration("v1", legacyID: "annotations-v1") { db in
            try db.execute(sql: "CREATE TABLE annotation (id TEXT PRIMARY KEY NOT NULL, json BLOB NOT NULL)")
        }
    }

    init(database: SQLiteDatabase, maxRegions: Int, maxMaskPixels: Int) throws {
        self.database = database
        self.maxRegions = maxRegions
        self.maxMaskPixels = maxMaskPixels
        try database.require(Self.schema)
    }

    /// Stores a posted annotation after checking that it parses.
    ///
    /// - Returns: its id.
    func store(_ bytes: [UInt8]) throws -> String {
        _ = try regions(ExactJSON.parse(Data(bytes)))
        let id = SHA256.hash(data: bytes).prefix(8).map { String(format: "%02x", $0) }.joined()
        try database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO annotation (id, json) VALUES (?, ?)", arguments: [id, Data(bytes)])
        }
        return id
    }

    /// What a cache key needs to know of the overlay `name`: a posted id is the
    /// hash of its content already; a file adds its size and modification time,
    /// so editing it changes every key (and ETag) that drew it.
    ///
    /// - Throws: 404 for a file outside the root or missing, 413 over the size limit.
    func version(named name: String, resolver: SourceResolver) throws -> String {
        guard name.lowercased().hasSuffix(".json") else { return name }
        let path = try Self.jsonPath(name, resolver: resolver)
        var info = stat()
        // Regular files only: a FIFO or device would block the reader or never end.
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ServiceError(404, "no annotation file \"\(name)\"")
        }
        guard Int(info.st_size) <= Self.maxBytes else {
            throw ServiceError(413, "overlay \"\(name)\" is over \(Self.maxBytes) bytes")
        }
        return "\(name)@\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// The regions named by `name` for the image `file`: a posted id, or a
    /// `.json` file under the root (size checked by ``version(named:resolver:)``
    /// when the cache key was made).
    func document(named name: String, for file: SourceFile, resolver: SourceResolver) throws -> RegionsDocument {
        if name.lowercased().hasSuffix(".json") {
            _ = try version(named: name, resolver: resolver)  // a regular file within the size limit
            let path = try Self.jsonPath(name, resolver: resolver)
            return try document(from: try FileIO.read(path), for: file)
        }
        let data = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT json FROM annotation WHERE id = ?", arguments: [name])
        }
        guard let data else { throw ServiceError(404, "no annotation \"\(name)\" (post one to /annotations)") }
        return try document(from: [UInt8](data), for: file)
    }

    /// A JSON file under the root, with the same rules as image identifiers.
    static func jsonPath(_ name: String, resolver: SourceResolver) throws -> String {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }), !name.contains("\\"),
            let resolved = SourceResolver.realPath(resolver.root + "/" + name), resolved.hasPrefix(resolver.root + "/")
        else { throw ServiceError(404, "no annotation file \"\(name)\"") }
        return resolved
    }

    /// The regions for `file` in a document; a task export picks the task whose
    /// image has the file's name.
    func document(from bytes: [UInt8], for file: SourceFile) throws -> RegionsDocument {
        let root = try ExactJSON.parse(Data(bytes))
        if let tasks = root as? [Any], let first = tasks.first as? [String: Any], first["data"] != nil {
            let name = (file.path as NSString).lastPathComponent
            let task = tasks.compactMap { $0 as? [String: Any] }.first { task in
                let data = task["data"] as? [String: Any] ?? [:]
                return data.values.contains { ($0 as? String).map { ($0 as NSString).lastPathComponent == name } ?? false }
            }
            guard let task else { throw ServiceError(404, "the annotation file has no task for \"\(Reply.cut(name))\"") }
            return try regions(task)
        }
        return try regions(root)
    }

    /// The regions of a parsed document, after checking the region count and the
    /// size brush masks decode to (before any is decoded).
    func regions(_ root: Any) throws -> RegionsDocument {
        let (items, width, height) = try RegionsDocument.items(of: root)
        guard items.count <= maxRegions else {
            throw ServiceError(
                422, "the overlay has \(items.count) regions; the limit is \(maxRegions) (--max-overlay-regions)")
        }
        if let width, let height, width > 0, height > 0 {
            let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
            let brushes = items.count { item in
                guard let object = item as? [String: Any] else { return false }
                let kind = LabelStudioRegion.kind(of: object)
                return kind == .brush || kind == .bitmask
            }
            let (total, overflowTotal) = pixels.multipliedReportingOverflow(by: brushes)
            if brushes > 0, overflow || overflowTotal || total > maxMaskPixels {
                throw ServiceError(
                    422,
                    "\(brushes) brush regions of a \(width)x\(height) image decode to more than the limit of "
                        + "\(maxMaskPixels) mask pixels (--max-overlay-mask-mp)")
            }
        }
        return try RegionsDocument(object: root)
    }
}
