import Foundation
import Synchronization

/// One image file under the root, with the version its cache keys include.
public struct SourceFile: Hashable, Sendable {
    /// The identifier as requested (percent-decoded).
    public var identifier: String
    /// Absolute path, symlinks resolved.
    public var path: String
    /// Size in bytes.
    public var size: Int
    /// Modification time (nanoseconds since 1970).
    public var modified: Int64

    /// `size-mtime`: changes whenever the file does.
    public var version: String { "\(size)-\(modified)" }
}

/// Maps identifiers to image files under a root folder and refuses every way
/// out of it: `..` and `.` components, absolute paths, encoded slashes that
/// form such components, backslashes, control characters, hidden files, and
/// symlinks whose target lies outside the root.
///
/// An identifier names a file (`astronaut.jpg`) or a file without its
/// extension (`astronaut` finds `astronaut.jpg`, `.jpeg` or `.png`); `%2F`
/// separates subfolders.
///
/// A resolution is remembered for ``freshness`` (one second): a hot tile's
/// identifier costs no `realpath` and no `stat`, and a file replaced on disk
/// is seen within that second (its new version gets new cache keys).
public struct SourceResolver: Sendable {
    /// The root, symlinks resolved.
    public let root: String
    /// How long a resolution is reused.
    public static let freshness = Duration.seconds(1)
    /// The most resolutions remembered; past it they are all forgotten.
    static let rememberedLimit = 4_096
    private let recent = RecentFiles()

    /// A resolver for `root`.
    ///
    /// - Throws: ``ServiceError`` when the root is not a folder.
    public init(root: String) throws {
        guard let resolved = Self.realPath(root) else { throw ServiceError(500, "root \"\(root)\" does not exist") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ServiceError(500, "root \"\(root)\" is not a folder")
        }
        self.root = resolved
    }

    /// The file for a raw (still percent-encoded) identifier.
    ///
    /// - Throws: ``ServiceError`` 400 for an identifier that could leave the
    ///   root or is malformed, 404 when no image file matches.
    public func resolve(_ raw: String) throws(ServiceError) -> SourceFile {
        let now = ContinuousClock.now
        if let hit = recent.entries.withLock({ $0[raw] }), hit.until > now { return hit.file }
        let file = try resolveOnDisk(raw)
        recent.entries.withLock { recent in
            if recent.count >= Self.rememberedLimit { recent.removeAll(keepingCapacity: true) }
            recent[raw] = (file, now + Self.freshness)
        }
        return file
    }

    /// ``resolve(_:)`` without the memory: the checks, `realpath` and `stat`.
    private func resolveOnDisk(_ raw: String) throws(ServiceError) -> SourceFile {
        guard let identifier = raw.removingPercentEncoding else {
            throw ServiceError(400, "identifier \"\(raw)\" is not valid percent-encoding")
        }
        let components = identifier.split(separator: "/", omittingEmptySubsequences: false)
        guard !identifier.isEmpty, identifier.utf8.count <= 512,
            !identifier.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" || $0.value == 0x7F }),
            components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") })
        else {
            throw ServiceError(400, "identifier \"\(identifier)\" is not allowed (no empty, dot or hidden components)")
        }
        let base = root + "/" + identifier
        let lower = identifier.lowercased()
        let hasExtension = [".jpg", ".jpeg", ".png"].contains { lower.hasSuffix($0) }
        let candidates = hasExtension ? [base] : [base + ".jpg", base + ".jpeg", base + ".png", base + ".JPG", base + ".PNG"]
        for candidate in candidates {
            guard let resolved = Self.realPath(candidate) else { continue }
            guard resolved.hasPrefix(root + "/") else {
                throw ServiceError(404, "no image \"\(identifier)\"")
            }
            var info = stat()
            guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            return SourceFile(identifier: identifier, path: resolved, size: Int(info.st_size), modified: modified)
        }
        throw ServiceError(404, "no image \"\(identifier)\"")
    }

    /// `realpath(3)`, or nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// The resolutions ``SourceResolver`` reuses, shared by its copies.
private final class RecentFiles: Sendable {
    let entries = Mutex<[String: (file: SourceFile, until: ContinuousClock.Instant)]>([:])
}
