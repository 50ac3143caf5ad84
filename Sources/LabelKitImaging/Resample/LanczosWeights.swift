#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Precomputed fixed-point Lanczos3 weights for one axis: for each output
/// sample, the first input sample and `taps` weights (14 fractional bits, each
/// row summing to exactly 1 << 14, so flat areas stay exact).
///
/// Geometry: output sample `o` is centred at `(o + 0.5) * factor` in the source
/// (sample `i` covers `[i, i + 1)`), measured in input samples after an
/// integer box shrink by `box` (`center / box`). Downsampling widens the kernel
/// with the scale (support `3 * scale`, as libvips `reduce` and Pillow do);
/// samples past an edge repeat the edge sample (libvips' `VIPS_EXTEND_COPY`).
///
///     ┌─ o = 0 ─────────────┐┌─ o = 1 ─────────────┐
///     │ start[0] w0 w1 … wT-1││ start[1] w0 w1 … wT-1│   weights.count = outSize * taps
///     └─────────────────────┘└─────────────────────┘
struct LanczosWeights {
    /// Fractional bits of each weight.
    static let precision: Int32 = 14
    /// Output samples.
    let outSize: Int
    /// Weights per output sample (the widest window; narrower ones are zero-padded).
    let taps: Int
    /// First input sample of each output's window; `start + taps <= inSize`.
    let starts: [Int32]
    /// `outSize * taps` weights.
    let weights: [Int32]

    /// - Parameters:
    ///   - inSize: input samples on this axis (after the box shrink).
    ///   - outSize: output samples.
    ///   - factor: source samples per output sample, before the box shrink.
    ///   - box: the integer box-shrink factor already applied to the input.
    init(inSize: Int, outSize: Int, factor: Double, box: Int) {
        precondition(inSize > 0 && outSize > 0 && box > 0)
        let scale = factor / Double(box)
        let filterScale = max(scale, 1)
        let support = 3 * filterScale
        // Pass 1: window bounds per output, to size the fixed tap count.
        var firsts = [Int](repeating: 0, count: outSize)
        var lasts = [Int](repeating: 0, count: outSize)
        var taps = 1
        for o in 0..<outSize {
            let center = (Double(o) + 0.5) * scale
            let lo = Int((center - support).rounded(.down))
            let hi = Int((center + support).rounded(.up))
            firsts[o] = min(max(lo, 0), inSize - 1)
            lasts[o] = max(min(hi, inSize - 1), firsts[o])
            taps = max(taps, lasts[o] - firsts[o] + 1)
        }
        taps = min(taps, inSize)
        var starts = [Int32](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * taps)
        var row = [Double](repeating: 0, count: taps)
        let one = Double(1 << LanczosWeights.precision)
        for o in 0..<outSize {
            let center = (Double(o) + 0.5) * scale
            let lo = Int((center - support).rounded(.down))
            let hi = Int((center + support).rounded(.up))
            let start = min(firsts[o], inSize - taps)
            starts[o] = Int32(start)
            for t in 0..<taps { row[t] = 0 }
            var total = 0.0
            for i in lo...hi {
                let w = LanczosWeights.lanczos3((Double(i) + 0.5 - center) / filterScale)
                if w == 0 { continue }
                let clamped = min(max(i, 0), inSize - 1)
                row[clamped - start] += w
                total += w
            }
            if total == 0 {  // cannot happen for support >= 3, kept for safety
                row[min(max(Int(center), 0), inSize - 1) - start] = 1
                total = 1
            }
            var sum: Int32 = 0
            var largest = 0
            for t in 0..<taps {
                let q = Int32((row[t] / total * one).rounded())
                weights[o * taps + t] = q
                sum += q
                if abs(row[t]) > abs(row[largest]) { largest = t }
            }
            weights[o * taps + largest] += Int32(one) - sum
        }
        self.outSize = outSize
        self.taps = taps
        self.starts = starts
        self.weights = weights
    }

    /// The Lanczos kernel with a = 3: `sinc(x) * sinc(x / 3)` for |x| < 3, else 0.
    static func lanczos3(_ x: Double) -> Double {
        let ax = abs(x)
        if ax < 1e-9 { return 1 }
        if ax >= 3 { return 0 }
        let px = Double.pi * x
        return 3 * sin(px) * sin(px / 3) / (px * px)
    }
}
