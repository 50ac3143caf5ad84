import LabelKitCore
import LabelKitJSON

/// The `info.json` of an image (Image API 3.0, level 2): size, tiles, preferred
/// sizes, limits and the features beyond level 2 the service offers.
public enum IIIFInfo {
    /// Tile width and height advertised (and cached) for viewers.
    public static let tileSize = 512

    /// Scale factors 1, 2, 4, ... up to the first at which one tile covers the image.
    public static func scaleFactors(width: Int, height: Int, tileSize: Int = tileSize) -> [Int] {
        var factors = [1]
        while factors.last! * tileSize < max(width, height) { factors.append(factors.last! * 2) }
        return factors
    }

    /// The info document (JSON text) for an image served at `id` (the base URI, no
    /// trailing slash).
    public static func json(id: String, width: Int, height: Int, limits: IIIFLimits) -> String {
        let factors = scaleFactors(width: width, height: height)
        let sizes = factors.reversed().map { s in
            "{\"width\":\((width + s - 1) / s),\"height\":\((height + s - 1) / s)}"
        }
        return "{\"@context\":\"http://iiif.io/api/image/3/context.json\",\"id\":\(JSONText.quoted(id)),"
            + "\"type\":\"ImageService3\",\"protocol\":\"http://iiif.io/api/image\",\"profile\":\"level2\","
            + "\"width\":\(width),\"height\":\(height),\"maxWidth\":\(limits.maxWidth),"
            + "\"maxHeight\":\(limits.maxHeight),\"maxArea\":\(limits.maxArea),"
            + "\"sizes\":[\(sizes.joined(separator: ","))],"
            + "\"tiles\":[{\"width\":\(tileSize),\"height\":\(tileSize),"
            + "\"scaleFactors\":[\(factors.map(String.init).joined(separator: ","))]}],"
            + "\"extraQualities\":[\"bitonal\"],"
            + "\"extraFeatures\":[\"mirroring\",\"sizeUpscaling\",\"regionSquare\",\"sizeByConfinedWh\"],"
            + "\"preferredFormats\":[\"jpg\"]}"
    }
}
