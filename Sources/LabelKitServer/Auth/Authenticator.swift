import Crypto
import Foundation
import Hummingbird

/// Checks the bearer token of each request against the service's own token
/// (`--token`) and the signed tokens it mints, and mints and revokes those.
///
/// With no `--token` the service is open: no credential is asked for and the
/// label stream takes the annotator from the body, as before. With one, every
/// request needs a credential except the operations routes (and the image
/// routes with `--public-images`): see ``ReadRoute``.
final class Authenticator: Sendable {
    /// The operator's token, or nil for an open service.
    let token: BearerToken?
    /// The key signed tokens are signed with (`--signing-key`, else derived from `--token`).
    private let keyBytes: [UInt8]?
    let revocations: RevocationList
    /// Where the revocation lookups run (SQLite reads).
    let io: WorkPool

    /// The longest a minted token may live, and the default.
    static let maxLifetimeSeconds: Int64 = 30 * 86_400
    static let defaultLifetimeSeconds: Int64 = 8 * 3_600

    init(token: String?, signingKey: String?, revocations: RevocationList, io: WorkPool) {
        self.token = token.map(BearerToken.init)
        // Replicas that share --token share the derived key, so their tokens work everywhere.
        keyBytes = (signingKey ?? token).map { secret in
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), salt: Data("labelkit".utf8),
                info: Data("annotator tokens".utf8), outputByteCount: 32
            ).withUnsafeBytes { Array($0) }
        }
        self.revocations = revocations
        self.io = io
    }

    /// The signing key (SymmetricKey is not Sendable, so the bytes are kept).
    private var key: SymmetricKey? { keyBytes.map { SymmetricKey(data: $0) } }

    /// Seconds since 1970.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// The credential of `request`: nil for an open service or a request without
    /// one; throws 401 for a token that is wrong, malformed, expired or revoked.
    /// With `acceptingQuery` (reads), a token may also come as `?access_token=`
    /// (RFC 6750 section 2.3), for `<img>` tags that cannot send headers.
    func credential(of request: Request, acceptingQuery: Bool = false) async throws -> Credential? {
        guard let token else { return nil }
        let presented: String
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw ServiceError(401, "the Authorization header must be \"Bearer <token>\"")
            }
            presented = parts[1].trimmingCharacters(in: .whitespaces)
        } else if acceptingQuery, let query = request.uri.queryParameters.get("access_token") {
            presented = query
        } else {
            return nil
        }
        if token.matches(presented) { return .serviceOperator }
        guard let key, presented.split(separator: ".").count == 3 else {
            throw ServiceError(401, SignedToken.Refusal.malformed.description)
        }
        let signed: SignedToken
        do {
            signed = try SignedToken(verifying: presented, key: key, now: Self.now())
        } catch {
            throw ServiceError(401, error.description)
        }
        let revocations = self.revocations
        if try await io.run({ try revocations.isRevoked(signed.id) }) {
            throw ServiceError(401, SignedToken.Refusal.revoked.description)
        }
        return .user(signed.user, signed.role)
    }

    /// A new token for `user` with `role`, living `lifetime` seconds, and its
    /// signed text; nil when the service has no key (an open service).
    func mint(user: String, role: SignedToken.Role, lifetime: Int64) -> (token: SignedToken, text: String)? {
        guard let key else { return nil }
        let now = Self.now()
        var random = SystemRandomNumberGenerator()
        let id = (0..<2).map { _ in String(format: "%016llx", random.next() as UInt64) }.joined()
        let token = SignedToken(user: user, role: role, issuedAt: now, expiresAt: now + lifetime, id: id)
        return (token, token.signed(with: key))
    }

    /// The claims of `text` when this service signed it (expired ones too: a
    /// revocation may name any token); nil otherwise.
    func claims(of text: String) -> SignedToken? {
        guard let key else { return nil }
        return try? SignedToken(verifying: text, key: key, now: .min)
    }
}
