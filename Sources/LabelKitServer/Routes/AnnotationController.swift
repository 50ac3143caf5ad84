import Hummingbird

/// Posted annotations, drawn as overlays by the image routes.
struct AnnotationController {
    /// The annotation store and the I/O pool.
    let pipeline: ImagePipeline

    /// `POST /annotations` (a Label Studio result list, annotation or task) ->
    /// `{"id"}` for `overlay=`.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/annotations") { request, context in
            let body = try await RequestBody.read(request, limit: min(AnnotationStore.maxBytes, self.pipeline.configuration.maxBodyBytes))
            let annotations = self.pipeline.annotations
            let id = try await self.pipeline.io.run { try annotations.store(body) }
            return Reply.json(["id": id], status: .created)
        }
    }
}
