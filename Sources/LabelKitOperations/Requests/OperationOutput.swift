import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// What an operation answers, the same for the command line and the HTTP API: a
/// JSON document (Label Studio or COCO RLE, contours, hits, ...) or PNG bytes.
public enum OperationOutput: Sendable, Equatable {
    /// A JSON document's text.
    case json(String)
    /// A PNG file's bytes.
    case png([UInt8])

    /// `{"rle":[...],"width":W,"height":H}` (``BrushRLEDocument/json()``).
    public static func brush(_ rle: [UInt8], width: Int, height: Int) -> OperationOutput {
        .json(BrushRLEDocument(rle: rle, width: width, height: height).json())
    }

    /// A mask as Label Studio RLE, COCO RLE or a 0/255 PNG.
    ///
    /// - Throws: the encoder's error (an empty mask has no PNG).
    public static func mask(_ mask: Mask, as format: MaskFormat) throws -> OperationOutput {
        switch format {
        case .coco: return .json(COCORLEDocument.json(COCORLE(encoding: mask)))
        case .png: return .png(try PNGCodec.encode(mask))
        case .ls: return .brush(try LabelStudioRLE.encode(mask), width: mask.width, height: mask.height)
        }
    }

    /// The union of `shapes` on a `width` x `height` image: Label Studio RLE straight
    /// from their spans (no mask is painted and scanned), COCO RLE or PNG of the
    /// painted mask.
    public static func union(of shapes: [Shape], rule: FillRule, width: Int, height: Int, as format: MaskFormat)
        throws -> OperationOutput
    {
        if format == .ls {
            var union = SpanUnion(width: width, height: height)
            for shape in shapes { Rasterizer.rasterize(shape, rule: rule, width: width, height: height, into: &union) }
            return .brush(try LabelStudioRLE.encode(union), width: width, height: height)
        }
        var mask = Mask(width: width, height: height)
        for shape in shapes { mask.fill(shape, rule: rule) }
        return try .mask(mask, as: format)
    }
}

extension RasterizeFormat {
    /// The mask format of the union (nil for `semantic`).
    public var maskFormat: MaskFormat? { MaskFormat(rawValue: rawValue) }
}
