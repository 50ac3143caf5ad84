import LabelKitFormats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file mapped read-only into memory (journals being assembled), so their lines
/// are read in place without a system call per line.
final class MappedFile: @unchecked Sendable {
    /// The file's first ``bytes``.count bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String

    /// Maps the first `length` bytes of `path` (all of it when nil).
    ///
    /// - Throws: ``FormatsError`` naming the file when it cannot be opened, is
    ///   shorter than `length`, or cannot be mapped.
    init(path: String, length: Int? = nil) throws(FormatsError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.error("cannot open", path) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Self.error("cannot read", path) }
        let size = Int(status.st_size)
        let count = length ?? size
        guard count <= size else {
            throw FormatsError(.invalidField, "\(path): \(size) bytes, shorter than the \(count) recorded")
        }
        guard count > 0 else {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Self.error("cannot map", path)
        }
        bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    private static func error(_ action: String, _ path: String) -> FormatsError {
        FormatsError(.invalidField, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
