import Foundation

/// Plain file writes for tiles: no temporary file and no fsync per tile (the
/// whole pyramid is staged and renamed instead, see ``PyramidTarget``).
enum TileFiles {
    /// Creates one folder (an existing one is fine).
    static func makeDirectory(_ path: String) throws(ImagingError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("cannot create", path) }
    }

    /// Writes `bytes` to a new or truncated file.
    static func write(_ bytes: [UInt8], to path: String) throws(ImagingError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create", path) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", path)
            }
            written += n
        }
    }

    /// Renames a file or folder.
    static func rename(_ from: String, _ to: String) throws(ImagingError) {
        guard Glibc.rename(from, to) == 0 else { throw failure("cannot rename \(from) to", to) }
    }

    /// An `.io` error with the system's message for `errno`.
    static func failure(_ action: String, _ path: String) -> ImagingError {
        ImagingError(.io, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
