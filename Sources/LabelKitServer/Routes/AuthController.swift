import Foundation
import Hummingbird
import LabelKitJSON

/// Signed tokens for annotators and managers, minted and revoked with the
/// operator's token (`--token`):
///
/// - `POST /auth/tokens` `{"user", "role": "annotator"|"manager", "ttl": seconds}` ->
///   201 `{"token", "id", "user", "role", "expires_at"}`
/// - `POST /auth/revoke` `{"token"}` (or `{"id"}`) -> `{"revoked": id}`
///
/// An annotator's token makes the label stream act for that annotator only; a
/// manager's may act for anyone and import frames, create tasks and post overlays.
struct AuthController {
    let authenticator: Authenticator
    let maxBodyBytes: Int

    func addRoutes(to router: Router<ServiceRequestContext>) {
        let (authenticator, maxBodyBytes) = (self.authenticator, self.maxBodyBytes)
        router.post("/auth/tokens") { request, context in
            try Self.requireOperator(context, authenticator)
            let fields = try Self.object(try await RequestBody.read(request, limit: min(maxBodyBytes, 64 << 10)))
            guard let user = fields["user"] as? String, (1...256).contains(user.utf8.count) else {
                throw ServiceError(422, "\"user\" must be a string of 1 to 256 bytes")
            }
            let roleName = fields["role"].map { $0 as? String ?? "" } ?? SignedToken.Role.annotator.rawValue
            guard let role = SignedToken.Role(rawValue: roleName) else {
                throw ServiceError(422, "\"role\" must be annotator or manager")
            }
            let lifetime =
                try fields["ttl"].map { value -> Int64 in
                    guard let seconds = JSONNumber.integer(value),
                        (60...Authenticator.maxLifetimeSeconds).contains(Int64(seconds))
                    else {
                        throw ServiceError(
                            422, "\"ttl\" must be an integer 60...\(Authenticator.maxLifetimeSeconds) (seconds)")
                    }
                    return Int64(seconds)
                } ?? Authenticator.defaultLifetimeSeconds
            guard let (token, text) = authenticator.mint(user: user, role: role, lifetime: lifetime) else {
                throw ServiceError(409, "the service runs without --token: it is open and mints no tokens")
            }
            let answer = JSONText.of(
                [
                    "token": text, "id": token.id, "user": token.user, "role": token.role.rawValue,
                    "expires_at": Int(token.expiresAt),
                ] as [String: Any])
            return Reply.json(answer, status: .created)
        }
        router.post("/auth/revoke") { request, context in
            try Self.requireOperator(context, authenticator)
            let fields = try Self.object(try await RequestBody.read(request, limit: min(maxBodyBytes, 64 << 10)))
            let now = Authenticator.now()
            let id: String
            let expiresAt: Int64
            if let text = fields["token"] as? String {
                guard let token = authenticator.claims(of: text) else {
                    throw ServiceError(422, "\"token\" is not a token this service signed")
                }
                (id, expiresAt) = (token.id, token.expiresAt)
            } else if let given = fields["id"] as? String, (1...128).contains(given.utf8.count) {
                // Without the token its expiry is unknown: keep the id as long as any token may live.
                (id, expiresAt) = (given, now + Authenticator.maxLifetimeSeconds)
            } else {
                throw ServiceError(422, "give \"token\" (the token's text) or \"id\" (its id)")
            }
            let revocations = authenticator.revocations
            try await authenticator.io.run { try revocations.revoke(id, expiresAt: expiresAt, now: now) }
            return Reply.json(JSONText.of(["revoked": id]))
        }
    }

    /// Only the operator's token mints and revokes.
    static func requireOperator(_ context: ServiceRequestContext, _ authenticator: Authenticator) throws {
        guard authenticator.token != nil else { return }  // open service: mint answers why not
        guard context.credential == .serviceOperator else {
            throw ServiceError(403, "only the service's token (--token) mints and revokes tokens")
        }
    }

    /// A request body as a JSON object.
    static func object(_ body: [UInt8]) throws -> [String: Any] {
        guard let object = try ExactJSON.parse(Data(body)) as? [String: Any] else {
            throw ServiceError(400, "the body must be a JSON object")
        }
        return object
    }
}
