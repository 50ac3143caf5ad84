import Foundation

/// A running `labelkit serve` on a free port, over an empty root and its own
/// database in a temporary folder; stopped when released.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let dir: TempDir
    /// The `--db` file.
    var database: String { dir.path("serve.sqlite") }

    /// Starts `labelkit serve` with `arguments` after the root, database, port and log level.
    init(_ arguments: [String] = []) throws {
        guard let executable = CLI.executable else { throw CLIError("labelkit executable not found") }
        dir = try TempDir()
        let root = dir.url.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let log = dir.url.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = executable
        process.arguments =
            ["serve", "--root", root.path, "--db", dir.path("serve.sqlite"), "--port", "0", "--log-level", "warning"]
            + arguments
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<400 where found == nil {
            Thread.sleep(forTimeInterval: 0.05)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let found else { throw CLIError("labelkit serve did not start") }
        port = found
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
