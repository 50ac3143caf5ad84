import Crypto
import Foundation
import GRDB
import LabelKitFormats

/// Annotations to draw as overlays: posted ones (kept in SQLite under the
/// SHA-256 prefix of their bytes) and stored ones (JSON files under the root:
/// a result list, an annotation, a task, or a task export whose task for the
/// image is found by the image's file name).
final class AnnotationStore: Sendable {
    let database: DatabasePool
    /// Largest annotation document accepted.
    static let maxBytes = 16 << 20

    init(database: DatabasePool) throws {
        self.database = database
        var migrator = DatabaseMigrator()
        migrator.registerMigration("annotations-v1") { db in
            try db.execute(sql: "CREATE TABLE annotation (id TEXT PRIMARY KEY NOT NULL, json BLOB NOT NULL)")
        }
        try migrator.migrate(database)
    }

    /// Stores a posted annotation after checking that it parses.
    ///
    /// - Returns: its id.
    func store(_ bytes: [UInt8]) throws -> String {
        _ = try RegionsDocument(json: Data(bytes))
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
        guard stat(path, &info) == 0 else { throw ServiceError(404, "no annotation file \"\(name)\"") }
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
            let path = try Self.jsonPath(name, resolver: resolver)
            return try Self.document(from: try Data(contentsOf: URL(fileURLWithPath: path)), for: file)
        }
        let data = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT json FROM annotation WHERE id = ?", arguments: [name])
        }
        guard let data else { throw ServiceError(404, "no annotation \"\(name)\" (post one to /annotations)") }
        return try Self.document(from: data, for: file)
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
    static func document(from data: Data, for file: SourceFile) throws -> RegionsDocument {
        let root = try ExactJSON.parse(data)
        if let tasks = root as? [Any], let first = tasks.first as? [String: Any], first["data"] != nil {
            let name = (file.path as NSString).lastPathComponent
            let task = tasks.compactMap { $0 as? [String: Any] }.first { task in
                let data = task["data"] as? [String: Any] ?? [:]
                return data.values.contains { ($0 as? String).map { ($0 as NSString).lastPathComponent == name } ?? false }
            }
            guard let task else { throw ServiceError(404, "the annotation file has no task for \"\(name)\"") }
            return try RegionsDocument(object: task)
        }
        return try RegionsDocument(object: root)
    }
}
