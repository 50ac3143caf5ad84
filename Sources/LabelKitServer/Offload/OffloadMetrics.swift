import Foundation
import LabelKitCore
import Logging
import Synchronization
import LabelKitJSON

/// Request counts and latencies of the offload routes, per route: served at
/// `GET /v1/metrics` and logged as one summary line a minute while requests come.
final class OffloadMetrics: Sendable {
    /// One route's numbers.
    struct Route: Sendable {
        var requests = 0
        var failures = 0
        var jobs = 0
        var failedJobs = 0
        var totalMs = 0.0
        var maxMs = 0.0
        /// Latency histogram: bucket k counts requests under 2^(k/4) * 0.01 ms
        /// (quarter-octaves from 10 µs to about 10 minutes).
        var buckets = [Int](repeating: 0, count: 104)

        /// The latency under which `fraction` of the requests finished (bucket upper bound).
        func quantile(_ fraction: Double) -> Double {
            guard requests > 0 else { return 0 }
            let target = Int((Double(requests) * fraction).rounded(.up))
            var seen = 0
            for (k, count) in buckets.enumerated() {
                seen += count
                if seen >= target { return min(maxMs, 0.01 * pow(2, Double(k + 1) / 4)) }
            }
            return maxMs
        }
    }

    private struct State {
        var routes: [String: Route] = [:]
        var lastLog = ContinuousClock.now
        var sinceLog = 0
    }

    private let state = Mutex(State())
    private let started = ContinuousClock.now

    /// Records one request.
    func record(route: String, status: Int, ms: Double, jobs: Int = 1, failedJobs: Int = 0, logger: Logger) {
        let summary: String? = state.withLock { state in
            var entry = state.routes[route] ?? Route()
            entry.requests += 1
            if status >= 400 { entry.failures += 1 }
            entry.jobs += jobs
            entry.failedJobs += failedJobs
            entry.totalMs += ms
            entry.maxMs = max(entry.maxMs, ms)
            let k = ms <= 0.01 ? 0 : Int((log2(ms / 0.01) * 4).rounded(.down))
            entry.buckets[min(max(k, 0), entry.buckets.count - 1)] += 1
            state.routes[route] = entry
            state.sinceLog += 1
            let now = ContinuousClock.now
            guard now - state.lastLog >= .seconds(60) else { return nil }
            state.lastLog = now
            let count = state.sinceLog
            state.sinceLog = 0
            return "\(count) offload requests in the last minute"
        }
        if let summary { logger.info("\(summary)", metadata: ["metrics": "\(json())"]) }
    }

    /// `{"uptime_s", "routes": {route: {"requests", "failures", "jobs", "failed_jobs",
    /// "mean_ms", "p50_ms", "p99_ms", "max_ms"}}, "pool": {...}}`.
    func json(pool: WorkPool? = nil) -> String {
        let routes = state.withLock { $0.routes }
        let uptime = ContinuousClock.now - started
        func ms(_ v: Double) -> String { String(format: "%.3f", v) }
        var out = "{\"uptime_s\":\(uptime.components.seconds),\"routes\":{"
        out += routes.keys.sorted().map { key in
            let r = routes[key]!
            return JSONText.quoted(key) + ":{\"requests\":\(r.requests),\"failures\":\(r.failures),\"jobs\":\(r.jobs),"
                + "\"failed_jobs\":\(r.failedJobs),\"mean_ms\":\(ms(r.requests > 0 ? r.totalMs / Double(r.requests) : 0)),"
                + "\"p50_ms\":\(ms(r.quantile(0.5))),\"p99_ms\":\(ms(r.quantile(0.99))),\"max_ms\":\(ms(r.maxMs))}"
        }.joined(separator: ",")
        out += "}"
        if let pool {
            let load = pool.load
            out +=
                ",\"pool\":{\"threads\":\(pool.threads),\"queue_limit\":\(pool.queueLimit),\"queued\":\(load.queued),\"running\":\(load.running)}"
        }
        return out + "}"
    }
}
