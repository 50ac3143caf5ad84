/// The service's output limits, advertised in `info.json`.
public struct IIIFLimits: Hashable, Sendable {
    /// Largest output width.
    public var maxWidth: Int
    /// Largest output height.
    public var maxHeight: Int
    /// Largest output pixel count.
    public var maxArea: Int
    /// Refuse `!w,h` boxes larger than the region (what the official validator's
    /// `size_noup` test expects) instead of serving the region at its own size
    /// (what the specification's text says).
    public var strictConfined: Bool

    /// Creates limits; the defaults allow 16384 px sides and 50 megapixels.
    public init(maxWidth: Int = 16384, maxHeight: Int = 16384, maxArea: Int = 50_000_000, strictConfined: Bool = false) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxArea = maxArea
        self.strictConfined = strictConfined
    }
}
