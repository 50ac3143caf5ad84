import Foundation
import LabelKitImaging
import Testing

/// PNG chunks that claim more bytes than the data holds, found by `Fuzz/FuzzImageHeader`:
/// libpng allocated the claimed length (1 GB for a 572-byte file) before reading it.
@Suite("PNG chunk lengths")
struct HeaderChunkLengthTests {
    /// The fuzzer's input: `palette4.png` (37 x 23) with a `tEXt` chunk before `IDAT`
    /// whose length field says 1023410181 bytes.
    static let hugeText = Array(
        Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAACUAAAAXBAMAAAEJBasAAAAAIVBMVEXgqYCxz+mnC5ubDr9l97T+2IQ2zujSJOWCRqrxZaY+gw1QQpZGPQAABXRFWHQAKFB4yLkIFqwAAAHGSURBVHjaBcHLf9kAAAfwH0XHSeo1Pal69pTRmjlJaZP1RAmVU9RjOGUmSz9OMcY4+aD1OHnF66/c9wvfnofVKaNCDjEhorjwLGFuLTGvDZoWwOo9VMAQOzmHuXXbTuDSaL8hQcbaw/8E/sj1nICBSS0bkWeJ5RLKu5j1mjKpUQISF3X/C5WseoDZqP8WN78kdQI7anzgX9hg3IGVUn+MfOUObwnYU1wAmnORJJEM94oH4dtHD9Roe/3zIRCYY93T937Q/WIZdCaZ3hIjToM7sW6w2I6pFeKFsz0XfFK6OL5l/QfrqSHA9WLJL7X3Khco/YWd/tCJwMP5tvolf8U6sfWfdKV9kFVg8k6pfnAR/4ycx04cJTS8TWrbVlGiVhNFShDCwqXfxlJdJR/K6sIzI7JOfQaFnm+mYaprn8ITJR6ld7ZDpw9X5sGube44phFGhkpqG84mHSac02/M5dI+NnagJc3c2Ubj90IMtTbyfjo/kjANiGTTPXm9Drfvvj+V+4NsFLGb1qeTlC6zxHOhQsQVXY1HM2Wnbv2LqJfzRFz3nKQbk1irHl/pWnV4ayua+91m12iQMV3ZeIHpcoqW7zzT5rEQwH9eDpQDvFkAAAAASUVORK5CYII="
        )!)

    @Test("a chunk claiming more bytes than the file holds is refused before libpng reads it")
    func hugeTextChunk() {
        do {
            _ = try ImageHeader(Self.hugeText)
            Issue.record("the header was read")
        } catch {
            #expect(error.code == .invalidImage)
            #expect(error.message.contains("chunk tEXt at byte 78 claims 1023410181 bytes"), "\(error.message)")
        }
    }

    @Test("every chunk length before IDAT is checked, one byte too long is enough")
    func oneByteShort() throws {
        let png = try ImagingFixtures.bytes("png/palette4.png")
        _ = try ImageHeader(png)
        // PLTE follows IHDR (8 + 25 bytes): make it claim one byte more than the file has left.
        var bad = png
        let remaining = UInt32(png.count - 33 - 12 + 1)
        withUnsafeBytes(of: remaining.bigEndian) { bad.replaceSubrange(33..<37, with: $0) }
        #expect(throws: ImagingError.self) { try ImageHeader(bad) }
    }

    @Test("a prefix cut inside IDAT still gives the header")
    func prefixInsideIDAT() throws {
        let png = try ImagingFixtures.bytes("png/rgba8.png")
        let header = try ImageHeader(png)
        let idat = try #require(png.indices.dropLast(4).first { png[$0..<($0 + 4)].elementsEqual("IDAT".utf8) })
        #expect(try ImageHeader(Array(png.prefix(idat + 10))) == header)
    }
}
