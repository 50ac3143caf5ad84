import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LabelKitServer

/// Credentials over a real socket: the operator's token mints signed tokens for
/// annotators and managers; every state-changing route refuses a missing, wrong,
/// expired or revoked token; an annotator's token acts for that annotator only.
@Suite("Annotators sign in")
struct AuthTests {
    static let operatorToken = "operator-secret"

    func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer " + token }
        return fields
    }

    /// A token signed as the documented derivation says (HKDF-SHA256 of the
    /// operator's token, salt "labelkit", info "annotator tokens"), written here from
    /// the JWS rules rather than through the service's signer.
    static func handMade(user: String, role: String, expiresAt: Int64, secret: String = operatorToken) -> String {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), salt: Data("labelkit".utf8),
            info: Data("annotator tokens".utf8), outputByteCount: 32)
        func b64(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let header = b64(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = b64(
            Data(#"{"exp":\#(expiresAt),"iat":0,"jti":"hand-\#(user)","role":"\#(role)","sub":"\#(user)"}"#.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: key)
        return "\(header).\(payload).\(b64(Data(mac)))"
    }

    func mint(_ client: some TestClientProtocol, _ user: String, role: String = "annotator") async throws -> String {
        let answer = try await client.post(
            "/auth/tokens", #"{"user": "\#(user)", "role": "\#(role)", "ttl": 600}"#,
            headers: headers(Self.operatorToken))
        #expect(answer.status == 201, "\(String(decoding: answer.bytes, as: UTF8.self))")
        #expect(answer.object["user"] as? String == user && answer.object["role"] as? String == role)
        return try #require(answer.object["token"] as? String)
    }

    @Test("every state-changing route refuses no, wrong, expired and revoked credentials with 401")
    func refusals() async throws {
        let fixture = try ServerFixture { $0.token = Self.operatorToken }
        defer { fixture.remove() }
        try await fixture.live { client in
            let alice = try await mint(client, "alice", role: "manager")
            let now = Int64(Date().timeIntervalSince1970)
            let expired = Self.handMade(user: "alice", role: "manager", expiresAt: now - 10)
            let foreign = Self.handMade(user: "alice", role: "manager", expiresAt: now + 600, secret: "another-service")
            let revoked = try await mint(client, "carol", role: "manager")
            let revoke = try await client.post(
                "/auth/revoke", #"{"token": "\#(revoked)"}"#, headers: headers(Self.operatorToken))
            #expect(revoke.status == 200)
            let routes = [
                "/frames/import", "/frames/tasks", "/frames/tasks/t/next", "/frames/tasks/t/submit", "/annotations",
                "/auth/tokens", "/auth/revoke",
            ]
            for route in routes {
                for (name, token) in [
                    ("none", nil), ("wrong", "nope"), ("expired", expired), ("foreign", foreign), ("revoked", revoked),
                ] {
                    let answer = try await client.post(route, "{}", headers: headers(token))
                    #expect(answer.status == 401, "\(route) with \(name): \(answer.status)")
                }
            }
            // The hand-made token is accepted when its key is the service's: the signing rule is as documented.
            let handMade = Self.handMade(user: "dave", role: "manager", expiresAt: now + 600)
            let imported = try await client.post(
                "/frames/import", #"[{"video": "v.mp4", "fps": 1, "frame_count": 2}]"#, headers: headers(handMade))
            #expect(imported.status == 200)
            // A valid manager token works; a task's status is read with any valid token.
            let created = try await client.post("/frames/tasks", #"{"id": "t"}"#, headers: headers(alice))
            #expect(created.status == 201)
            #expect(try await client.call("/frames/tasks/t", .get).status == 401)
            #expect(try await client.call("/frames/tasks/t", .get, headers: headers(alice)).status == 200)
            #expect(try await client.call("/healthz", .get).status == 200)
        }
    }

    @Test("an annotator's token acts for that annotator only; managers and the operator act for anyone")
    func annotatorIsTheCredential() async throws {
        let fixture = try ServerFixture { $0.token = Self.operatorToken }
        defer { fixture.remove() }
        try await fixture.live { client in
            let op = headers(Self.operatorToken)
            #expect(
                try await client.post(
                    "/frames/import", #"[{"video": "v.mp4", "fps": 1, "frame_count": 4}]"#, headers: op
                ).status == 200)
            #expect(try await client.post("/frames/tasks", #"{"id": "t", "lock_ttl": 600}"#, headers: op).status == 201)
            let alice = headers(try await mint(client, "alice"))
            let manager = headers(try await mint(client, "mia", role: "manager"))
            // No "user" in the body: the token names the annotator.
            let next = try await client.post("/frames/tasks/t/next", "{}", headers: alice)
            #expect(next.status == 200 && next.object["status"] as? String == "unit")
            let unit = try #require(next.object["unit"] as? Int)
            // Naming another annotator is refused, whatever the action.
            for action in ["next", "submit", "skip", "postpone", "heartbeat"] {
                let answer = try await client.post(
                    "/frames/tasks/t/\(action)", #"{"user": "bob", "unit": \#(unit)}"#, headers: alice)
                #expect(answer.status == 403, "\(action): \(answer.status)")
                #expect(answer.object["type"] as? String == "urn:labelkit:problem:forbidden")
            }
            #expect(
                try await client.post("/frames/tasks/t/submit", #"{"user": "alice", "unit": \#(unit)}"#, headers: alice)
                    .status == 200)
            // An annotator cannot import, create tasks, post overlays or mint.
            for route in ["/frames/import", "/frames/tasks", "/annotations", "/auth/tokens"] {
                #expect(try await client.post(route, "{}", headers: alice).status == 403, "\(route)")
            }
            // A manager acts for bob; the label stream counts it as bob's.
            let forBob = try await client.post("/frames/tasks/t/next", #"{"user": "bob"}"#, headers: manager)
            #expect(forBob.status == 200 && forBob.object["status"] as? String == "unit")
            #expect(try await client.post("/auth/tokens", #"{"user": "x"}"#, headers: manager).status == 403)
        }
    }

    @Test("replicas that share the token accept each other's tokens; a bad request to mint is 422")
    func replicasShareTheKey() async throws {
        let first = try ServerFixture { $0.token = Self.operatorToken }
        let second = try ServerFixture { $0.token = Self.operatorToken }
        let other = try ServerFixture {
            $0.token = Self.operatorToken; $0.signingKey = "a separate key"
        }
        defer { [first, second, other].forEach { $0.remove() } }
        let token = try await withCheckedThrowingContinuation { (done: CheckedContinuation<String, any Error>) in
            Task {
                do {
                    try await first.live { client in
                        done.resume(returning: try await mint(client, "alice", role: "manager"))
                    }
                } catch { done.resume(throwing: error) }
            }
        }
        try await second.live { client in
            let answer = try await client.post("/frames/tasks", #"{"id": "t"}"#, headers: headers(token))
            #expect(answer.status == 201)
            for body in [#"{}"#, #"{"user": ""}"#, #"{"user": "a", "role": "root"}"#, #"{"user": "a", "ttl": 5}"#] {
                let status = try await client.post("/auth/tokens", body, headers: headers(Self.operatorToken)).status
                #expect(status == 422, "\(body)")
            }
        }
        try await other.live { client in
            let status = try await client.post("/frames/tasks", #"{"id": "t"}"#, headers: headers(token)).status
            #expect(status == 401)
        }
    }

    @Test("reads need a valid token (header or ?access_token=) unless they are images and --public-images is set")
    func reads() async throws {
        let id = ServerFixture.validatorID
        let images = [
            "/iiif/3/\(id)/info.json", "/iiif/3/\(id)/full/64,/0/default.jpg", "/dzi/\(id).dzi",
            "/dzi/\(id)_files/0/0_0.jpg", "/xyz/\(id)/0/0/0.png", "/thumb/\(id)?w=32", "/view/\(id)",
        ]
        let open = ["/healthz", "/readyz", "/metrics", "/openapi.json"]
        let fixture = try ServerFixture { $0.token = Self.operatorToken }
        defer { fixture.remove() }
        try await fixture.live { client in
            let annotator = try await mint(client, "erin")
            let revoked = try await mint(client, "fay")
            #expect(try await client.post("/auth/revoke", #"{"token": "\#(revoked)"}"#, headers: headers(Self.operatorToken)).status == 200)
            for path in images + ["/frames/tasks/none"] {
                #expect(try await client.call(path, .get).status == 401, "\(path) without a token")
                #expect(try await client.call(path, .get, headers: headers("wrong")).status == 401, "\(path)")
                #expect(try await client.call(path, .get, headers: headers(revoked)).status == 401, "\(path) revoked")
                let expected = path.hasPrefix("/frames") ? 404 : 200
                #expect(try await client.call(path, .get, headers: headers(annotator)).status == expected, "\(path)")
                #expect(try await client.call(path, .get, headers: headers(Self.operatorToken)).status == expected)
                let separator = path.contains("?") ? "&" : "?"
                #expect(
                    try await client.call(path + separator + "access_token=" + annotator, .get).status == expected,
                    "\(path) with ?access_token=")
                #expect(try await client.call(path + separator + "access_token=" + revoked, .get).status == 401)
            }
            for path in open { #expect(try await client.call(path, .get).status == 200, "\(path)") }
            // A tile read with a credential is for that reader only: no shared cache may keep it.
            let tile = try await client.call("/dzi/\(id)_files/0/0_0.jpg", .get, headers: headers(annotator))
            #expect(tile.headers[.cacheControl] == "private, max-age=86400")
            // The query carries a token on reads only.
            #expect(try await client.post("/frames/tasks?access_token=" + annotator, #"{"id": "u"}"#).status == 401)
        }
        let openImages = try ServerFixture {
            $0.token = Self.operatorToken
            $0.publicImages = true
        }
        defer { openImages.remove() }
        try await openImages.live { client in
            for path in images {
                let status = try await client.call(path, .get).status
                #expect(status == 200, "\(path) public")
            }
            let tile = try await client.call("/dzi/\(id)_files/0/0_0.jpg", .get)
            #expect(tile.headers[.cacheControl] == "public, max-age=86400")
            let task = try await client.call("/frames/tasks/none", .get).status
            #expect(task == 401)
            let annotation = try await client.post("/annotations", "{}").status
            #expect(annotation == 401)
        }
    }

    @Test("an open service asks for nothing and mints nothing")
    func openService() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let mint = try await client.post("/auth/tokens", #"{"user": "alice"}"#).status
            #expect(mint == 409)
            let imported = try await client.post("/frames/import", #"[{"video": "v.mp4", "fps": 1, "frame_count": 1}]"#)
            #expect(imported.status == 200)
        }
    }
}
