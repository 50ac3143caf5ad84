import LabelKitCore
import LabelKitFormats

/// A mask as an operation takes it: decoded pixels (from a PNG), a Label Studio
/// brush RLE document, or a COCO RLE.
public enum MaskSource: Sendable {
    /// Pixels; non-zero is inside.
    case mask(Mask)
    /// Label Studio brush RLE.
    case ls(BrushRLEDocument)
    /// COCO RLE.
    case coco(COCORLE)

    /// The mask (COCO decodes to 0/255; Label Studio keeps its alpha values).
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming `what` for a malformed brush RLE.
    public func mask(what: String) throws(FormatsError) -> Mask {
        switch self {
        case .mask(let m): return m
        case .coco(let r): return r.decode()
        case .ls(let d):
            do {
                return try LabelStudioRLE.decodeMask(d.rle, width: d.width, height: d.height)
            } catch {
                throw FormatsError(.invalidField, "\(what): \(error.message)")
            }
        }
    }

    /// The mask as COCO RLE (foreground = non-zero).
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming `what` for a malformed brush RLE.
    public func coco(what: String) throws(FormatsError) -> COCORLE {
        switch self {
        case .mask(let m): return COCORLE(encoding: m)
        case .coco(let r): return r
        case .ls(let d):
            do {
                return try RLEConversion.coco(fromLabelStudio: d.rle, width: d.width, height: d.height)
            } catch {
                throw FormatsError(.invalidField, "\(what): \(error.message)")
            }
        }
    }
}
