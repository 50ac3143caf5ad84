import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `labelkit serve` as a process: memory taken by request bodies goes back
/// once their requests are done.
@Suite("Serve memory")
struct ServeMemoryTests {
    @Test("96 posts of a 20 MiB body to /v1/rle/decode leave resident memory within 100 MiB of where it started")
    func bodiesAreReleased() async throws {
        let server = try ServeProcess()
        // 20 MiB that are not JSON: read whole (a job holds the body), refused at once (400).
        let body = Data(repeating: UInt8(ascii: "a"), count: 20 << 20)
        #expect(try await server.post("/v1/rle/decode", Data("{}".utf8)) == 422)
        #expect(try await server.post("/v1/rle/decode", Data("a".utf8)) == 400)
        let baseline = server.residentMiB
        for _ in 0..<12 {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await server.post("/v1/rle/decode", body) } }
                for try await status in group { #expect(status == 400) }
            }
        }
        var settled = server.residentMiB
        for _ in 0..<100 where settled > baseline + 100 {
            try await Task.sleep(for: .milliseconds(100))
            settled = server.residentMiB
        }
        #expect(settled <= baseline + 100, "resident memory \(baseline) MiB before, \(settled) MiB after")
    }
}

extension ServeProcess {
    /// Resident memory of the server in MiB (VmRSS).
    var residentMiB: Double {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    /// POSTs `body` and returns the status.
    func post(_ path: String, _ body: Data) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
