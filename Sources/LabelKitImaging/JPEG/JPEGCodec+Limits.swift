import CJPEG

extension JPEGCodec {
    /// Calls `body` with the C limits of one decode: `maxScans`, and when a flag is
    /// given, a `should_stop` callback that reads it. The flag travels as an
    /// unretained pointer, kept alive for the call by `withExtendedLifetime`.
    static func withLimits<Result>(
        maxScans: Int, cancellation: CancellationFlag?, _ body: (UnsafePointer<cjpeg_limits>) -> Result
    ) -> Result {
        var limits = cjpeg_limits()
        limits.max_scans = Int32(clamping: maxScans)
        guard let cancellation else { return withUnsafePointer(to: limits, body) }
        limits.should_stop = { context in
            guard let context else { return 0 }
            return Unmanaged<CancellationFlag>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
        }
        return withExtendedLifetime(cancellation) {
            limits.context = Unmanaged.passUnretained(cancellation).toOpaque()
            return withUnsafePointer(to: limits, body)
        }
    }
}
