import LabelKitCore
import LabelKitFormats

/// `brush` (`labelkit brush` and `POST /v1/brush`): brush strokes, added and
/// erased in order, over an empty or a given mask.
public struct BrushRequest: Sendable {
    /// The mask drawn on (its size is the answer's).
    public var base: Mask
    /// The strokes, in order.
    public var strokes: [BrushStroke]
    /// The answer's format.
    public var format: MaskFormat

    /// A request.
    public init(base: Mask, strokes: [BrushStroke], format: MaskFormat = .ls) {
        self.base = base
        self.strokes = strokes
        self.format = format
    }

    /// The mask after every stroke.
    ///
    /// - Throws: the encoder's error.
    public func run() throws -> OperationOutput {
        var mask = base
        for stroke in strokes { mask.fill(.polyline(stroke.polyline), value: stroke.mode == .add ? 255 : 0) }
        return try .mask(mask, as: format)
    }
}
