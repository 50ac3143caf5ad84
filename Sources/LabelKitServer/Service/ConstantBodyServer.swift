import Hummingbird
import Logging
import NIOCore

/// The HTTP layer's own ceiling for `make serve-bench`: a Hummingbird server
/// whose one route, matched like the service's Deep Zoom tile route
/// (`/dzi/:name/:level/:tile`), answers with the same body and the headers a
/// cached tile carries, doing nothing else. What it serves per second on a
/// machine is the most any route of the service could.
public enum ConstantBodyServer {
    /// Serves `bytes` zero bytes as `image/jpeg` on `host:port` until SIGTERM
    /// or SIGINT; `onServerRunning` receives the bound port.
    public static func run(
        host: String, port: Int, bytes: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let body = ByteBuffer(repeating: 0, count: bytes)
        let router = Router()
        router.get("/dzi/:name/:level/:tile") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "image/jpeg"
            headers[.eTag] = "\"0000000000000000000000000000000000000000\""
            headers[.cacheControl] = "public, max-age=86400"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
        }
        var logger = Logger(label: "labelkit.http-cap")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "LabelKit"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }
}
