import Foundation
import Testing

/// Runs the built `labelkit` executable as a subprocess.
///
/// The binary is found next to the test runner (the directory of the test bundle or
/// of `CommandLine.arguments[0]`, or one of its parents), so this works for any
/// `--scratch-path`. `LABELKIT_BIN` overrides the search.
enum CLI {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        /// The stderr lines (without the final newline).
        var stderrLines: [Substring] {
            stderrText.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                stderrText.hasSuffix("\n") ? 1 : 0
            ).map { $0 }
        }
    }

    static let executable: URL? = {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["LABELKIT_BIN"], fm.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        var starts: [URL] = []
        if let arg0 = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: arg0)
            starts.append(url.deletingLastPathComponent())
            starts.append(url.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(Bundle.main.bundleURL)
        starts.append(Bundle.main.bundleURL.resolvingSymlinksInPath())
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            starts.append(bundle.bundleURL)
        }
        for start in starts {
            var dir = start
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("labelkit")
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    fm.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// Runs `labelkit args...`, with stdout and stderr captured through temporary files
    /// (no pipe buffer limits); `environment` adds variables to the test's own.
    static func run(_ args: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Output {
        guard let executable else { throw CLIError("labelkit executable not found next to the test bundle") }
        let dir = try TempDir()
        let outURL = dir.url.appendingPathComponent("stdout")
        let errURL = dir.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let inURL = dir.url.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: outURL),
            stderr: try Data(contentsOf: errURL))
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A temporary directory removed when the value is released.
final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("labelkit-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Fixture paths (`Tests/Fixtures`, package-relative).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func json(_ relative: String) throws -> [String: Any] {
        try JSON.object(Data(contentsOf: root.appendingPathComponent(relative)))
    }
}

enum JSON {
    static func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIError("not a JSON object: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        return object
    }

    static func ints(_ value: Any?) -> [Int]? {
        (value as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue }
    }
}
