import Crypto
import Foundation

/// An annotator's or manager's credential: a compact JWS (a JWT signed with
/// HMAC-SHA256, `alg` `HS256`) whose claims name the user, the role, when it
/// expires and its id (`jti`, what revocation names).
///
///     eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJhbm5vdGF0b3IiLCJleHAiOjE3OTk5OTk5OTl9.<signature>
///
/// Every replica that shares the signing key accepts the tokens any of them minted.
struct SignedToken: Sendable, Equatable {
    /// What a credential may do.
    enum Role: String, Sendable, Codable, CaseIterable {
        /// Works on the label stream as itself only.
        case annotator
        /// Works on the label stream for anyone, imports frames, creates tasks, posts overlays.
        case manager
    }

    /// The user the token speaks for (`sub`).
    var user: String
    /// The role.
    var role: Role
    /// When it was issued and when it expires, in seconds since 1970.
    var issuedAt: Int64
    var expiresAt: Int64
    /// Its id (`jti`).
    var id: String

    private struct Claims: Codable {
        var sub: String
        var role: Role
        var iat: Int64
        var exp: Int64
        var jti: String
    }

    /// Why a presented token is refused (each a 401).
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed, badSignature, expired, revoked

        var description: String {
            switch self {
            case .malformed: return "the bearer token is not valid"
            case .badSignature: return "the bearer token is not valid (its signature does not match)"
            case .expired: return "the bearer token has expired"
            case .revoked: return "the bearer token has been revoked"
            }
        }
    }

    /// The base64url header every token carries: `{"alg":"HS256","typ":"JWT"}`.
    private static let header = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// The token text, signed with `key`.
    func signed(with key: SymmetricKey) -> String {
        let claims = Claims(sub: user, role: role, iat: issuedAt, exp: expiresAt, jti: id)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = Self.base64URL(Array((try? encoder.encode(claims)) ?? Data()))
        let input = Self.header + "." + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key)
        return input + "." + Self.base64URL(Array(mac))
    }

    /// Reads and checks `text`: the header, the signature (compared in constant
    /// time) and the expiry against `now`.
    init(verifying text: String, key: SymmetricKey, now: Int64) throws(Refusal) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.header, let signature = Self.bytes(base64URL: parts[2]),
            let payload = Self.bytes(base64URL: parts[1])
        else { throw .malformed }
        let input = Data("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key) else {
            throw .badSignature
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload)) else { throw .malformed }
        guard now < claims.exp else { throw .expired }
        self.init(user: claims.sub, role: claims.role, issuedAt: claims.iat, expiresAt: claims.exp, id: claims.jti)
    }

    init(user: String, role: Role, issuedAt: Int64, expiresAt: Int64, id: String) {
        (self.user, self.role, self.issuedAt, self.expiresAt, self.id) = (user, role, issuedAt, expiresAt, id)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64URL text: Substring) -> [UInt8]? {
        guard text.count <= 8192 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
