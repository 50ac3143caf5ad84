/// Buffer access with typed throws: the standard library's `withUnsafe...`
/// methods rethrow `any Error`, so these wrap the body's result in a `Result`
/// to keep `CoreError` as the thrown type.
@inlinable
func withBytes<R>(
    of array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CoreError) -> R
) throws(CoreError) -> R {
    try array.withUnsafeBytes { raw in Result { () throws(CoreError) in try body(raw) } }.get()
}

/// Mutable buffer access with typed throws (see ``withBytes(of:_:)``).
@inlinable
func withMutableBuffer<T, R>(
    of array: inout [T], _ body: (UnsafeMutableBufferPointer<T>) throws(CoreError) -> R
) throws(CoreError) -> R {
    try array.withUnsafeMutableBufferPointer { buffer in
        Result { () throws(CoreError) in try body(buffer) }
    }.get()
}
