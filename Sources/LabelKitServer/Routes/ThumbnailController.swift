import Foundation
import Hummingbird
import LabelKitImaging

/// Thumbnails.
struct ThumbnailController {
    /// Sources, renders and the cache.
    let pipeline: ImagePipeline

    /// `/thumb/{id}?w=&h=&fit=fit|fill|force&fmt=jpg|png&q=&overlay=`.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/thumb/:id") { request, context in
            let file = try self.pipeline.resolver.resolve(try context.parameters.require("id"))
            let query = request.uri.queryParameters
            func side(_ name: String) throws -> Int? {
                guard let text = query.get(name) else { return nil }
                guard let value = Int(text), (1...8192).contains(value) else {
                    throw ServiceError(400, "\(name)=\(text): expected 1...8192 pixels")
                }
                return value
            }
            let width = try side("w"), height = try side("h")
            guard width != nil || height != nil else { throw ServiceError(400, "give w, h or both") }
            let fitText = query.get("fit") ?? "fit"
            guard let fit = ThumbnailFit(rawValue: fitText) else { throw ServiceError(400, "fit=\(fitText): expected fit, fill or force") }
            let format = query.get("fmt") ?? "jpg"
            guard format == "jpg" || format == "png" else { throw ServiceError(400, "fmt=\(format): expected jpg or png") }
            let quality = query.get("q").flatMap { Int($0) } ?? self.pipeline.configuration.jpegQuality
            guard (1...100).contains(quality) else { throw ServiceError(400, "q must be 1...100") }
            let thumbnailer = try Thumbnailer(
                width: width, height: height, fit: fit, maxSourcePixels: self.pipeline.configuration.maxSourcePixels,
                maxOutputPixels: self.pipeline.configuration.limits.maxArea, maxScans: self.pipeline.configuration.maxJPEGScans)
            // A source too large to decode per request is scaled from its tile store.
            let header = try await self.pipeline.header(file)
            let store = try await self.pipeline.store(file, header)
            let geometry = thumbnailer.geometry(sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight)
            if store != nil {
                let limit = self.pipeline.limits(stored: true).maxArea
                guard geometry.resizeWidth * geometry.resizeHeight <= limit else {
                    throw ServiceError(
                        400, "a \(geometry.resizeWidth)x\(geometry.resizeHeight) resize of this large source exceeds "
                            + "--max-pyramid-output-mp (\(limit) pixels)")
                }
            }
            let overlayRequest = try await self.pipeline.overlayRequest(request)
            let operation = "\(width ?? 0)x\(height ?? 0)/\(fit.rawValue)/\(quality).\(format)|" + overlayRequest.key
            return try await self.pipeline.cached(
                key: self.pipeline.cacheKey("thumb", file, operation), contentType: format == "png" ? "image/png" : "image/jpeg",
                request: request, context: context
            ) { flag in
                var image: Image
                if let store {
                    image = try self.pipeline.regions(file, store: store, cancellation: flag).render(
                        x: 0, y: 0, width: header.orientedWidth, height: header.orientedHeight,
                        outWidth: geometry.resizeWidth, outHeight: geometry.resizeHeight
                    ).cropped(x: geometry.cropX, y: geometry.cropY, width: geometry.width, height: geometry.height)
                } else {
                    image = try thumbnailer.thumbnail(try self.pipeline.sources.bytes(file), cancellation: flag)
                }
                if let overlay = try self.pipeline.overlay(named: overlayRequest.name, for: file) {
                    let sx = Double(header.orientedWidth) / Double(geometry.resizeWidth)
                    let sy = Double(header.orientedHeight) / Double(geometry.resizeHeight)
                    image = try overlay.paint(
                        image, x: Int(Double(geometry.cropX) * sx), y: Int(Double(geometry.cropY) * sy),
                        width: Int((Double(geometry.width) * sx).rounded()), height: Int((Double(geometry.height) * sy).rounded()),
                        imageWidth: header.orientedWidth, imageHeight: header.orientedHeight, cancellation: flag)
                }
                try flag.check()
                return try ImageCodec.encode(image, as: format == "png" ? .png : .jpeg, quality: quality)
            }
        }
    }
}
