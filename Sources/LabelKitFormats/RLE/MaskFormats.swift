/// The names of the mask encodings, one spelling for the command line (`--format`)
/// and the HTTP API (`"format"`), so neither front end writes them out itself.

/// The two RLE formats.
public enum RLEFormat: String, CaseIterable, Sendable {
    /// Label Studio brush RLE (`{"rle": [...], "width", "height"}`).
    case ls
    /// COCO RLE (`{"size": [H, W], "counts": "..."}`).
    case coco
}

/// A mask as an answer: either RLE, or a 0/255 PNG.
public enum MaskFormat: String, CaseIterable, Sendable {
    /// Label Studio brush RLE.
    case ls
    /// COCO RLE.
    case coco
    /// A grey PNG, 0 outside and 255 inside.
    case png
}

/// What `rasterize` writes: a mask (``MaskFormat``), or the semantic mask of
/// class ids + 1 (needs the labeling config).
public enum RasterizeFormat: String, CaseIterable, Sendable {
    /// Label Studio brush RLE of the union.
    case ls
    /// COCO RLE of the union.
    case coco
    /// A 0/255 PNG of the union.
    case png
    /// A grey PNG whose pixels are the first label's class id + 1.
    case semantic
}
