/// The two separable passes of the Lanczos reduce over contiguous 8-bit
/// buffers: fixed-point multiply-adds with the precomputed ``LanczosWeights``,
/// no allocation per pixel, no closures in the loops.
enum LanczosPass {
    private static let half: Int32 = 1 << (LanczosWeights.precision - 1)

    @inline(__always)
    private static func store(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> LanczosWeights.precision)
    }

    /// Resamples each of `rows` rows of `inWidth` pixels to `weights.outSize` pixels.
    static func horizontal(
        _ src: UnsafeBufferPointer<UInt8>, inWidth: Int, rows: Int, channels: Int, weights: LanczosWeights,
        into dst: UnsafeMutableBufferPointer<UInt8>
    ) {
        let outWidth = weights.outSize, taps = weights.taps
        precondition(src.count >= inWidth * rows * channels && dst.count >= outWidth * rows * channels)
        weights.starts.withUnsafeBufferPointer { starts in
            weights.weights.withUnsafeBufferPointer { w in
                let s = src.baseAddress!, d = dst.baseAddress!, wp = w.baseAddress!
                for y in 0..<rows {
                    let srow = s + y &* inWidth &* channels
                    var out = d + y &* outWidth &* channels
                    switch channels {
                    case 1:
                        for o in 0..<outWidth {
                            var p = srow + Int(starts[o])
                            let k = wp + o &* taps
                            var a0 = half
                            for t in 0..<taps {
                                a0 &+= k[t] &* Int32(p[0])
                                p += 1
                            }
                            out[0] = store(a0)
                            out += 1
                        }
                    case 3:
                        for o in 0..<outWidth {
                            var p = srow + Int(starts[o]) &* 3
                            let k = wp + o &* taps
                            var a0 = half, a1 = half, a2 = half
                            for t in 0..<taps {
                                let c = k[t]
                                a0 &+= c &* Int32(p[0])
                                a1 &+= c &* Int32(p[1])
                                a2 &+= c &* Int32(p[2])
                                p += 3
                            }
                            out[0] = store(a0)
                            out[1] = store(a1)
                            out[2] = store(a2)
                            out += 3
                        }
                    case 4:
                        for o in 0..<outWidth {
                            var p = srow + Int(starts[o]) &* 4
                            let k = wp + o &* taps
                            var a0 = half, a1 = half, a2 = half, a3 = half
                            for t in 0..<taps {
                                let c = k[t]
                                a0 &+= c &* Int32(p[0])
                                a1 &+= c &* Int32(p[1])
                                a2 &+= c &* Int32(p[2])
                                a3 &+= c &* Int32(p[3])
                                p += 4
                            }
                            out[0] = store(a0)
                            out[1] = store(a1)
                            out[2] = store(a2)
                            out[3] = store(a3)
                            out += 4
                        }
                    default:  // 2 channels
                        for o in 0..<outWidth {
                            var p = srow + Int(starts[o]) &* 2
                            let k = wp + o &* taps
                            var a0 = half, a1 = half
                            for t in 0..<taps {
                                let c = k[t]
                                a0 &+= c &* Int32(p[0])
                                a1 &+= c &* Int32(p[1])
                                p += 2
                            }
                            out[0] = store(a0)
                            out[1] = store(a1)
                            out += 2
                        }
                    }
                }
            }
        }
    }

    /// Resamples `rowBytes`-byte rows vertically to `weights.outSize` rows; the
    /// inner loop runs over a whole row (contiguous, vectorisable).
    static func vertical(
        _ src: UnsafeBufferPointer<UInt8>, rowBytes: Int, weights: LanczosWeights,
        into dst: UnsafeMutableBufferPointer<UInt8>
    ) {
        let outHeight = weights.outSize, taps = weights.taps
        precondition(dst.count >= outHeight * rowBytes)
        let accumulator = UnsafeMutableBufferPointer<Int32>.allocate(capacity: rowBytes)
        defer { accumulator.deallocate() }
        let acc = accumulator.baseAddress!
        weights.starts.withUnsafeBufferPointer { starts in
            weights.weights.withUnsafeBufferPointer { w in
                let s = src.baseAddress!, d = dst.baseAddress!
                for o in 0..<outHeight {
                    acc.update(repeating: half, count: rowBytes)
                    let first = Int(starts[o])
                    for t in 0..<taps {
                        let c = w[o &* taps &+ t]
                        if c == 0 { continue }
                        let row = s + (first &+ t) &* rowBytes
                        for i in 0..<rowBytes { acc[i] &+= c &* Int32(row[i]) }
                    }
                    let out = d + o &* rowBytes
                    for i in 0..<rowBytes { out[i] = store(acc[i]) }
                }
            }
        }
    }
}
