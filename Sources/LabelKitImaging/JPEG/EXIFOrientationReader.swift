/// Finds the EXIF `Orientation` tag (0x0112) in a JPEG's APP1 `Exif` segment.
///
/// The reader walks the marker segments up to the first scan, then the TIFF
/// structure inside APP1 (`II` little-endian or `MM` big-endian) to IFD0. Every
/// offset is bounds-checked: a corrupt, truncated or odd EXIF block yields
/// ``ImageOrientation/identity``, never an error or a trap.
///
///     EXIFOrientationReader.orientation(inJPEG: bytes)   // .rotate90 for tag value 6
enum EXIFOrientationReader {
    /// The orientation recorded in `data`, or `.identity` when there is none or it is unreadable.
    ///
    /// - Complexity: O(number of segments before the first scan).
    static func orientation(inJPEG data: [UInt8]) -> ImageOrientation {
        data.withUnsafeBufferPointer { bytes in
            guard let exif = exifSegment(bytes) else { return .identity }
            return orientation(inTIFF: UnsafeBufferPointer(rebasing: bytes[exif]))
        }
    }

    /// The byte range of the TIFF data of the first APP1 `Exif\0\0` segment.
    private static func exifSegment(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            if marker == 0xFF {  // fill byte
                i += 1
                continue
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {  // standalone markers
                i += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // start of scan / end of image
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2, i + 2 + length <= bytes.count else { return nil }
            let body = (i + 4)..<(i + 2 + length)
            if marker == 0xE1, body.count >= 6 + 8, bytes[body.lowerBound] == 0x45,  // "Exif\0\0"
                bytes[body.lowerBound + 1] == 0x78, bytes[body.lowerBound + 2] == 0x69,
                bytes[body.lowerBound + 3] == 0x66, bytes[body.lowerBound + 4] == 0,
                bytes[body.lowerBound + 5] == 0
            {
                return (body.lowerBound + 6)..<body.upperBound
            }
            i = body.upperBound
        }
        return nil
    }

    /// The orientation tag of IFD0 in a TIFF structure.
    private static func orientation(inTIFF tiff: UnsafeBufferPointer<UInt8>) -> ImageOrientation {
        guard tiff.count >= 8 else { return .identity }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return .identity
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let a = Int(tiff[at]), b = Int(tiff[at + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let low = u16(littleEndian ? at : at + 2), let high = u16(littleEndian ? at + 2 : at) else {
                return nil
            }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return .identity }
        for entry in 0..<count {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at), let type = u16(at + 2), let n = u32(at + 4) else { return .identity }
            guard tag == 0x0112 else { continue }
            // SHORT (3) with count 1: the value sits in the first two bytes of the field.
            guard type == 3, n == 1, let value = u16(at + 8) else { return .identity }
            return ImageOrientation(rawValue: value) ?? .identity
        }
        return .identity
    }
}
