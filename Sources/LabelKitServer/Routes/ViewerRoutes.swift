import Hummingbird

extension LabelKitService {
    /// `/view/{id}?overlay=NAME`: the pan/zoom viewer page.
    func addViewerRoutes(_ router: Router<ServiceRequestContext>) {
        router.get("/view/:id") { request, context in
            let id = try context.parameters.require("id")
            let file = try self.resolver.resolve(id)
            let overlay = request.uri.queryParameters.get("overlay")
            let name = try await self.overlayRequest(request).name
            _ = try await self.io.run { try self.overlay(named: name, for: file) }
            var response = Reply.text(ViewerPage.html(identifier: id, overlay: overlay), contentType: "text/html; charset=utf-8")
            response.headers[.cacheControl] = "no-cache"
            return response
        }
    }
}
