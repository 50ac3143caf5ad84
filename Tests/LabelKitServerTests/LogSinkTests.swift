import Foundation
import Testing

@testable import LabelKitServer

/// The buffered log: lines reach the file descriptor in order, from the writer
/// thread; an urgent line at once; nothing is formatted or written by an
/// appender until the writer falls a whole backlog behind.
@Suite("Buffered access log")
struct LogSinkTests {
    /// A pipe whose read end is drained by a thread of its own into `text`.
    final class Pipe: @unchecked Sendable {
        let readFD: Int32, writeFD: Int32
        private let lock = NSLock()
        private var bytes: [UInt8] = []

        init() {
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0)
            (readFD, writeFD) = (fds[0], fds[1])
            Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = read(readFD, &buffer, buffer.count)
                    guard n > 0 else { return }
                    lock.withLock { bytes += buffer[0..<n] }
                }
            }.start()
        }

        var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

        /// Waits up to `seconds` for `count` lines.
        func lines(_ count: Int, within seconds: Double) -> [Substring] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let lines = text.split(separator: "\n")
                if lines.count >= count { return lines }
                Thread.sleep(forTimeInterval: 0.005)
            }
            return text.split(separator: "\n")
        }
    }

    static func record(_ i: Int) -> AccessRecord {
        AccessRecord(
            time: 1_700_000_000, label: "labelkit.serve", method: "GET", path: "/dzi/a_files/12/\(i)_0.jpg",
            status: 200,
            duration: .microseconds(420))
    }

    @Test("records past the buffer's limit are written by the writer thread, in order, in StreamLogHandler's text")
    func writerThread() {
        let pipe = Pipe()
        let sink = LogSink(fd: pipe.writeFD)
        // More than one limit's worth: the appender only wakes the writer.
        let count = LogSink.limit / 96 * 3
        for i in 0..<count { sink.append(Self.record(i)) }
        let lines = pipe.lines(count, within: 10)
        #expect(lines.count == count)
        #expect(
            lines.first?.hasSuffix(
                " info labelkit.serve: method=GET ms=0.42 path=/dzi/a_files/12/0_0.jpg status=200 [LabelKitServer] request"
            ) == true)
        #expect(lines.enumerated().allSatisfy { $0.element.contains("path=/dzi/a_files/12/\($0.offset)_0.jpg ") })
    }

    @Test("an urgent line is written at once, after the lines buffered before it")
    func urgent() {
        let pipe = Pipe()
        let sink = LogSink(fd: pipe.writeFD)
        sink.append(Self.record(1))
        sink.append("an error\n", now: true)
        let lines = pipe.lines(2, within: 5)
        #expect(lines.count == 2)
        #expect(lines.last == "an error")
    }
}
