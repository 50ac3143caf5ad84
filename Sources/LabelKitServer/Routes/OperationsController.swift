import Hummingbird
import NIOCore

/// What load balancers and monitoring ask of a replica:
///
/// - `GET /healthz` -> `{"status": "ok"}`: the process answers (liveness).
/// - `GET /readyz` -> `{"status": "ready"}`, or 503 naming what is unreachable:
///   the SQLite file and the frame store's database (PostgreSQL with
///   `--frames-db`) each answer a query (readiness).
/// - `GET /metrics`: Prometheus text format (``ServiceMetrics``).
struct OperationsController {
    let service: LabelKitService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        let (database, frames, io) = (service.database, service.frames, service.io)
        let (metrics, cache, renderPool) = (service.metrics, service.pipeline.cache, service.pipeline.renders.pool)
        router.get("/healthz") { _, _ in Reply.json(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            do {
                try await io.run { try database.ping() }
            } catch {
                throw ServiceError(503, "not ready: the SQLite file does not answer: \(error)", retryAfter: 5)
            }
            do {
                try await io.run { try frames.ping() }
            } catch {
                throw ServiceError(
                    503, "not ready: the frame store's database does not answer: \(error)", retryAfter: 5)
            }
            return Reply.json(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            let ioLoad = io.load, renderLoad = renderPool.load
            let text = metrics.text(
                cacheBytes: cache.totalBytes,
                pools: [
                    (name: "io", queued: ioLoad.queued, running: ioLoad.running),
                    (name: "render", queued: renderLoad.queued, running: renderLoad.running),
                ])
            var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return response
        }
    }
}
