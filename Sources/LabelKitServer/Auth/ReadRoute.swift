/// What a read (GET, HEAD) asks of its credential when the service has a token.
enum ReadRoute: Equatable {
    /// Liveness, readiness, metrics and the API description: always open, so
    /// load balancers and scrapers need no secret.
    case open
    /// Pixels: IIIF, Deep Zoom, XYZ, thumbnails, the viewer and the tile-store
    /// status of an image; open with
    /// `--public-images`, else any valid token.
    case image
    /// `/v1`: the offload API checks the operator's token itself.
    case offload
    /// Everything else (a frame task's status): any valid token.
    case other

    init(path: String) {
        let first = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
        switch first {
        case "healthz", "readyz", "metrics", "openapi.json": self = .open
        case "iiif", "dzi", "xyz", "thumb", "view", "pyramids": self = .image
        case "v1": self = .offload
        default: self = .other
        }
    }
}
