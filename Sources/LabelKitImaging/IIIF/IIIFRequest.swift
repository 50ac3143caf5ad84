/// The parameters of an IIIF Image API 3.0 image request,
/// `{region}/{size}/{rotation}/{quality}.{format}`, parsed but not yet applied
/// to an image (see ``resolve(width:height:limits:)``).
///
///     let request = try IIIFRequest(region: "pct:10,10,50,50", size: "!256,256", rotation: "90", qualityAndFormat: "gray.png")
///     let plan = try request.resolve(width: 1000, height: 800, limits: IIIFLimits())
public struct IIIFRequest: Hashable, Sendable {
    /// The region of the full image to use.
    public enum Region: Hashable, Sendable {
        /// The whole image.
        case full
        /// The centred square of the shorter side.
        case square
        /// Pixels, origin top-left.
        case pixels(x: Int, y: Int, width: Int, height: Int)
        /// Percent of the full width and height.
        case percent(x: Double, y: Double, width: Double, height: Double)
    }

    /// How the region is scaled.
    public enum Size: Hashable, Sendable {
        /// The region at full size (within the limits).
        case max
        /// This width, the height keeping the aspect ratio.
        case width(Int)
        /// This height, the width keeping the aspect ratio.
        case height(Int)
        /// A percentage of the region.
        case percent(Double)
        /// Exactly this size (may distort).
        case exact(width: Int, height: Int)
        /// The largest size inside this box, keeping the aspect ratio.
        case confined(width: Int, height: Int)
    }

    /// Output qualities.
    public enum Quality: String, Hashable, Sendable, CaseIterable {
        case `default`, color, gray, bitonal
    }

    /// Output formats.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case jpg, png

        /// The media type.
        public var mediaType: String { self == .jpg ? "image/jpeg" : "image/png" }
    }

    /// The region.
    public var region: Region
    /// The size.
    public var size: Size
    /// True when the size may exceed the region (`^`).
    public var upscale: Bool
    /// Mirror (flip horizontally) before rotating (`!`).
    public var mirror: Bool
    /// Clockwise degrees, 0...360.
    public var rotation: Double
    /// The quality.
    public var quality: Quality
    /// The format.
    public var format: Format

    /// Parses the four path segments.
    ///
    /// - Throws: ``IIIFError`` 400 naming the malformed parameter.
    public init(region: String, size: String, rotation: String, qualityAndFormat: String) throws(IIIFError) {
        self.region = try Self.parseRegion(region)
        var sizeText = Substring(size)
        upscale = sizeText.first == "^"
        if upscale { sizeText = sizeText.dropFirst() }
        self.size = try Self.parseSize(sizeText, original: size)
        var rotationText = Substring(rotation)
        mirror = rotationText.first == "!"
        if mirror { rotationText = rotationText.dropFirst() }
        guard let degrees = Self.decimal(rotationText), degrees <= 360 else {
            throw .bad("rotation \"\(rotation)\" must be 0...360 degrees, optionally after \"!\"")
        }
        self.rotation = degrees
        guard let dot = qualityAndFormat.lastIndex(of: ".") else {
            throw .bad("\"\(qualityAndFormat)\" must be {quality}.{format}")
        }
        guard let quality = Quality(rawValue: String(qualityAndFormat[..<dot])) else {
            throw .bad("quality \"\(qualityAndFormat[..<dot])\" is not default, color, gray or bitonal")
        }
        self.quality = quality
        let formatText = String(qualityAndFormat[qualityAndFormat.index(after: dot)...])
        guard let format = Format(rawValue: formatText) else {
            throw .bad("format \"\(formatText)\" is not supported (jpg, png)")
        }
        self.format = format
    }

    static func parseRegion(_ text: String) throws(IIIFError) -> Region {
        switch text {
        case "full": return .full
        case "square": return .square
        default: break
        }
        if text.hasPrefix("pct:") {
            let parts = text.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map(decimal)
            guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3] else {
                throw .bad("region \"\(text)\" must be pct:x,y,w,h with decimal percentages")
            }
            guard w > 0, h > 0 else { throw .bad("region \"\(text)\" has a zero width or height") }
            return .percent(x: x, y: y, width: w, height: h)
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(integer)
        guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3] else {
            throw .bad("region \"\(text)\" must be full, square, x,y,w,h or pct:x,y,w,h")
        }
        guard w > 0, h > 0 else { throw .bad("region \"\(text)\" has a zero width or height") }
        return .pixels(x: x, y: y, width: w, height: h)
    }

    static func parseSize(_ text: Substring, original: String) throws(IIIFError) -> Size {
        if text == "max" { return .max }
        if text.hasPrefix("pct:") {
            guard let n = decimal(text.dropFirst(4)), n > 0 else {
                throw .bad("size \"\(original)\" must be pct:n with n > 0")
            }
            return .percent(n)
        }
        var body = text
        let confined = body.first == "!"
        if confined { body = body.dropFirst() }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .bad("size \"\(original)\" must be max, w,, ,h, w,h, !w,h or pct:n (each optionally after ^)")
        }
        let w = parts[0].isEmpty ? nil : integer(parts[0])
        let h = parts[1].isEmpty ? nil : integer(parts[1])
        if (!parts[0].isEmpty && w == nil) || (!parts[1].isEmpty && h == nil) {
            throw .bad("size \"\(original)\" has a width or height that is not a whole number")
        }
        switch (w, h, confined) {
        case (let w?, let h?, true): return .confined(width: w, height: h)
        case (let w?, let h?, false): return .exact(width: w, height: h)
        case (let w?, nil, false): return .width(w)
        case (nil, let h?, false): return .height(h)
        default: throw .bad("size \"\(original)\" must be max, w,, ,h, w,h, !w,h or pct:n")
        }
    }

    /// A non-negative whole number of at most 9 digits.
    static func integer(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// A non-negative decimal: at most 9 digits, optionally a point and more
    /// digits (so sizes computed from it stay far inside `Int`).
    static func decimal(_ text: Substring) -> Double? {
        let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count <= 2, !pieces[0].isEmpty, pieces[0].count <= 9, text.count <= 20,
            pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), pieces.count == 1 || !pieces[1].isEmpty
        else { return nil }
        return Double(text)
    }
}
