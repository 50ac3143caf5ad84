import Crypto
import Foundation
import Hummingbird

/// The service's credential: requests present it as `Authorization: Bearer
/// <token>`. Only its SHA-256 is kept, and presented tokens are compared by
/// digest in constant time (digests have one length whatever the token's).
struct BearerToken: Sendable {
    private let digest: [UInt8]

    /// The credential `token`.
    init(_ token: String) {
        digest = Self.digest(token)
    }

    /// Whether `presented` is the token (compared by digest, in constant time).
    func matches(_ presented: String) -> Bool {
        let given = Self.digest(presented)
        var difference: UInt8 = 0
        for i in 0..<digest.count { difference |= given[i] ^ digest[i] }
        return difference == 0
    }

    /// Nil when `request` carries the token; otherwise why not.
    func problem(with request: Request) -> String? {
        let header = request.headers[.authorization] ?? ""
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return "this route needs Authorization: Bearer <token>"
        }
        return matches(parts[1].trimmingCharacters(in: .whitespaces)) ? nil : "the bearer token is not valid"
    }

    private static func digest(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }
}
