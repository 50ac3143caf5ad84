import Crypto
import Foundation

/// A resumable position in a task's stream (spec R11): the snapshot it belongs
/// to, the plan, and the iteration state, as base64url JSON with an HMAC-SHA256
/// tag so clients cannot forge positions.
public struct Cursor: Hashable, Sendable, Codable {
    /// SHA-256 of the snapshotted frame ids (R3), hex.
    public var snapshotID: String
    /// Clip length of the task.
    public var clipLength: Int
    /// Maximum time gap inside a clip, if any.
    public var maxGapMs: Int64?
    /// The plan.
    public var plan: IterationPlan
    /// Where the iteration stands.
    public var state: IterationState

    /// Creates a cursor.
    public init(snapshotID: String, clipLength: Int, maxGapMs: Int64?, plan: IterationPlan, state: IterationState) {
        self.snapshotID = snapshotID
        self.clipLength = clipLength
        self.maxGapMs = maxGapMs
        self.plan = plan
        self.state = state
    }

    /// Errors reading a cursor.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// Not a cursor, or its tag does not match (forged or from another server key).
        case invalid
        /// A valid cursor of another selection (HTTP 409 Conflict).
        case snapshotMismatch(expected: String, found: String)

        public var description: String {
            switch self {
            case .invalid: return "the cursor is not valid for this server"
            case .snapshotMismatch(let expected, let found):
                return "the cursor belongs to selection \(found.prefix(12))..., this task's is \(expected.prefix(12))..."
            }
        }
    }

    /// The token `base64url(json) + "." + base64url(hmac)`.
    public func token(key: SymmetricKey) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(self)) ?? Data()
        let tag = Data(HMAC<SHA256>.authenticationCode(for: json, using: key))
        return Self.base64url(json) + "." + Self.base64url(tag)
    }

    /// Reads and verifies a token made by ``token(key:)`` for the selection `snapshotID`.
    ///
    /// - Throws: ``DecodingError``.
    public static func decode(_ token: String, key: SymmetricKey, snapshotID: String) throws(DecodingError) -> Cursor {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let json = unbase64url(String(parts[0])), let tag = unbase64url(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: json, using: key),
            let cursor = try? JSONDecoder().decode(Cursor.self, from: json)
        else { throw .invalid }
        guard cursor.snapshotID == snapshotID else {
            throw .snapshotMismatch(expected: snapshotID, found: cursor.snapshotID)
        }
        return cursor
    }

    /// SHA-256 (hex) of ids joined by "\n" (R3).
    public static func snapshotID(ids: [String]) -> String {
        var digest = SnapshotDigest()
        for id in ids { digest.add(id) }
        return digest.hex
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// The snapshot id (R3) computed one id at a time, so a selection read from the
/// database is hashed as it streams, without joining a million ids first.
struct SnapshotDigest {
    private var hash = SHA256()
    private var isEmpty = true
    private static let newline = Data([10])

    /// Adds the next id in sort order.
    mutating func add(_ id: String) {
        if !isEmpty { hash.update(data: Self.newline) }
        hash.update(data: Data(id.utf8))
        isEmpty = false
    }

    /// SHA-256 of the ids joined by "\n", lowercase hex.
    var hex: String { hash.finalize().map { String(format: "%02x", $0) }.joined() }
}
