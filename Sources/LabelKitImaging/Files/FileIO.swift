#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes (temporary file in the same folder, fsync,
/// then rename), so a reader never sees a half-written file.
public enum FileIO {
    /// Reads a whole file, of at most `limit` bytes.
    ///
    /// - Throws: `.io` naming the path and the system's reason; `.tooLarge`
    ///   when the file holds more than `limit` bytes (a file that grew after
    ///   its size was checked, or a device).
    public static func read(_ path: String, limit: Int = .max) throws(ImagingError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open", path) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read", path)
            }
            if n == 0 { break }
            guard result.count + n <= limit else {
                throw ImagingError(.tooLarge, "\(path) holds more than \(limit) bytes")
            }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Writes `bytes` to `path` atomically: a temporary sibling is written, synced
    /// and renamed over `path`, so readers see the old file or the new one, never a
    /// mix.
    ///
    /// - Parameter durable: `fsync` before the rename, so the file also survives a
    ///   power loss; batch jobs that keep their own journal pass false (a killed
    ///   process cannot lose data the kernel already holds).
    /// - Throws: `.io` naming the path and the system's reason.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, durable: Bool = true) throws(ImagingError) {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("cannot create", temporary) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = ioError("cannot write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        if (durable && fsync(fd) != 0) || close(fd) != 0 {
            let error = ioError("cannot flush", temporary)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = ioError("cannot rename onto", path)
            unlink(temporary)
            throw error
        }
    }

    static func ioError(_ action: String, _ path: String) -> ImagingError {
        ImagingError(.io, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
