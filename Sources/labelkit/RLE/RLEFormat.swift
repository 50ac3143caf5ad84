import ArgumentParser

/// The two RLE formats: Label Studio brush RLE and COCO RLE.
enum RLEFormat: String, ExpressibleByArgument, CaseIterable {
    /// Label Studio brush RLE (`{"rle": [...], "width", "height"}`).
    case ls
    /// COCO RLE (`{"size": [H, W], "counts": "..."}`).
    case coco
}
