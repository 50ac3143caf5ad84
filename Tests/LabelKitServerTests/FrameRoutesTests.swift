import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LabelKitServer

/// The frame-task routes over a real socket, with the command line's JSON shapes.
@Suite("Frame routes")
struct FrameRoutesTests {
    func post(_ client: some TestClientProtocol, _ uri: String, _ body: String) async throws -> (Int, [String: Any]) {
        try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: body)) { response in
            (Int(response.status.code), response.json)
        }
    }

    @Test("import, create, next for an annotator, submit, skip, heartbeat, status; errors are 4xx with a message")
    func labelStream() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let frames = #"[{"video": "drive.mp4", "fps": 10, "frame_count": 6}]"#
            let imported = try await self.post(client, "/frames/import", frames)
            #expect(imported.0 == 200 && imported.1["imported"] as? Int == 6)
            let created = try await self.post(
                client, "/frames/tasks", #"{"id": "t", "clip": 2, "overlap": 2, "order": "random", "seed": 42, "lock_ttl": 600}"#)
            #expect(created.0 == 201 && created.1["unitCount"] as? Int == 3)
            #expect((created.1["plan"] as? [String: Any])?["seed"] as? Int == 42)
            let next = try await self.post(client, "/frames/tasks/t/next", #"{"user": "alice"}"#)
            #expect(next.0 == 200 && next.1["status"] as? String == "unit")
            let unit = try #require(next.1["unit"] as? Int)
            #expect((next.1["frames"] as? [[String: Any]])?.count == 2)
            let beat = try await self.post(client, "/frames/tasks/t/heartbeat", #"{"user": "alice", "unit": \#(unit)}"#)
            #expect(beat.0 == 200 && beat.1["locked_until"] != nil)
            let submitted = try await self.post(
                client, "/frames/tasks/t/submit", #"{"user": "alice", "unit": \#(unit), "result": [{"type": "choices"}]}"#)
            #expect(submitted.0 == 200)
            let again = try await self.post(client, "/frames/tasks/t/submit", #"{"user": "alice", "unit": \#(unit)}"#)
            #expect(again.0 == 409 && ((again.1["error"] as? [String: Any])?["message"] as? String)?.contains("already") == true)
            let skip = try await self.post(client, "/frames/tasks/t/skip", #"{"user": "bob", "unit": \#(unit)}"#)
            #expect(skip.0 == 200)
            let plain = try await self.post(client, "/frames/tasks/t/next", #"{"stream": "w1", "count": 4}"#)
            #expect(plain.0 == 200)
            try await client.execute(uri: "/frames/tasks/t", method: .get) { response in
                let label = response.json["label"] as? [String: Any]
                #expect(label?["submitted"] as? Int == 1 && label?["skipped"] as? Int == 1 && label?["units"] as? Int == 3)
            }
            #expect(try await self.post(client, "/frames/tasks/nope/next", #"{"user": "a"}"#).0 == 404)
            #expect(try await self.post(client, "/frames/tasks/t/next", "not json").0 == 400)
            #expect(try await self.post(client, "/frames/tasks/t/submit", #"{"user": "a"}"#).0 == 422)
            #expect(try await self.post(client, "/frames/tasks/t/submit", #"{"user": "a", "unit": 99}"#).0 == 422)
            #expect(try await self.post(client, "/frames/tasks/t/fly", #"{"user": "a", "unit": 0}"#).0 == 404)
            #expect(try await self.post(client, "/frames/tasks", #"{"id": "t"}"#).0 == 409)
            #expect(try await self.post(client, "/frames/tasks", #"{"overlap": 0}"#).0 == 422)
            #expect(try await self.post(client, "/frames/tasks", #"{"where": ["speed>fast"]}"#).0 == 422)
            #expect(try await self.post(client, "/frames/import", #"[{"id": "drive.mp4#0"}]"#).0 == 409)
        }
    }

    @Test("numbers and booleans are read strictly (true is no integer, 1.5 no unit); skip_mode takes the command line's spelling and the camelCase alias")
    func strictFields() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let frames = #"[{"video": "drive.mp4", "fps": 10, "frame_count": 4}]"#
            #expect(try await self.post(client, "/frames/import", frames).0 == 200)
            for body in [
                #"{"overlap": true}"#, #"{"overlap": 1.5}"#, #"{"clip": "2"}"#, #"{"lock_ttl": false}"#,
                #"{"cohort": "all"}"#, #"{"infinite": 1}"#, #"{"breadth_first": "yes"}"#, #"{"skip_mode": "requeue_for_me"}"#,
            ] {
                let answer = try await self.post(client, "/frames/tasks", body)
                #expect(answer.0 == 422, "\(body) answered \(answer.0)")
            }
            for (id, mode) in [("kebab", "requeue-for-me"), ("camel", "requeueForMe")] {
                let created = try await self.post(
                    client, "/frames/tasks", #"{"id": "\#(id)", "skip_mode": "\#(mode)", "overlap": 2.0}"#)
                #expect(created.0 == 201, "\(mode)")
            }
            let next = try await self.post(client, "/frames/tasks/kebab/next", #"{"user": "ann"}"#)
            let unit = try #require(next.1["unit"] as? Int)
            #expect(try await self.post(client, "/frames/tasks/kebab/skip", #"{"user": "ann", "unit": \#(unit).5}"#).0 == 422)
            #expect(try await self.post(client, "/frames/tasks/kebab/skip", #"{"user": "ann", "unit": true}"#).0 == 422)
            #expect(try await self.post(client, "/frames/tasks/kebab/next", #"{"stream": "s", "count": true}"#).0 == 422)
            #expect(try await self.post(client, "/frames/tasks/kebab/skip", #"{"user": "ann", "unit": \#(unit)}"#).0 == 200)
        }
    }
}
