extension ImageHeader {
    /// Refuses PNG data whose chunks before the first `IDAT` claim more bytes than the
    /// data holds, before libpng reads them.
    ///
    /// libpng allocates a chunk's claimed length (up to 2^31 - 1 bytes) before it reads
    /// the chunk, so a 572-byte file whose `tEXt` chunk claims 1 GB made the header read
    /// allocate 1 GB (found by `Fuzz/FuzzImageHeader`). libpng refuses such data anyway
    /// once its read runs past the end; this walk refuses it first, with the chunk at
    /// fault. `IDAT` and what follows are not checked: the header ends there, and a
    /// prefix of a large file is a valid header.
    ///
    /// - Throws: `.invalidImage` naming the chunk, its offset and its claimed length.
    /// - Complexity: O(chunks before `IDAT`).
    static func checkPNGChunkLengths(_ data: [UInt8]) throws(ImagingError) {
        var offset = 8  // after the signature
        while offset + 8 <= data.count {
            let length =
                Int(data[offset]) << 24 | Int(data[offset + 1]) << 16 | Int(data[offset + 2]) << 8
                | Int(data[offset + 3])
            let type = data[(offset + 4)..<(offset + 8)]
            if type.elementsEqual("IDAT".utf8) { return }
            let remaining = data.count - offset - 12
            guard length <= remaining else {
                let name = String(decoding: type.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
                throw ImagingError(
                    .invalidImage,
                    "invalid PNG: chunk \(name) at byte \(offset) claims \(length) bytes, but \(max(0, remaining)) remain")
            }
            offset += 12 + length
        }
    }
}
