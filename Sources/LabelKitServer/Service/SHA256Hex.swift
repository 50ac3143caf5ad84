import Crypto
import Foundation

/// SHA-256 of a text as 64 lowercase hex digits, written through a table (no
/// formatter per byte): cache keys and store names, computed on request paths.
enum SHA256Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The digest of `text`'s UTF-8 bytes.
    static func of(_ text: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
