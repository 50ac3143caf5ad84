import CPNG
import LabelKitCore

/// One palette entry: 8-bit red, green, blue and alpha (255 = opaque).
public struct PaletteColor: Hashable, Sendable {
    /// Red, 0...255.
    public var red: UInt8
    /// Green, 0...255.
    public var green: UInt8
    /// Blue, 0...255.
    public var blue: UInt8
    /// Alpha, 0 (transparent) ... 255 (opaque).
    public var alpha: UInt8

    /// Creates a colour; opaque unless `alpha` says otherwise.
    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }
}

extension PNGCodec {
    /// Encodes a label map (one class index per pixel) as an indexed-colour PNG:
    /// one byte per pixel plus a palette, the compact form of semantic masks.
    ///
    ///     let png = try PNGCodec.encode(labels, palette: [.init(red: 0, green: 0, blue: 0),
    ///                                                     .init(red: 255, green: 0, blue: 0)])
    ///
    /// A tRNS chunk is written when a colour is translucent; rows are unfiltered.
    /// Decoding the file (``decode(_:maxPixels:)``) gives the palette colours back
    /// as RGB or RGBA.
    ///
    /// - Parameters:
    ///   - labels: the indices, each below `palette.count`.
    ///   - palette: 1 to 256 colours.
    ///   - compressionLevel: zlib level 0...9.
    /// - Throws: `.invalidArgument` for an empty map, a palette of 0 or more than 256
    ///   colours, an index without a colour, or a level outside 0...9.
    /// - Complexity: O(width * height).
    public static func encode(_ labels: Mask, palette: [PaletteColor], compressionLevel: Int = 6)
        throws(ImagingError) -> [UInt8]
    {
        guard labels.width > 0, labels.height > 0 else {
            throw ImagingError(.invalidArgument, "cannot write an empty \(labels.width)x\(labels.height) PNG")
        }
        guard (1...256).contains(palette.count) else {
            throw ImagingError(.invalidArgument, "a PNG palette has 1 to 256 colours, not \(palette.count)")
        }
        guard (0...9).contains(compressionLevel) else {
            throw ImagingError(.invalidArgument, "PNG compression level must be 0...9, not \(compressionLevel)")
        }
        let largest = labels.bytes.withUnsafeBufferPointer { bytes in
            var largest: UInt8 = 0
            for b in bytes { largest = max(largest, b) }
            return Int(largest)
        }
        guard largest < palette.count else {
            throw ImagingError(.invalidArgument, "label \(largest) has no colour in a palette of \(palette.count)")
        }
        var rgba = [UInt8]()
        rgba.reserveCapacity(palette.count * 4)
        for color in palette { rgba += [color.red, color.green, color.blue, color.alpha] }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let ok = labels.bytes.withUnsafeBufferPointer { src in
            cpng_encode_palette(
                src.baseAddress, UInt32(labels.width), UInt32(labels.height), rgba, Int32(palette.count),
                Int32(compressionLevel), &out, &size, &message, 256)
        }
        guard ok == 1, let out else { throw ImagingError(.invalidImage, "PNG encoding failed: \(string(message))") }
        defer { cpng_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
