// The 1920x1080 masks shared by the suites (`blob` and `noisy`), from SplitMix64 seeds.
import LabelKitCore

public enum TestMasks {
    /// Width of the test masks (a 1080p frame).
    public static let width = 1920
    /// Height of the test masks.
    public static let height = 1080

    /// Fills the axis-aligned ellipse centred at (`cx`, `cy`) with semi-axes `rx`, `ry`
    /// with 255 and returns how many pixels were newly set.
    @discardableResult
    public static func fillEllipse(_ mask: inout Mask, cx: Double, cy: Double, rx: Double, ry: Double) -> Int {
        var added = 0
        let y0 = max(0, Int((cy - ry).rounded(.down)))
        let y1 = min(mask.height - 1, Int((cy + ry).rounded(.up)))
        guard y0 <= y1 else { return 0 }
        for y in y0...y1 {
            let dy = (Double(y) + 0.5 - cy) / ry
            let t = 1 - dy * dy
            guard t > 0 else { continue }
            let half = rx * t.squareRoot()
            let x0 = max(0, Int((cx - half).rounded()))
            let x1 = min(mask.width, Int((cx + half).rounded()))
            guard x0 < x1 else { continue }
            let row = y * mask.width
            for i in (row + x0)..<(row + x1) where mask.bytes[i] == 0 {
                mask.bytes[i] = 255
                added += 1
            }
        }
        return added
    }

    /// 1920x1080, large filled ellipses added until about 35% of the pixels are set:
    /// few, long runs (the typical brush or segmentation mask).
    public static func blob(seed: UInt64 = 0x4C41_4245_4C4B_4954) -> Mask {
        var rng = SplitMix64(seed: seed)
        var mask = Mask(width: width, height: height)
        let target = Int(Double(width * height) * 0.35)
        var area = 0
        while area < target {
            var rx = Double.random(in: 150...420, using: &rng)
            var ry = Double.random(in: 100...300, using: &rng)
            // Shrink the last ellipse so that coverage lands near the target.
            let nominal = Double.pi * rx * ry
            let remaining = Double(target - area)
            if nominal > remaining {
                let shrink = max(0.2, (remaining / nominal).squareRoot())
                rx *= shrink
                ry *= shrink
            }
            let cx = Double.random(in: rx...(Double(width) - rx), using: &rng)
            let cy = Double.random(in: ry...(Double(height) - ry), using: &rng)
            area += fillEllipse(&mask, cx: cx, cy: cy, rx: rx, ry: ry)
        }
        return mask
    }

    /// 1920x1080, every pixel 0 or 255 with probability 1/2: the worst case for any
    /// run-length code (runs of about 2 pixels).
    public static func noisy(seed: UInt64 = 0x4E4F_4953_59) -> Mask {
        var rng = SplitMix64(seed: seed)
        var bytes = [UInt8](repeating: 0, count: width * height)
        var i = 0
        while i < bytes.count {
            var bits = rng.next()
            for _ in 0..<min(64, bytes.count - i) {
                bytes[i] = (bits & 1) == 0 ? 0 : 255
                bits >>= 1
                i += 1
            }
        }
        return try! Mask(width: width, height: height, bytes: bytes)
    }
}
