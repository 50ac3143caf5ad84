import LabelKitCore
import LabelKitFormats

/// NumPy's `.npy` format (version 1.0) for a mask: the file `numpy.save` writes for
/// a C-ordered `uint8` array of shape `(height, width)`, byte for byte.
///
/// The header is the dictionary text `{'descr': '|u1', 'fortran_order': False,
/// 'shape': (h, w), }`, followed (as NumPy 2 writes it) by spaces leaving room for
/// a 21-digit first axis, then padded with spaces and a newline so the data starts
/// at a multiple of 64 bytes.
///
///     let bytes = NPYFile.bytes(of: mask)   // np.load reads it as mask.height x mask.width uint8
public enum NPYFile {
    /// The `.npy` bytes of `mask` (one byte per pixel, row-major).
    public static func bytes(of mask: Mask) -> [UInt8] {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(mask.height), \(mask.width)), }"
        header += String(repeating: " ", count: max(0, 21 - String(mask.height).count))
        let prefix = 6 + 2 + 2  // magic, version, header length
        let unpadded = header.utf8.count + 1
        let padding = 64 - (prefix + unpadded) % 64
        let length = unpadded + padding
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        out.reserveCapacity(prefix + length + mask.bytes.count)
        out += Array(header.utf8)
        out += [UInt8](repeating: UInt8(ascii: " "), count: padding)
        out.append(UInt8(ascii: "\n"))
        out += mask.bytes
        return out
    }
}
