import Foundation
import Hummingbird
import HummingbirdTesting
import LabelKitImaging

@testable import LabelKitServer

/// Helpers for the offload API tests: fixture files as exact text (so percent
/// coordinates reach the server unrounded), JSON posts, and problem bodies.
enum OffloadFixtures {
    /// A fixture file's text.
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: ServerFixture.fixtures.appendingPathComponent(relative), encoding: .utf8)
    }

    /// A fixture file's bytes.
    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: ServerFixture.fixtures.appendingPathComponent(relative)))
    }

    /// A fixture file parsed (for expected values: integers and strings; doubles
    /// are compared with a tolerance).
    static func json(_ relative: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try bytes(relative))) as? [String: Any] ?? [:]
    }

    /// The exact text of the JSON value under top-level `key` (found by scanning
    /// the text, strings skipped), so it can be spliced into a request body.
    static func value(_ key: String, in text: String) -> String? {
        let bytes = Array(text.utf8)
        let needle = Array("\"\(key)\"".utf8)
        var depth = 0, i = 0, inString = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            if b == UInt8(ascii: "\""), depth == 1, Array(bytes[i..<min(bytes.count, i + needle.count)]) == needle {
                var j = i + needle.count
                while bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: ":") || bytes[j] == 0x0A { j += 1 }
                let start = j
                var d = 0, s = false
                while j < bytes.count {
                    let c = bytes[j]
                    if s {
                        if c == UInt8(ascii: "\\") { j += 2; continue }
                        if c == UInt8(ascii: "\"") { s = false }
                    } else if c == UInt8(ascii: "\"") {
                        s = true
                    } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                        d += 1
                    } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                        d -= 1
                        if d == 0 { return String(decoding: bytes[start...j], as: UTF8.self) }
                    }
                    j += 1
                }
                return nil
            }
            if b == UInt8(ascii: "\"") { inString = true }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
            if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { depth -= 1 }
            i += 1
        }
        return nil
    }

    /// JSON text of a Foundation value (for bodies without fractional numbers).
    static func text(of object: Any) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])) ?? Data(),
            as: UTF8.self)
    }
}

/// A response's status, headers and body.
struct Answer: Sendable {
    var status: Int
    var headers: HTTPFields
    var bytes: [UInt8]

    /// The body as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }
    /// The body as a JSON object.
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// The body as a JSON list.
    var list: [Any] { json as? [Any] ?? [] }
    /// The content type.
    var contentType: String { headers[.contentType] ?? "" }
    /// The batch results.
    var results: [[String: Any]] { object["results"] as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    /// POSTs `body` (JSON text, or bytes) and returns the answer.
    func post(_ uri: String, _ body: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await post(uri, Array(body.utf8), headers: headers)
    }

    /// POSTs raw bytes.
    func post(_ uri: String, _ body: [UInt8], headers: HTTPFields = [:]) async throws -> Answer {
        try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            Answer(status: Int(response.status.code), headers: response.headers, bytes: Array(buffer: response.body))
        }
    }

    /// Any method without a body.
    func call(_ uri: String, _ method: HTTPRequest.Method, headers: HTTPFields = [:]) async throws -> Answer {
        try await execute(uri: uri, method: method, headers: headers) { response in
            Answer(status: Int(response.status.code), headers: response.headers, bytes: Array(buffer: response.body))
        }
    }
}

/// The mask (one byte per pixel, luma) of a PNG answer.
func maskPixels(_ png: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt8]) {
    let mask = try PNGCodec.decodeMask(png)
    return (mask.width, mask.height, mask.bytes)
}
