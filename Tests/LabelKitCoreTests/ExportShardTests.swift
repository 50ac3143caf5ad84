import Foundation
import LabelKitExport
import LabelKitFormats
import Testing

/// `ExportShard`: the `INDEX/COUNT` spelling and the key a task's shard is
/// computed from (the first top-level `id` as written).
@Suite("Export: shards")
struct ExportShardTests {
    @Test(
        "the task key is the top-level id as written; nested ids and other members are stepped over",
        arguments: [
            (#"{"id": 42, "data": {"image": "a.jpg"}}"#, "42"),
            (#"{"data": {"id": 9, "s": "}\"{"}, "annotations": [{"id": 5}], "id": 7}"#, "7"),
            (#"{"id":"a\"b\u0041"}"#, "a\"bA"),
            (#"{"id": "Кошка"}"#, "Кошка"),
            (#"{"id": -3, "id": 4}"#, "-3"),
            (#"{"id": 1e3}"#, "1e3"),
            (#"{"data": {"id": 1}}"#, "#"),
            (#"{"id": null}"#, "#"),
            (#"{"id": [1]}"#, "#"),
            (#"[1, 2]"#, "#"),
            (#"{"data": "unterminated"#, "#"),
        ])
    func taskKey(_ json: String, _ expected: String) {
        let key = ExportShard.taskKey(of: Data(json.utf8), index: 17)
        #expect(String(decoding: key, as: UTF8.self) == (expected == "#" ? "17" : expected), "\(json)")
    }

    @Test("a task belongs to FNV-1a 64 of its key mod COUNT")
    func membership() throws {
        // FNV-1a 64 by its definition, byte by byte.
        func fnv(_ text: String) -> UInt64 {
            text.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        }
        #expect(ExportShard.hash(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        for id in ["1", "42", "1000000007", "task-x", ""] {
            let owners = try (0..<5).filter { try ExportShard(index: $0, count: 5).contains(taskKey: Array(id.utf8)) }
            #expect(owners == [Int(fnv(id) % 5)], "\(id)")
        }
    }

    @Test("INDEX/COUNT parses with 0 <= INDEX < COUNT", arguments: ["0/1", "3/4", "15/16"])
    func parses(_ text: String) throws {
        let shard = try ExportShard(parsing: text)
        #expect(shard.description == text)
    }

    @Test("bad spellings name the value", arguments: ["4/4", "1/0", "-1/4", "a/4", "1/4/1", "", "+1/4"])
    func refuses(_ text: String) {
        #expect(throws: FormatsError.self) { try ExportShard(parsing: text) }
    }
}
