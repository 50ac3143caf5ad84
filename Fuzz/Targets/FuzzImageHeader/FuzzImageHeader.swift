import FuzzSupport
import LabelKitImaging

/// Fuzzes PNG and JPEG header reading: the input is an image file.
///
/// ``ImageHeader`` must agree with the signature, report a positive size and 1...4
/// channels, and ``ImageHeader/check(maxPixels:)`` must refuse exactly the images above
/// the limit. Images of at most 2^16 pixels are decoded as well (PNG, and JPEG with its
/// EXIF orientation applied): the decoded size and channels must be the header's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).rest
    let format = ImageFormat(sniffing: bytes)
    let header: ImageHeader
    do {
        header = try ImageHeader(bytes)
    } catch {
        fuzzCheck(
            error.code == (format == nil ? .unsupported : .invalidImage),
            "ImageHeader threw \(error.code) for format \(String(describing: format))")
        return 0
    }
    let what = "\(header)"
    fuzzCheck(header.format == format, "header format \(header.format) but signature \(String(describing: format))")
    fuzzCheck(header.width >= 1 && header.height >= 1, "size: \(what)")
    fuzzCheck((1...4).contains(header.channels), "channels: \(what)")
    if header.format == .jpeg {
        fuzzCheck(header.channels == 1 || header.channels == 3, "JPEG channels: \(what)")
        fuzzCheck(header.width <= 65535 && header.height <= 65535, "JPEG size: \(what)")
    } else {
        fuzzCheck(header.orientation == .identity, "PNG orientation: \(what)")
        fuzzCheck(header.width < 1 << 31 && header.height < 1 << 31, "PNG size: \(what)")
    }
    let swapped = header.orientation.swapsDimensions
    fuzzCheck(
        header.orientedWidth == (swapped ? header.height : header.width)
            && header.orientedHeight == (swapped ? header.width : header.height), "oriented size: \(what)")

    let pixels = header.pixelCount
    for limit in [pixels - 1, pixels, 1 << 16, 1 << 28] {
        let refused: Bool
        do {
            try header.check(maxPixels: limit)
            refused = false
        } catch {
            fuzzCheck(error.code == .tooLarge, "check(maxPixels:) threw \(error.code)")
            refused = true
        }
        fuzzCheck(refused == (pixels > limit), "check(maxPixels: \(limit)) refused = \(refused): \(what)")
    }

    guard pixels <= 1 << 16 else { return 0 }
    let image: Image
    do {
        image = try ImageCodec.decode(bytes, maxPixels: 1 << 16, applyOrientation: true)
    } catch {
        fuzzCheck(error.code == .invalidImage, "decoding a small image threw \(error.code): \(error.message)")
        return 0
    }
    fuzzCheck(
        image.width == header.orientedWidth && image.height == header.orientedHeight,
        "decoded \(image.width)x\(image.height), header \(what)")
    fuzzCheck(image.channels == header.channels, "decoded \(image.channels) channels, header \(what)")
    fuzzCheck(image.pixels.count == image.width * image.height * image.channels, "pixel buffer size")
    return 0
}
