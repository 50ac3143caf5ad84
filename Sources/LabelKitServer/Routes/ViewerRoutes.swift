import Hummingbird

extension LabelKitService {
    /// `/view/{id}?overlay=NAME`: the pan/zoom viewer page.
    func addViewerRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/view/:id") { request, context in
            let id = try context.parameters.require("id")
            let file = try self.resolver.resolve(id)
            let overlay = request.uri.queryParameters.get("overlay")
            _ = try self.overlay(named: try self.overlayRequest(request).name, for: file)
            var response = Reply.json(ViewerPage.html(identifier: id, overlay: overlay), contentType: "text/html; charset=utf-8")
            response.headers[.cacheControl] = "no-cache"
            return response
        }
    }
}
