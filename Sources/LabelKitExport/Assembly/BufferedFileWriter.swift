import LabelKitFormats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one assembled file (`coco.json`, `errors.jsonl`, ...) through a 1 MiB
/// buffer into a temporary sibling that ``commit()`` renames into place, so a
/// reader sees the old file or the whole new one.
struct BufferedFileWriter: ~Copyable {
    let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var failure: String?
    private static let capacity = 1 << 20

    /// Creates the temporary file next to `path`.
    ///
    /// - Throws: ``FormatsError`` naming the file when it cannot be created.
    init(path: String) throws(FormatsError) {
        self.path = path
        temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.error("cannot create", temporary) }
        buffer.reserveCapacity(Self.capacity)
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporary)
        }
    }

    /// Appends bytes.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if buffer.count + bytes.count > Self.capacity { flush() }
        if bytes.count >= Self.capacity {
            writeAll(UnsafeRawBufferPointer(bytes))
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends bytes.
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends ASCII text of the naming scheme (`,"images":[`).
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends an integer in decimal.
    mutating func append(decimal value: Int) {
        if buffer.count + 20 > Self.capacity { flush() }
        guard value != 0 else {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        buffer[start...].reverse()
    }

    /// Writes what is buffered, closes the file and renames it onto ``path``.
    ///
    /// - Throws: ``FormatsError`` naming the file when a write, the close or the
    ///   rename failed.
    /// - Parameter durable: `fsync` before the rename, so the file also survives a
    ///   power loss.
    consuming func commit(durable: Bool = true) throws(FormatsError) {
        flush()
        let synced = !durable || failure != nil || fsync(fd) == 0
        let closed = close(fd) == 0 && synced
        fd = -1
        if let failure {
            unlink(temporary)
            throw FormatsError(.invalidField, failure)
        }
        guard closed else {
            unlink(temporary)
            throw Self.error("cannot write", temporary)
        }
        guard rename(temporary, path) == 0 else {
            let error = Self.error("cannot rename onto", path)
            unlink(temporary)
            throw error
        }
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        pending.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                failure = Self.error("cannot write", temporary).message
                return
            }
            written += n
        }
    }

    private static func error(_ action: String, _ path: String) -> FormatsError {
        FormatsError(.invalidField, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
