import Foundation
import Hummingbird
import LabelKitJSON

/// The tile stores of large sources.
struct PyramidController {
    /// Sources and their stores.
    let pipeline: ImagePipeline

    /// `GET /pyramids/{id}`: how the source is served and, for one served from a
    /// tile store, the build's state: `{"id", "width", "height", "served_from":
    /// "decoded"|"tile store", "state": "not started"|"building"|"ready"|"failed",
    /// "tiles_done", "tiles_total", "retry_after", "error"}`. It starts nothing:
    /// the first image request for the source does.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/pyramids/:id") { request, context in
            let file = try self.pipeline.resolver.resolve(try context.parameters.require("id"))
            let header = try await self.pipeline.header(file)
            var answer: [String: Any] = [
                "id": file.identifier, "width": header.orientedWidth, "height": header.orientedHeight,
            ]
            guard self.pipeline.pyramids.serves(header) else {
                answer["served_from"] = "decoded"
                return Reply.json(JSONText.of(answer))
            }
            answer["served_from"] = "tile store"
            let pyramids = self.pipeline.pyramids
            let state = try await self.pipeline.io.run { pyramids.peek(file, header: header) }
            switch state {
            case nil:
                answer["state"] = "not started"
            case .decoded?:
                answer["served_from"] = "decoded"
            case .building(let done, let total, let started)?:
                answer["state"] = "building"
                answer["tiles_done"] = done
                answer["tiles_total"] = total
                answer["retry_after"] = PyramidStores.retryAfter(done: done, total: total, since: started)
            case .ready(let pyramid)?:
                answer["state"] = "ready"
                answer["tiles_done"] = Int(pyramid.metadata["tiles"] ?? "") ?? 0
                answer["tiles_total"] = answer["tiles_done"]
            case .failed(let error, _)?:
                answer["state"] = "failed"
                answer["error"] = error.message
            }
            var response = Reply.json(JSONText.of(answer))
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
