import Foundation
import Logging
import Synchronization

/// Log lines in swift-log's `StreamLogHandler` text (`TIME LEVEL LABEL: k=v ...
/// [SOURCE] MESSAGE`), made cheap on the request path for an access log:
/// metadata set on a logger (Hummingbird sets a request id on every request's
/// logger) is kept as is and formatted only when a line is written, and lines
/// go into a ``LogSink`` that a thread of its own writes out, so a logged
/// request costs no system call.
///
///     let logger = Logger(label: "labelkit.serve") { BufferedLogHandler(label: $0, sink: .standardError) }
public struct BufferedLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// Where lines go.
    public let sink: LogSink
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info

    /// A handler writing `label`'s lines to `sink`.
    public init(label: String, sink: LogSink, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            all.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            all.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = sink.timestamp()
        line += " \(event.level)"
        if !label.isEmpty { line += " " + label }
        line += ":"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)\n"
        // Errors and worse are written at once, in order after what is buffered.
        sink.append(line, now: event.level >= .error)
    }
}

/// A file descriptor that log lines are buffered for: a thread of its own
/// formats and writes the buffer out every ``interval``, and as soon as it
/// passes ``limit`` bytes (the appender wakes it), so writers only copy bytes
/// under a lock. An appender writes itself only for a line marked urgent, or
/// past ``backlog`` bytes when the writer has fallen behind (so memory stays
/// bounded). Lines buffered when the process is killed are lost; ``flush()``
/// before exiting.
public final class LogSink: Sendable {
    /// Standard error, as `StreamLogHandler.standardError` writes.
    public static let standardError = LogSink(fd: STDERR_FILENO)

    /// How often buffered lines are written.
    public static let interval = Duration.milliseconds(50)
    /// Buffered bytes past which the writer is woken.
    public static let limit = 64 << 10
    /// Buffered bytes past which an appender writes them itself.
    public static let backlog = 1 << 20

    /// A line, or an answered request formatted by the writer.
    private enum Entry {
        case line(String)
        case request(AccessRecord)
    }

    private let fd: Int32
    private let pending = Mutex<(entries: [Entry], bytes: Int)>(([], 0))
    /// One writer at a time, so lines keep their order.
    private let writing = Mutex<Void>(())
    private let clock = Mutex<(second: Int, text: String)>((-1, ""))
    /// Signalled when the buffer passes ``limit``.
    private let wake = DispatchSemaphore(value: 0)

    /// A sink for `fd`; its writer thread starts now.
    public init(fd: Int32) {
        self.fd = fd
        let thread = Thread { [self] in
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(Int(Self.interval / .milliseconds(1))))
                flush()
            }
        }
        thread.name = "labelkit-log"
        thread.start()
    }

    /// Adds `line`; writes everything buffered when `now`.
    public func append(_ line: String, now: Bool = false) {
        add(.line(line), bytes: line.utf8.count, now: now)
    }

    /// Adds an access-log line for an answered request, formatted by the
    /// writer thread, not the caller.
    public func append(_ record: AccessRecord) {
        add(.request(record), bytes: 96, now: false)
    }

    private func add(_ entry: Entry, bytes: Int, now: Bool) {
        let (crossed, behind) = pending.withLock { pending -> (Bool, Bool) in
            let before = pending.bytes
            pending.entries.append(entry)
            pending.bytes += bytes
            return (before < Self.limit && pending.bytes >= Self.limit, pending.bytes >= Self.backlog)
        }
        if now || behind {
            flush()
        } else if crossed {
            wake.signal()
        }
    }

    /// Writes everything buffered.
    public func flush() {
        writing.withLock { _ in
            let entries = pending.withLock { pending -> [Entry] in
                defer {
                    pending.entries.removeAll(keepingCapacity: true)
                    pending.bytes = 0
                }
                return pending.entries
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(entries.count * 128)
            for entry in entries {
                switch entry {
                case .line(let line): bytes.append(contentsOf: line.utf8)
                case .request(let record): record.write(timestamp: timestamp(record.time), to: &bytes)
                }
            }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }  // a closed stream: the lines are dropped
                offset += n
            }
        }
    }

    /// The local time as `StreamLogHandler` writes it (`%Y-%m-%dT%H:%M:%S%z`),
    /// formatted once per second.
    func timestamp(_ at: Int? = nil) -> String {
        var now = at ?? time(nil)
        if let cached = clock.withLock({ $0.second == now ? $0.text : nil }) { return cached }
        var parts = tm()
        localtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 64)
        strftime(&text, text.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        let formatted = String(cString: text)
        clock.withLock { $0 = (now, formatted) }
        return formatted
    }
}

/// One answered request for the access log, as ``ServiceMiddleware`` logs it
/// (`TIME info LABEL: method=GET ms=0.42 path=/dzi/... status=200 [LabelKitServer] request`).
public struct AccessRecord: Sendable {
    /// Seconds since 1970 when it was answered.
    public var time: Int
    public var label: String
    public var method: String
    /// The path, already cut to the log's limit.
    public var path: String
    public var status: Int
    /// Time to answer.
    public var duration: Duration

    /// Appends the line, in `StreamLogHandler`'s text with sorted metadata, to
    /// `bytes` (no intermediate strings: the writer formats every request).
    func write(timestamp: String, to bytes: inout [UInt8]) {
        let hundredths = Int((duration / .milliseconds(1) * 100).rounded())
        bytes.append(contentsOf: timestamp.utf8)
        bytes.append(contentsOf: " info ".utf8)
        bytes.append(contentsOf: label.utf8)
        bytes.append(contentsOf: ": method=".utf8)
        bytes.append(contentsOf: method.utf8)
        bytes.append(contentsOf: " ms=".utf8)
        bytes.append(contentsOf: String(hundredths / 100).utf8)  // a small string: no allocation
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(hundredths % 100 / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(hundredths % 10))
        bytes.append(contentsOf: " path=".utf8)
        bytes.append(contentsOf: path.utf8)
        bytes.append(contentsOf: " status=".utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(contentsOf: " [LabelKitServer] request\n".utf8)
    }
}
