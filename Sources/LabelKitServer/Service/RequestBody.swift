import Hummingbird

/// Reading request bodies within a byte limit.
enum RequestBody {
    /// The request body, refused with 413 past `limit` bytes (before reading
    /// it when Content-Length says so).
    static func read(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ServiceError(413, "the body has \(length) bytes; the limit is \(limit)")
        }
        // Chunks are gathered in one buffer (reserved from Content-Length) and copied out once.
        var collected = ByteBuffer()
        if let length = request.headers[.contentLength].flatMap({ Int($0) }) { collected.reserveCapacity(length) }
        for try await var chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw ServiceError(413, "the body is over the limit of \(limit) bytes")
            }
            collected.writeBuffer(&chunk)
        }
        return collected.readBytes(length: collected.readableBytes) ?? []
    }
}
