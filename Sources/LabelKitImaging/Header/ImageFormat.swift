/// The encoded formats LabelKit reads and writes.
public enum ImageFormat: String, Hashable, Sendable, CaseIterable {
    /// PNG (`89 50 4E 47 0D 0A 1A 0A` signature).
    case png
    /// JPEG / JFIF (`FF D8 FF` signature).
    case jpeg

    /// The format whose signature starts `data`, or nil.
    ///
    ///     ImageFormat(sniffing: bytes)   // .png, .jpeg or nil
    public init?(sniffing data: [UInt8]) {
        if data.count >= 8, data[0] == 0x89, data[1] == 0x50, data[2] == 0x4E, data[3] == 0x47, data[4] == 0x0D,
            data[5] == 0x0A, data[6] == 0x1A, data[7] == 0x0A
        {
            self = .png
        } else if data.count >= 3, data[0] == 0xFF, data[1] == 0xD8, data[2] == 0xFF {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// The format a file name's extension names (`.png`; `.jpg`, `.jpeg`), case-insensitive, or nil.
    public init?(pathExtension path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".png") {
            self = .png
        } else if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") {
            self = .jpeg
        } else {
            return nil
        }
    }
}
