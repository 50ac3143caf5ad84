/// Direct conversions between Label Studio brush RLE and COCO RLE.
///
/// Both go through a one-byte-per-pixel mask at most (never the 4-byte RGBA image
/// that label-studio-converter's `ls_rle_to_coco_rle` builds with numpy).
public enum RLEConversion {
    /// Label Studio brush RLE to COCO RLE: foreground is alpha > 0.
    ///
    /// - Throws: the errors of ``LabelStudioRLE/decodeMask(_:width:height:)``.
    /// - Complexity: O(width * height + runs).
    public static func coco(fromLabelStudio rle: [UInt8], width: Int, height: Int) throws(CoreError) -> COCORLE {
        COCORLE(encoding: try LabelStudioRLE.decodeMask(rle, width: width, height: height))
    }

    /// COCO RLE to Label Studio brush RLE: inside pixels get R = G = B = A = 255.
    ///
    /// - Throws: `.invalidDimensions` for an empty RLE.
    /// - Complexity: O(width * height + runs).
    public static func labelStudio(fromCOCO rle: COCORLE) throws(CoreError) -> [UInt8] {
        try LabelStudioRLE.encode(rle.decode(foreground: 255))
    }
}
