import Foundation
import Hummingbird
import LabelKitFrames
import LabelKitImaging

/// The IIIF Image API 3.0.
struct IIIFController {
    /// Sources, renders and the cache.
    let pipeline: ImagePipeline

    /// `/iiif/3/{id}` (303 to info.json), `/iiif/3/{id}/info.json`, and
    /// `/iiif/3/{id}/{region}/{size}/{rotation}/{quality}.{format}`.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/iiif/3/:id") { request, context in
            let id = try context.parameters.require("id")
            _ = try self.pipeline.resolver.resolve(id)
            var response = Response(status: .seeOther)
            response.headers[.location] = try self.baseURL(request) + "/iiif/3/" + id + "/info.json"
            return response
        }
        router.get("/iiif/3/:id/info.json") { request, context in
            let id = try context.parameters.require("id")
            let file = try self.pipeline.resolver.resolve(id)
            let header = try await self.pipeline.header(file)
            // Starts a large source's store; one decoded whole keeps the usual limits.
            var stored = false
            if let state = try? await self.pipeline.storeState(file, header) { stored = !state.isDecoded }
            let document = IIIFInfo.json(
                id: try self.baseURL(request) + "/iiif/3/" + id, width: header.orientedWidth, height: header.orientedHeight,
                limits: self.pipeline.limits(stored: stored))
            let wantsLD = request.headers[.accept]?.contains("application/ld+json") ?? false
            var response = Reply.text(
                document,
                contentType: wantsLD ? "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"" : "application/json")
            response.headers[.init("Link")!] = "<\(Self.profile)>;rel=\"profile\""
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
        router.get("/iiif/3/:id/:region/:size/:rotation/:qf") { request, context in
            let id = try context.parameters.require("id")
            let iiif = try IIIFRequest(
                region: try context.parameters.require("region").removingPercentEncoding ?? "",
                size: try context.parameters.require("size").removingPercentEncoding ?? "",
                rotation: try context.parameters.require("rotation").removingPercentEncoding ?? "",
                qualityAndFormat: try context.parameters.require("qf"))
            let file = try self.pipeline.resolver.resolve(id)
            let header = try await self.pipeline.header(file)
            let store = try await self.pipeline.store(file, header)
            let plan = try iiif.resolve(
                width: header.orientedWidth, height: header.orientedHeight, limits: self.pipeline.limits(stored: store != nil))
            let overlayRequest = try await self.pipeline.overlayRequest(request)
            let operation = plan.canonical + "|" + overlayRequest.key
            var response = try await self.pipeline.cached(
                key: self.pipeline.cacheKey("iiif", file, operation), contentType: plan.format.mediaType, request: request,
                context: context
            ) { flag in
                let source = try self.pipeline.regions(file, store: store, cancellation: flag)
                let overlay = try self.pipeline.overlay(named: overlayRequest.name, for: file)
                try flag.check()
                var image = try plan.region(of: source)
                if let overlay {
                    image = try overlay.paint(
                        image, x: plan.cropX, y: plan.cropY, width: plan.cropWidth, height: plan.cropHeight,
                        imageWidth: source.width, imageHeight: source.height, cancellation: flag)
                }
                try flag.check()
                return try self.pipeline.encode(plan.finish(image), png: plan.format == .png)
            }
            response.headers[.init("Link")!] =
                "<\(try self.baseURL(request))/iiif/3/\(id)/\(plan.canonical)>;rel=\"canonical\", <\(Self.profile)>;rel=\"profile\""
            return response
        }
    }

    /// The compliance level document.
    static let profile = "http://iiif.io/api/image/3/level2.json"

    /// `scheme://host[:port]` for ids and redirects: the configured public URL,
    /// else the request's (X-Forwarded-Proto/Host honoured) after checking that
    /// the scheme is http or https and the host a host name or address with an
    /// optional port, so a forged header cannot put other text into documents.
    ///
    /// - Throws: ``ServiceError`` 400 naming the header at fault.
    func baseURL(_ request: Request) throws -> String {
        if let base = pipeline.configuration.publicBaseURL { return base }
        let forwardedProto = request.headers[.init("X-Forwarded-Proto")!]
        let scheme = (forwardedProto ?? request.head.scheme ?? "http").lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw ServiceError(400, "X-Forwarded-Proto must be http or https")
        }
        let forwardedHost = request.headers[.init("X-Forwarded-Host")!]
        let host = forwardedHost ?? request.head.authority ?? "localhost"
        guard HostName.isValid(host) else {
            throw ServiceError(400, "\(forwardedHost == nil ? "Host" : "X-Forwarded-Host") is not a host name with an optional port")
        }
        return scheme + "://" + host
    }
}
