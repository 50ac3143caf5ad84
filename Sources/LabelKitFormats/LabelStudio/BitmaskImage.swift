import Foundation
import LabelKitCore
import LabelKitImaging

/// The mask of a BitmaskLabels result: Label Studio stores it as a PNG data URL
/// (`value.imageDataURL`, `data:image/png;base64,...`) at the image's natural
/// size, opaque where painted and transparent elsewhere.
enum BitmaskImage {
    /// The painted pixels (alpha > 0, or for an image without alpha any non-black
    /// pixel) as a 0/255 mask of `width x height`.
    ///
    /// The image's size is read from its header and must be the result's
    /// `original_width x original_height` before any pixel is decoded, so a data URL
    /// cannot make the reader allocate more than the image the caller allowed.
    ///
    /// - Throws: ``FormatsError`` naming the region: not a base64 data URL, not an
    ///   image, or another size.
    static func mask(_ raw: Any?, width: Int, height: Int, context: String) throws(FormatsError) -> Mask {
        guard let url = raw as? String else {
            throw FormatsError(.missingField, "\(context): missing \"value.imageDataURL\" (a data:image/png;base64 URL)")
        }
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64"),
            let data = Data(base64Encoded: String(url[url.index(after: comma)...]), options: .ignoreUnknownCharacters)
        else {
            throw FormatsError(.invalidField, "\(context): \"value.imageDataURL\" is not a base64 data URL")
        }
        let bytes = Array(data)
        let image: Image
        do throws(ImagingError) {
            let header = try ImageHeader(bytes)
            guard header.width == width, header.height == height else {
                throw ImagingError(
                    .invalidImage,
                    "the bitmask is \(header.width)x\(header.height), the image \(width)x\(height)")
            }
            image = try ImageCodec.decode(bytes, maxPixels: width * height)
        } catch {
            throw FormatsError(.invalidField, "\(context): value.imageDataURL: \(error.message)")
        }
        var mask = Mask(width: width, height: height)
        let c = image.channels
        image.pixels.withUnsafeBufferPointer { pixels in
            mask.bytes.withUnsafeMutableBufferPointer { out in
                switch c {
                case 2, 4:  // alpha is the last byte of each pixel
                    for i in 0..<(width * height) where pixels[i * c + c - 1] != 0 { out[i] = 255 }
                case 3:
                    for i in 0..<(width * height) where pixels[3 * i] | pixels[3 * i + 1] | pixels[3 * i + 2] != 0 {
                        out[i] = 255
                    }
                default:
                    for i in 0..<(width * height) where pixels[i] != 0 { out[i] = 255 }
                }
            }
        }
        return mask
    }
}
