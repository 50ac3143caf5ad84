import Foundation
import LabelKitServer

/// Runs an operation repeatedly and reports median and minimum wall time.
enum Stopwatch {
    /// One benchmark result.
    struct Result {
        var op: String
        var input: String
        var runs: Int
        var median: Double
        var minimum: Double

        /// `{"op","input","runs","median_s","min_s"}`.
        var json: String {
            let escapedInput = input.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "{\"op\":\"\(op)\",\"input\":\"\(escapedInput)\",\"runs\":\(runs),"
                + "\"median_s\":\(median),\"min_s\":\(minimum)}"
        }
    }

    /// Times `body` `runs` times after `warmUp` untimed runs.
    static func measure<T>(
        op: String, input: String, runs: Int, warmUp: Int = 3, _ body: () throws -> T
    ) rethrows -> Result {
        ProcessLimits.keepFreedMemory()
        for _ in 0..<warmUp { blackHole(try body()) }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            blackHole(try body())
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        samples.sort()
        let n = samples.count
        let median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2
        return Result(op: op, input: input, runs: runs, median: median, minimum: samples[0])
    }

    /// Keeps a value alive so the optimizer cannot drop the work that made it.
    @inline(never)
    static func blackHole<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }
}
