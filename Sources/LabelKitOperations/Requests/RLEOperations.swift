import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// `rle encode`, `rle decode` and `rle convert` (the command line's and
/// `POST /v1/rle/...`'s).
public enum RLEOperations {
    /// A mask as Label Studio RLE (of the 0/255 mask, or of the pixels at or above
    /// `threshold` when given) or COCO RLE.
    ///
    /// - Throws: ``FormatsError`` naming `what` when the mask cannot be encoded.
    public static func encode(_ source: MaskSource, as format: RLEFormat, threshold: UInt8? = nil, what: String = "mask")
        throws(FormatsError) -> OperationOutput
    {
        switch format {
        case .coco:
            return .json(COCORLEDocument.json(try source.coco(what: what)))
        case .ls:
            let mask = try source.mask(what: what)
            do {
                let rle = try threshold.map { try LabelStudioRLE.encode(grayImage: mask, threshold: $0) }
                    ?? LabelStudioRLE.encode(mask)
                return .brush(rle, width: mask.width, height: mask.height)
            } catch {
                throw FormatsError(.invalidField, "\(what): \(error)")
            }
        }
    }

    /// An RLE as a mask PNG.
    ///
    /// - Throws: ``FormatsError`` for a PNG given as the source, an empty COCO size
    ///   or a malformed brush RLE.
    public static func decode(_ source: MaskSource, what: String = "rle") throws(FormatsError) -> OperationOutput {
        if case .mask = source {
            throw FormatsError(.invalidField, "\(what): expected a Label Studio or COCO RLE document, not a PNG")
        }
        if case .coco(let rle) = source, rle.width == 0 || rle.height == 0 {
            throw FormatsError(.invalidField, "\(what): COCO size [\(rle.height), \(rle.width)] is empty")
        }
        let mask = try source.mask(what: what)
        do {
            return .png(try PNGCodec.encode(mask))
        } catch {
            throw FormatsError(.invalidField, "\(what): \(error.message)")
        }
    }

    /// A Label Studio RLE as COCO RLE, or the other way.
    ///
    /// - Throws: ``FormatsError`` when `to` is the source's own format, the source
    ///   is a PNG, or the RLE is malformed.
    public static func convert(_ source: MaskSource, to format: RLEFormat, what: String = "rle") throws(FormatsError)
        -> OperationOutput
    {
        switch source {
        case .ls:
            guard format != .ls else { throw FormatsError(.invalidField, "\"from\" and \"to\" name the same format (ls)") }
            return .json(COCORLEDocument.json(try source.coco(what: what)))
        case .coco(let rle):
            guard format != .coco else {
                throw FormatsError(.invalidField, "\"from\" and \"to\" name the same format (coco)")
            }
            do {
                return .brush(try RLEConversion.labelStudio(fromCOCO: rle), width: rle.width, height: rle.height)
            } catch {
                throw FormatsError(.invalidField, "\(what): \(error.message)")
            }
        case .mask:
            throw FormatsError(.invalidField, "\(what): expected a Label Studio or COCO RLE document, not a PNG")
        }
    }
}
