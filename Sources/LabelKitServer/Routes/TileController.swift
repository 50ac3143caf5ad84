import Foundation
import Hummingbird
import LabelKitImaging

/// Deep Zoom and XYZ tiles.
struct TileController {
    /// Sources, renders and the cache.
    let pipeline: ImagePipeline

    /// Deep Zoom (`/dzi/{id}.dzi`, `/dzi/{id}_files/{level}/{col}_{row}.jpg`) and
    /// XYZ (`/xyz/{id}/{z}/{x}/{y}.png`), both cut from the image's pyramid.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/dzi/:name") { request, context in
            let name = try context.parameters.require("name")
            guard name.hasSuffix(".dzi") else { throw ServiceError(404, "expected /dzi/{id}.dzi") }
            let file = try self.pipeline.resolver.resolve(String(name.dropLast(4)))
            let header = try await self.pipeline.header(file)
            _ = try? await self.pipeline.storeState(file, header)
            let xml = DeepZoom(width: header.orientedWidth, height: header.orientedHeight).descriptor(format: "jpg")
            var response = Reply.text(xml, contentType: "application/xml")
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
        router.get("/dzi/:name/:level/:tile") { request, context in
            let files = try context.parameters.require("name")
            let tile = try context.parameters.require("tile")
            guard files.hasSuffix("_files"), let level = Int(try context.parameters.require("level")),
                tile.hasSuffix(".jpg") || tile.hasSuffix(".png")
            else { throw ServiceError(404, "expected /dzi/{id}_files/{level}/{col}_{row}.jpg") }
            let png = tile.hasSuffix(".png")
            let position = tile.dropLast(4).split(separator: "_")
            guard position.count == 2, let column = Int(position[0]), let row = Int(position[1]) else {
                throw ServiceError(404, "expected a tile name {col}_{row}.jpg, got \"\(tile)\"")
            }
            let identifier = String(files.dropLast(6))
            let file = try self.pipeline.resolver.resolve(identifier)
            let header = try await self.pipeline.header(file)
            let zoom = DeepZoom(width: header.orientedWidth, height: header.orientedHeight)
            guard let rect = zoom.tileRect(level: level, column: column, row: row) else {
                throw ServiceError(404, "no tile \(column)_\(row) at level \(level)")
            }
            let store = try await self.pipeline.store(file, header)
            let overlayRequest = try await self.pipeline.overlayRequest(request)
            let operation = "\(level)/\(column)_\(row).\(png ? "png" : "jpg")|" + overlayRequest.key
            let key = self.pipeline.cacheKey("dzi", file, operation)
            if let store, !png, overlayRequest.name == nil {
                // The stored tile is the one `labelkit tiles` writes: served as stored.
                return try await self.pipeline.storedTile(
                    store, of: file, level: level, column: column, row: row, key: key, request: request, context: context)
            }
            let contentType = png ? "image/png" : "image/jpeg"
            // Repeated requests for this URL are answered before routing (`knownTile`).
            if request.uri.query == nil, overlayRequest.name == nil, let route = context.endpointPath {
                self.pipeline.tileKeys.remember(
                    ExactKey(request.uri.path), identifier: identifier, file: file, key: key, contentType: contentType,
                    route: route)
            }
            return try await self.pipeline.cached(
                key: key, contentType: contentType, request: request, context: context
            ) { flag in
                let overlay = try self.pipeline.overlay(named: overlayRequest.name, for: file)
                let k = zoom.maxLevel - level
                var image: Image
                if let store {
                    image = try store.image(cancellation: flag).region(
                        level: k, x: rect.x, y: rect.y, width: rect.width, height: rect.height)
                } else {
                    let source = try self.pipeline.sources.image(file, cancellation: flag)
                    image = source.levels[k].cropped(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
                }
                if let overlay {
                    image = try overlay.paint(
                        image, x: rect.x << k, y: rect.y << k, width: rect.width << k, height: rect.height << k,
                        imageWidth: header.orientedWidth, imageHeight: header.orientedHeight, cancellation: flag)
                }
                return try self.pipeline.encode(image, png: png)
            }
        }
        router.get("/xyz/:id/:z/:x/:y") { request, context in
            let file = try self.pipeline.resolver.resolve(try context.parameters.require("id"))
            let yName = try context.parameters.require("y")
            guard let z = Int(try context.parameters.require("z")), let x = Int(try context.parameters.require("x")),
                yName.hasSuffix(".png"), let y = Int(yName.dropLast(4))
            else { throw ServiceError(404, "expected /xyz/{id}/{z}/{x}/{y}.png") }
            let header = try await self.pipeline.header(file)
            let tiles = XYZTiles(width: header.orientedWidth, height: header.orientedHeight)
            guard let tile = tiles.tile(z: z, x: x, y: y) else { throw ServiceError(404, "no tile \(z)/\(x)/\(y)") }
            let store = try await self.pipeline.store(file, header)
            let overlayRequest = try await self.pipeline.overlayRequest(request)
            let operation = "\(z)/\(x)/\(y)|" + overlayRequest.key
            return try await self.pipeline.cached(
                key: self.pipeline.cacheKey("xyz", file, operation), contentType: "image/png", request: request, context: context
            ) { flag in
                let source = try self.pipeline.regions(file, store: store, cancellation: flag)
                let overlay = try self.pipeline.overlay(named: overlayRequest.name, for: file)
                var image = try source.render(
                    x: tile.x, y: tile.y, width: tile.width, height: tile.height, outWidth: tile.outWidth,
                    outHeight: tile.outHeight)
                if let overlay {
                    image = try overlay.paint(
                        image, x: tile.x, y: tile.y, width: tile.width, height: tile.height, imageWidth: source.width,
                        imageHeight: source.height, cancellation: flag)
                }
                return try self.pipeline.encode(image, png: true)
            }
        }
    }
}
