import Foundation
import Testing

@testable import LabelKitServer

/// Identifiers resolved under the root, remembered for a second.
@Suite("Source resolution")
struct SourceResolverTests {
    static func root() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-resolve-\(UUID())")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("root"), withIntermediateDirectories: true)
        return url
    }

    @Test("a file replaced within the second is seen at once: another file, or a symlink out of the root")
    func replaced() throws {
        let base = try Self.root()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("root")
        let file = root.appendingPathComponent("a.jpg")
        try Data(repeating: 1, count: 10).write(to: file)
        let resolver = try SourceResolver(root: root.path)
        #expect(try resolver.resolve("a").size == 10)
        // Another file renamed over it (a new inode and size).
        let other = root.appendingPathComponent("b.tmp")
        try Data(repeating: 2, count: 20).write(to: other)
        #expect(rename(other.path, file.path) == 0)
        #expect(try resolver.resolve("a").size == 20)
        // A symlink to a file outside the root put in its place.
        let outside = base.appendingPathComponent("secret.jpg")
        try Data(repeating: 3, count: 30).write(to: outside)
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: outside)
        #expect(throws: ServiceError.self) { try resolver.resolve("a") }
    }

    @Test("names that are canonically equivalent but different bytes are different files")
    func exactBytes() throws {
        let base = try Self.root()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("root")
        try Data(repeating: 1, count: 10).write(to: root.appendingPathComponent("caf\u{E9}.png"))
        let resolver = try SourceResolver(root: root.path)
        #expect(try resolver.resolve("caf\u{E9}.png").size == 10)
        #expect(throws: ServiceError.self) { try resolver.resolve("cafe\u{301}.png") }
    }
}
