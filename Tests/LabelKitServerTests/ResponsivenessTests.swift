import Foundation
import LabelKitImaging
import Testing

@testable import LabelKitServer

/// The service stays responsive while blocking and CPU-heavy work is in flight:
/// label-stream calls (SQLite writes) run on the I/O pool and cold renders on the
/// render threads, never on the event loops or Swift's cooperative pool.
///
/// A latency bound is only meaningful on a machine that runs nothing else, so the
/// test runs alone: `make responsiveness` (part of `make test`) sets
/// `LABELKIT_RESPONSIVENESS=1` and runs this suite after the others.
@Suite("Responsiveness under blocked work")
struct ResponsivenessTests {
    /// True when the test runs alone (see above).
    static let isAlone = ProcessInfo.processInfo.environment["LABELKIT_RESPONSIVENESS"] == "1"

    /// A textured 6000x4000 JPEG (about 4 MB): its decode and pyramid take seconds.
    static func bigJPEG() throws -> [UInt8] {
        let width = 6000, height = 4000
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                for x in 0..<width {
                    let o = (y * width + x) * 3
                    out[o] = UInt8(truncatingIfNeeded: x &* 7 ^ y)
                    out[o + 1] = UInt8(truncatingIfNeeded: y &* 3 &+ x >> 2)
                    out[o + 2] = UInt8(truncatingIfNeeded: (x ^ y) &* 5)
                }
            }
        }
        return try JPEGCodec.encode(Image(width: width, height: height, channels: 3, pixels: pixels), quality: 80)
    }

    /// One POST on a new connection; the status (0 when none came).
    static func post(port: Int, _ path: String, _ body: String) throws -> Int {
        let connection = try RawConnection(port: port)
        let bytes = Array(body.utf8)
        let head = "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        connection.send(Array(head.utf8) + bytes)
        return connection.response(timeout: 120)?.status ?? 0
    }

    @Test(
        "with 40 label-stream calls and 8 cold 6000x4000 renders in flight, /healthz and a cached tile answer within 50 ms (p99 of 200)",
        .disabled(if: ThreadSanitizerRun.isActive, ThreadSanitizerRun.latencyBound),
        .enabled(if: isAlone, "runs alone: make responsiveness")
    )
    func responsiveWhileBlocked() async throws {
        let fixture = try ServerFixture { configuration in
            configuration.renderNiceness = 5  // `labelkit serve`'s default
            configuration.renderTimeoutSeconds = 600
            configuration.maxConcurrentRenders = 8  // all eight render (or wait for a thread), none is refused
        }
        defer { fixture.remove() }
        let jpeg = try Self.bigJPEG()
        for k in 0..<8 {
            try Data(jpeg).write(to: fixture.images.appendingPathComponent("big\(k).jpg"))
        }
        try await fixture.live { client in
            let port = try #require(client.port)
            // The label stream: 400 frames, units of one, overlap 2.
            let frames = "[{\"video\": \"drive.mp4\", \"fps\": 10, \"frame_count\": 400}]"
            #expect(try await blocking { try Self.post(port: port, "/frames/import", frames) } == 200)
            let task = #"{"id": "t", "overlap": 2, "lock_ttl": 600}"#
            #expect(try await blocking { try Self.post(port: port, "/frames/tasks", task) } == 201)
            // A cached tile: rendered once before the load.
            let tile = "/dzi/\(ServerFixture.validatorID)_files/8/0_0.jpg"
            #expect(try await RawConnection.timedGet(port: port, tile).status == 200)

            // Each task: its statuses, and when it ended if it is a render.
            typealias Part = (statuses: [Int], renderEnd: ContinuousClock.Instant?)
            let (parts, latencies, measured) = try await withThrowingTaskGroup(of: Part.self) { group in
                for k in 0..<8 {
                    group.addTask {
                        let uri = "/iiif/3/big\(k).jpg/full/max/0/default.jpg"
                        let status = try await RawConnection.timedGet(port: port, uri, timeout: 600).status
                        return ([status], .now)
                    }
                }
                for user in 0..<40 {
                    group.addTask {
                        try await blocking {
                            var statuses: [Int] = []
                            for _ in 0..<5 {
                                let next = try Self.post(port: port, "/frames/tasks/t/next", "{\"user\": \"u\(user)\"}")
                                statuses.append(next)
                            }
                            return (statuses, nil)
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(300))  // the renders are decoding
                var latencies: [Double] = []
                for i in 0..<200 {
                    let answer = try await RawConnection.timedGet(port: port, i % 2 == 0 ? "/healthz" : tile)
                    #expect(answer.status == 200)
                    latencies.append(answer.ms)
                }
                let measured = ContinuousClock.now
                var parts: [Part] = []
                for try await part in group { parts.append(part) }
                return (parts, latencies, measured)
            }
            let statuses = parts.flatMap(\.statuses)
            #expect(statuses.allSatisfy { $0 == 200 }, "\(Set(statuses))")
            // The renders were still running when the last health check answered.
            let ends = parts.compactMap(\.renderEnd)
            #expect(ends.count == 8 && ends.max()! > measured, "every render ended before the measurement did")
            let sorted = latencies.sorted()
            let p99 = sorted[Int(Double(sorted.count) * 0.99) - 1]
            #expect(p99 < 50, "p99 \(p99) ms, max \(sorted.last ?? 0) ms, median \(sorted[sorted.count / 2]) ms")
        }
    }
}
