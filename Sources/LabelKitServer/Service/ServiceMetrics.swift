import Prometheus
import Synchronization

/// The service's numbers in Prometheus text format (`GET /metrics`, through
/// swift-prometheus): requests and latency per route, the render cache, the work
/// pools' queues and the label stream's operations and conflicts. Route labels
/// are the matched route patterns (`/dzi/{id}_files/...`), never raw paths, so
/// the number of series stays bounded whatever clients send.
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let cacheHits: Counter
    private let cacheMisses: Counter
    /// The per-request series, made once each: a lookup here is cheaper than
    /// the registry's, which builds and compares label strings.
    /// Each series' request counter and its route's latency histogram (the
    /// registry hands out the same histogram for the same route).
    private let requestSeries = Mutex<[RequestSeries: (Counter, DurationHistogram)]>([:])

    private struct RequestSeries: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// Latency buckets from 0.5 ms to 30 s.
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    init() {
        cacheHits = registry.makeCounter(
            descriptor: Self.name("render_cache_hits", "total", "Rendered responses served from the cache."))
        cacheMisses = registry.makeCounter(
            descriptor: Self.name("render_cache_misses", "total", "Responses rendered because the cache lacked them."))
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "labelkit", metricName: metric, unitName: unit, helpText: help)
    }

    /// Records one answered request.
    func request(route: String, method: String, status: Int, duration: Duration) {
        // One lookup for both metrics of the series; made once, outside the lock.
        let series = RequestSeries(route: route, method: method, status: status)
        let metrics =
            requestSeries.withLock { $0[series] }
            ?? {
                let counter = registry.makeCounter(
                    descriptor: Self.name("http_requests", "total", "Requests answered, by route, method and status."),
                    labels: [("route", route), ("method", method), ("status", String(status))])
                let histogram = registry.makeDurationHistogram(
                    descriptor: Self.name("http_request_duration", "seconds", "Time to answer, by route."),
                    labels: [("route", route)], buckets: Self.buckets)
                requestSeries.withLock { $0[series] = (counter, histogram) }
                return (counter, histogram)
            }()
        metrics.0.increment()
        metrics.1.record(duration)
    }

    /// Counts a render-cache lookup.
    func cacheLookup(hit: Bool) {
        (hit ? cacheHits : cacheMisses).increment()
    }

    /// Counts a label-stream call (`next`, `submit`, ...) and whether it was refused as a conflict.
    func labelOperation(_ action: String, conflict: Bool) {
        registry.makeCounter(
            descriptor: Self.name("label_operations", "total", "Label-stream calls, by action."),
            labels: [("action", action)]
        ).increment()
        if conflict {
            registry.makeCounter(
                descriptor: Self.name(
                    "label_conflicts", "total", "Label-stream calls refused as conflicts (409), by action."),
                labels: [("action", action)]
            ).increment()
        }
    }

    /// The exposition, with the gauges read now.
    func text(cacheBytes: Int, pools: [(name: String, queued: Int, running: Int)]) -> [UInt8] {
        registry.makeGauge(
            descriptor: Self.name("render_cache", "bytes", "Bytes held by the render cache (SQLite tier).")
        )
        .set(Double(cacheBytes))
        for pool in pools {
            registry.makeGauge(
                descriptor: Self.name("work_pool_queued", "jobs", "Jobs waiting for a pool thread."),
                labels: [("pool", pool.name)]
            ).set(Double(pool.queued))
            registry.makeGauge(
                descriptor: Self.name("work_pool_running", "jobs", "Jobs running on pool threads."),
                labels: [("pool", pool.name)]
            ).set(Double(pool.running))
        }
        return registry.emitToBuffer()
    }
}
