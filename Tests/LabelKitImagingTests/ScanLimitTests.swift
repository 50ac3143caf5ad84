import Dispatch
import Foundation
import LabelKitImaging
import Testing

/// Scan bombs (progressive JPEGs with thousands of nearly empty scans) and
/// cancellation of a running JPEG decode.
@Suite("JPEG scan limit and cancellation")
struct ScanLimitTests {
    static let fixture = ImagingFixtures.root.deletingLastPathComponent().appendingPathComponent(
        "hostile/scan-bomb-2000.jpg")

    /// The error `body` throws, or nil.
    private func failure<T>(_ body: @autoclosure () throws(ImagingError) -> T) -> ImagingError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("2,000 scans are refused at the default limit, naming it")
    func bombRefused() throws {
        let bomb = ScanBomb.jpeg(width: 1024, height: 1024, scans: 2000)
        let started = DispatchTime.now().uptimeNanoseconds
        let error = failure(try JPEGCodec.decode(bomb))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        #expect(error == ImagingError(.scanLimit, "JPEG has more than 500 scans (max_scans = 500; a scan bomb)"))
        #expect(seconds < 10)
        #expect(JPEGCodec.defaultMaxScans == 500)
        #expect(failure(try ImageCodec.decode(bomb))?.code == .scanLimit)
        #expect(failure(try Thumbnailer(width: 64, height: 64).thumbnail(bomb))?.code == .scanLimit)
    }

    @Test("the hostile fixture is the generator's 2,000-scan bomb and is refused")
    func fixture() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture))
        #expect(bytes == ScanBomb.jpeg(width: 1024, height: 1024, scans: 2000))
        #expect(failure(try JPEGCodec.decode(bytes))?.code == .scanLimit)
    }

    @Test("100 scans decode under the default limit; a limit of 50 refuses them")
    func limits() throws {
        let file = ScanBomb.jpeg(width: 96, height: 64, scans: 100)
        let image = try JPEGCodec.decode(file)
        #expect(image.width == 96 && image.height == 64 && image.channels == 3)
        #expect(image.pixels.allSatisfy { $0 == 128 })
        #expect(try JPEGCodec.decode(file, maxScans: 100) == image)
        let refused = failure(try JPEGCodec.decode(file, maxScans: 50))
        #expect(refused == ImagingError(.scanLimit, "JPEG has more than 50 scans (max_scans = 50; a scan bomb)"))
        #expect(failure(try JPEGCodec.decode(file, maxScans: 99))?.code == .scanLimit)
        #expect(failure(try ImageCodec.decode(file, maxScans: 50))?.code == .scanLimit)
        let thumbnailer = try Thumbnailer(width: 16, height: 16, maxScans: 50)
        #expect(failure(try thumbnailer.thumbnail(file))?.code == .scanLimit)
        #expect(try Thumbnailer(width: 16, height: 16).thumbnail(file).width == 16)
    }

    @Test("a scan limit below 1 is an invalid argument")
    func badLimit() throws {
        let file = ScanBomb.jpeg(width: 8, height: 8, scans: 3)
        #expect(failure(try JPEGCodec.decode(file, maxScans: 0))?.code == .invalidArgument)
        #expect(failure(try Thumbnailer(width: 8, height: 8, maxScans: 0))?.code == .invalidArgument)
    }

    @Test("baseline files decode exactly as before with limits and a flag", arguments: [1, 2, 4, 8])
    func unchanged(denominator: Int) throws {
        let data = try ImagingFixtures.bytes("jpeg/photo_203x151.jpg")
        let entry = try #require(
            try ImagingFixtures.manifest("jpeg").first { $0.string("name") == "photo_203x151.jpg" })
        let scales = try #require(entry["scales"] as? [[String: Any]])
        let scale = try #require(scales.first { $0.int("denominator") == denominator })
        let expected = try ImagingFixtures.raw(
            scale.string("raw"), width: scale.int("width"), height: scale.int("height"), channels: 3)
        let limited = try JPEGCodec.decode(
            data, scaleDenominator: denominator, maxScans: 1, cancellation: CancellationFlag())
        #expect(limited == expected)
        #expect(try JPEGCodec.decode(data, scaleDenominator: denominator) == limited)
    }

    @Test("a raised flag stops decoding before it starts")
    func cancelledBefore() throws {
        let flag = CancellationFlag()
        flag.cancel()
        let jpeg = try ImagingFixtures.bytes("jpeg/photo_203x151.jpg")
        let png = try ImagingFixtures.bytes("quality/alpha_480x320.png")
        let thumbnailer = try Thumbnailer(width: 32, height: 32)
        #expect(failure(try JPEGCodec.decode(jpeg, cancellation: flag))?.code == .cancelled)
        #expect(failure(try ImageCodec.decode(png, cancellation: flag))?.code == .cancelled)
        #expect(failure(try thumbnailer.thumbnail(jpeg, cancellation: flag))?.code == .cancelled)
        #expect(failure(try thumbnailer.thumbnail(png, cancellation: flag))?.code == .cancelled)
        let image = try JPEGCodec.decode(jpeg)
        #expect(failure(try thumbnailer.thumbnail(of: image, cancellation: flag))?.code == .cancelled)
    }

    /// 2,000 scans of 2048 x 2048 with no effective limit take seconds; the flag,
    /// raised 50 ms in by a thread of its own, is seen by the progress monitor at the next block row.
    @Test("a flag raised during a long decode stops it")
    func cancelledDuring() throws {
        let bomb = ScanBomb.jpeg(width: 2048, height: 2048, scans: 2000)
        let flag = CancellationFlag()
        // A thread of its own: a Dispatch worker could wait behind other tests' blocking work
        // (two on this machine) until the decode has finished.
        Thread.detachNewThread {
            usleep(50_000)
            flag.cancel()
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let error = failure(try JPEGCodec.decode(bomb, maxScans: 2000, cancellation: flag))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        #expect(error?.code == .cancelled)
        #expect(seconds < 10)
    }
}
