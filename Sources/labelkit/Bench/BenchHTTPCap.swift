import ArgumentParser
import Foundation
import LabelKitServer

/// `labelkit bench http-cap`: the HTTP layer's ceiling, for `make serve-bench`.
struct BenchHTTPCap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-cap",
        abstract: "Serve one constant body on every GET: the HTTP layer's own requests/s ceiling.",
        discussion: """
            The same HTTP server as `labelkit serve`, with one route that answers
            every GET with the same body and a cached tile's headers, and nothing
            else: no routing of our own, no cache, no logging, no metrics. Load it
            with wrk as `labelkit serve` is loaded to see how close the service
            comes to what the HTTP layer can do on the machine.

            Examples:
              labelkit bench http-cap --port 18082
              labelkit bench http-cap --port 18082 --bytes 16384
              labelkit bench http-cap --port 0 --host 0.0.0.0
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one, printed on stderr (--port 18082).")
    var port: Int = 18082

    @Option(help: "Interface to listen on (--host 127.0.0.1).")
    var host: String = "127.0.0.1"

    @Option(help: "Body size in bytes, e.g. a typical tile's (--bytes 16384).")
    var bytes: Int = 16384

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (0...(64 << 20)).contains(bytes) else { throw ValidationError("--bytes must be 0...67108864") }
    }

    func run() async throws {
        try await ConstantBodyServer.run(host: host, port: port, bytes: bytes) { port in
            FileHandle.standardError.write(Data("http-cap: serving on http://\(host):\(port)\n".utf8))
        }
    }
}
