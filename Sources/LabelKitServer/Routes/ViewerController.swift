import Hummingbird

/// The viewer page.
struct ViewerController {
    /// Sources, renders and the cache.
    let pipeline: ImagePipeline

    /// `/view/{id}?overlay=NAME`: the pan/zoom viewer page.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/view/:id") { request, context in
            let id = try context.parameters.require("id")
            let file = try self.pipeline.resolver.resolve(id)
            let overlay = request.uri.queryParameters.get("overlay")
            let name = try await self.pipeline.overlayRequest(request).name
            _ = try await self.pipeline.io.run { try self.pipeline.overlay(named: name, for: file) }
            var response = Reply.text(ViewerPage.html(identifier: id, overlay: overlay), contentType: "text/html; charset=utf-8")
            response.headers[.cacheControl] = "no-cache"
            return response
        }
    }
}
