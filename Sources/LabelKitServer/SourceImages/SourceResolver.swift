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

    /// Device and inode, to tell a remembered file from one put in its place.
    public var device: UInt64 = 0
    public var inode: UInt64 = 0

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
/// A resolution is remembered for ``freshness`` (one second), by the
/// identifier's exact bytes: a hot tile's identifier then costs one `lstat` of
/// the resolved path instead of a `realpath` and a `stat`, and the remembered
/// file is used only while that path is still the same regular file (device,
/// inode, size and time), so a file replaced by another, or by a symlink, is
/// resolved and checked afresh at once.
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
        let key = ExactKey(raw)
        if let hit = recent.entries.withLock({ $0[key] }), hit.until > now, Self.unchanged(hit.file) { return hit.file }
        let file = try resolveOnDisk(raw)
        recent.entries.withLock { recent in
            if recent.count >= Self.rememberedLimit { recent.removeAll(keepingCapacity: true) }
            recent[key] = (file, now + Self.freshness)
        }
        return file
    }

    /// Whether `file`'s path is still the regular file it was (not a symlink,
    /// not another file), by `lstat`.
    private static func unchanged(_ file: SourceFile) -> Bool {
        var info = stat()
        guard lstat(file.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return UInt64(info.st_dev) == file.device && UInt64(info.st_ino) == file.inode && Int(info.st_size) == file.size
            && modified == file.modified
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
            return SourceFile(
                identifier: identifier, path: resolved, size: Int(info.st_size), modified: modified,
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
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
    /// Keyed by the identifier's UTF-8 bytes: Swift's `String` equality would
    /// match canonically equivalent names that are different files on Linux.
    let entries = Mutex<[ExactKey: (file: SourceFile, until: ContinuousClock.Instant)]>([:])
}
