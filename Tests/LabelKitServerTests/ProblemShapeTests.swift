import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LabelKitServer

/// Every route answers errors in one shape: an RFC 9457 problem
/// (`application/problem+json`), outside `/v1` with the first shape's
/// `"error": {"status", "message"}` kept beside it.
@Suite("Problem shape on every route")
struct ProblemShapeTests {
    @Test("image, frame and annotation routes answer problems with a type per status and the legacy error member")
    func everyRoute() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let id = ServerFixture.validatorID
        try await fixture.live { client in
            let cases: [(String, HTTPRequest.Method, String?, Int, String)] = [
                ("/iiif/3/nope/info.json", .get, nil, 404, "not-found"),
                ("/iiif/3/\(id)/full/max/45/default.jpg", .get, nil, 501, "not-implemented"),
                ("/iiif/3/\(id)/full/0,/0/default.jpg", .get, nil, 400, "bad-request"),
                ("/frames/tasks", .post, "{not json", 400, "invalid-json"),
                ("/frames/tasks/none/next", .post, #"{"user": "a"}"#, 404, "not-found"),
                ("/frames/tasks", .post, #"{"overlap": true}"#, 422, "invalid-input"),
                ("/annotations", .post, #"{"result": 3}"#, 422, "invalid-input"),
            ]
            for (uri, method, body, status, kind) in cases {
                try await client.execute(uri: uri, method: method, body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(Int(response.status.code) == status, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                    let problem = response.json
                    #expect(problem["type"] as? String == "urn:labelkit:problem:" + kind, "\(uri): \(problem)")
                    #expect(problem["status"] as? Int == status && problem["title"] is String, "\(uri)")
                    let detail = problem["detail"] as? String
                    #expect(detail?.isEmpty == false, "\(uri)")
                    let legacy = problem["error"] as? [String: Any]
                    #expect(legacy?["status"] as? Int == status && legacy?["message"] as? String == detail, "\(uri)")
                }
            }
            // The offload API keeps its problems as they were: no legacy member.
            try await client.execute(uri: "/v1/rasterize", method: .post, body: ByteBuffer(string: "{not json")) {
                #expect($0.status == .badRequest && $0.json["error"] == nil)
                #expect($0.json["type"] as? String == "urn:labelkit:problem:invalid-json")
            }
        }
    }
}
