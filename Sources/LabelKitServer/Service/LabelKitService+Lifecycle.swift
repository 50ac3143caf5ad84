import Foundation
import ServiceLifecycle

extension LabelKitService {
    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: stops
    /// accepting connections, lets the requests in flight finish (for at most
    /// `shutdownTimeout`, after which they are cancelled), and checkpoints the
    /// SQLite file so it alone holds everything. Returns normally after a
    /// graceful shutdown (the command exits 0).
    public func run(
        shutdownTimeout: Duration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        var settings = ServiceGroupConfiguration(
            services: [application(onServerRunning: onServerRunning)], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        settings.maximumGracefulShutdownDuration = shutdownTimeout
        try await ServiceGroup(configuration: settings).run()
        do {
            try database.checkpointAll()
        } catch {
            logger.warning(
                "shutdown: the final checkpoint failed (the next start replays the log)",
                metadata: ["error": "\(error)"])
        }
        logger.info("shutdown: done")
    }
}
