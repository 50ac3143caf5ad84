import CJPEG
import CPNG

/// What an image file's header says, read without decoding any pixel.
///
///     let header = try ImageHeader(bytes)   // .jpeg, 6000 x 4000, 3 channels, .rotate90
///     header.orientedWidth                  // 4000: the upright width
///
/// Width and height are those of the stored pixels; ``orientedWidth`` and
/// ``orientedHeight`` apply the EXIF orientation.
public struct ImageHeader: Hashable, Sendable {
    /// The encoded format.
    public var format: ImageFormat
    /// Stored width in pixels.
    public var width: Int
    /// Stored height in pixels.
    public var height: Int
    /// Channels of the 8-bit image the file decodes to: 1 gray, 2 gray + alpha,
    /// 3 RGB, 4 RGBA (JPEG: 1 or 3; CMYK decodes to RGB).
    public var channels: Int
    /// The EXIF orientation of a JPEG (``ImageOrientation/identity`` when absent,
    /// invalid, or for PNG).
    public var orientation: ImageOrientation

    /// Creates a header from its facts.
    public init(format: ImageFormat, width: Int, height: Int, channels: Int, orientation: ImageOrientation) {
        self.format = format
        self.width = width
        self.height = height
        self.channels = channels
        self.orientation = orientation
    }

    /// Reads the header of PNG or JPEG bytes: libpng's chunk reader up to the image
    /// data, libjpeg's `jpeg_read_header`, and LabelKit's own EXIF reader. Nothing of
    /// the image's size is allocated, so this is the place to check pixel limits.
    ///
    /// - Throws: `.unsupported` for bytes that are neither PNG nor JPEG;
    ///   `.invalidImage` with the library's message for a corrupt header.
    /// - Complexity: O(bytes before the image data).
    public init(_ data: [UInt8]) throws(ImagingError) {
        switch ImageFormat(sniffing: data) {
        case .png:
            try Self.checkPNGChunkLengths(data)
            let header = try PNGCodec.readHeader(data)
            self.init(
                format: .png, width: Int(header.width), height: Int(header.height), channels: Int(header.channels),
                orientation: .identity)
        case .jpeg:
            let info = try JPEGCodec.readInfo(data, scaleDenominator: 1)
            self.init(
                format: .jpeg, width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
                orientation: EXIFOrientationReader.orientation(inJPEG: data))
        case nil:
            throw ImagingError(.unsupported, "not a PNG or JPEG file (unknown signature)")
        }
    }

    /// Stored width times height.
    public var pixelCount: Int { width * height }

    /// The upright width (the height for EXIF orientations 5 to 8).
    public var orientedWidth: Int { orientation.swapsDimensions ? height : width }

    /// The upright height (the width for EXIF orientations 5 to 8).
    public var orientedHeight: Int { orientation.swapsDimensions ? width : height }

    /// Throws `.tooLarge`, naming the size and the limit, when the image has more
    /// than `maxPixels` pixels.
    public func check(maxPixels: Int) throws(ImagingError) {
        // width * height cannot overflow: both are below 2^31 (PNG) or 2^16 (JPEG).
        guard pixelCount <= maxPixels else {
            throw ImagingError(
                .tooLarge,
                "\(format.rawValue.uppercased()) of \(width)x\(height) (\(pixelCount) pixels) exceeds the limit of \(maxPixels) pixels"
            )
        }
    }

    /// Half the fewest bytes any file of this format and size can have, so a
    /// file below it is a decompression bomb (a header with too little data
    /// behind it), whatever its contents: baseline JPEG codes at least 2 bits
    /// per 8x8 block (a DC code and an end-of-block); deflate packs at most
    /// 1,032 bytes into one, and a PNG row is at least a filter byte and a bit
    /// per pixel.
    public var leastPlausibleBytes: Int {
        switch format {
        case .jpeg: return pixelCount / 512
        case .png: return height * ((width + 7) / 8 + 1) / 1_032 / 2
        }
    }

    /// Throws `.tooLarge` when a file of `fileBytes` bytes is too small to hold
    /// this header's pixels (``leastPlausibleBytes``).
    public func checkPlausible(fileBytes: Int) throws(ImagingError) {
        guard fileBytes >= leastPlausibleBytes else {
            throw ImagingError(
                .tooLarge,
                "\(format.rawValue.uppercased()) of \(width)x\(height) in \(fileBytes) bytes cannot hold its pixels "
                    + "(at least \(leastPlausibleBytes) bytes): a decompression bomb")
        }
    }
}
