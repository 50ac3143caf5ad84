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
/// writes the buffer out every ``interval`` (at once past ``limit`` bytes, or
/// for a line marked urgent), so writers only copy bytes under a lock. Lines
/// buffered when the process is killed are lost; ``flush()`` before exiting.
public final class LogSink: Sendable {
    /// Standard error, as `StreamLogHandler.standardError` writes.
    public static let standardError = LogSink(fd: STDERR_FILENO)

    /// How often buffered lines are written.
    public static let interval = Duration.milliseconds(50)
    /// Buffered bytes past which the appending line writes them itself.
    public static let limit = 64 << 10

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

    /// A sink for `fd`; its writer thread starts now.
    public init(fd: Int32) {
        self.fd = fd
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: Self.interval / .seconds(1))
                flush()
            }
        }
        thread.name = "labelkit-log"
        thread.start()
    }

    /// Adds `line`; writes everything buffered when `now` or past ``limit``.
    public func append(_ line: String, now: Bool = false) {
        let full = pending.withLock { pending -> Bool in
            pending.entries.append(.line(line))
            pending.bytes += line.utf8.count
            return pending.bytes >= Self.limit
        }
        if now || full { flush() }
    }

    /// Adds an access-log line for an answered request, formatted by the
    /// writer thread, not the caller.
    public func append(_ record: AccessRecord) {
        let full = pending.withLock { pending -> Bool in
            pending.entries.append(.request(record))
            pending.bytes += 96
            return pending.bytes >= Self.limit
        }
        if full { flush() }
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
            for entry in entries {
                switch entry {
                case .line(let line): bytes.append(contentsOf: line.utf8)
                case .request(let record): bytes.append(contentsOf: record.line(timestamp: timestamp(record.time)).utf8)
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

    /// The line, in `StreamLogHandler`'s text with sorted metadata.
    func line(timestamp: String) -> String {
        let ms = duration / .milliseconds(1)
        let hundredths = Int((ms * 100).rounded())
        let fraction = hundredths % 100
        return "\(timestamp) info \(label): method=\(method) ms=\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) "
            + "path=\(path) status=\(status) [LabelKitServer] request\n"
    }
}
