import Foundation
import LabelKitImaging
import Synchronization

/// Decoded images (with their pyramids) in memory, least recently used first
/// out under a byte budget; identical concurrent loads decode once. Headers
/// are cached separately so `info.json` never decodes pixels.
///
/// Loading blocks its thread (call it on a pool thread): a second thread asking
/// for an image being decoded waits for that decode instead of starting its own.
final class SourceCache: Sendable {
    private struct Slot {
        var image: SourceImage
        var lastUse: Int
    }

    private let budget: Int
    private let maxSourcePixels: Int
    private let maxHeaderPixels: Int
    private let maxSourceBytes: Int
    private let maxJPEGScans: Int
    private let images = Mutex<(slots: [String: Slot], total: Int, clock: Int)>(([:], 0, 0))
    private let headers = Mutex<[String: ImageHeader]>([:])
    private let loads = LoadGate()

    /// A cache of `budget` bytes decoding sources of at most `maxSourcePixels`;
    /// headers up to `maxHeaderPixels` are answered (larger sources are served
    /// from tile stores).
    init(budget: Int, maxSourcePixels: Int, maxHeaderPixels: Int, maxSourceBytes: Int, maxJPEGScans: Int) {
        self.budget = budget
        self.maxSourcePixels = maxSourcePixels
        self.maxHeaderPixels = max(maxSourcePixels, maxHeaderPixels)
        self.maxSourceBytes = maxSourceBytes
        self.maxJPEGScans = maxJPEGScans
    }

    /// Decodes a source's bytes within the pixel and scan limits, stopping when
    /// `cancellation` is raised.
    func decode(_ bytes: [UInt8], cancellation: CancellationFlag?) throws -> Image {
        try ImageCodec.decode(bytes, maxPixels: maxSourcePixels, maxScans: maxJPEGScans, cancellation: cancellation)
    }

    /// Reads a source file within the byte limit.
    func bytes(_ file: SourceFile) throws -> [UInt8] {
        guard file.size <= maxSourceBytes else {
            throw ServiceError(413, "\(file.identifier): \(file.size) bytes exceed the source limit of \(maxSourceBytes)")
        }
        return try FileIO.read(file.path, limit: maxSourceBytes)
    }

    /// The header of a source if it has been read before (never blocks).
    func knownHeader(_ file: SourceFile) -> ImageHeader? {
        headers.withLock { $0[file.path + "@" + file.version] }
    }

    /// The header (upright size) of a source, refusing sources above the header pixel limit.
    func header(_ file: SourceFile) throws -> ImageHeader {
        let key = file.path + "@" + file.version
        if let header = headers.withLock({ $0[key] }) { return header }
        let header = try Self.prefixHeader(file) ?? ImageHeader(try bytes(file))
        try header.check(maxPixels: maxHeaderPixels)
        // Past the decoding limit a source is read strip by strip: its data must
        // be able to hold its pixels.
        if header.pixelCount > maxSourcePixels { try header.checkPlausible(fileBytes: file.size) }
        headers.withLock { $0[key] = header }
        return header
    }

    /// The header from the file's first MiB (headers and EXIF come before the
    /// pixel data), or nil when it is not all there.
    static func prefixHeader(_ file: SourceFile) -> ImageHeader? {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return nil }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 1 << 20) else { return nil }
        return try? ImageHeader([UInt8](prefix))
    }

    /// The decoded source with its pyramid (blocks while decoding).
    func image(_ file: SourceFile, cancellation: CancellationFlag? = nil) throws -> SourceImage {
        let key = file.path + "@" + file.version
        if let hit = lookup(key) { return hit }
        loads.enter(key)
        defer { loads.leave(key) }
        // Another thread may have loaded it while this one waited.
        if let hit = lookup(key) { return hit }
        let image = SourceImage(try decode(try bytes(file), cancellation: cancellation))
        insert(image, key: key)
        return image
    }

    private func lookup(_ key: String) -> SourceImage? {
        images.withLock { cache -> SourceImage? in
            guard var slot = cache.slots[key] else { return nil }
            cache.clock += 1
            slot.lastUse = cache.clock
            cache.slots[key] = slot
            return slot.image
        }
    }

    private func insert(_ image: SourceImage, key: String) {
        images.withLock { cache in
            guard cache.slots[key] == nil else { return }
            cache.clock += 1
            cache.slots[key] = Slot(image: image, lastUse: cache.clock)
            cache.total += image.byteCount
            while cache.total > budget, cache.slots.count > 1,
                let oldest = cache.slots.filter({ $0.key != key }).min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                cache.total -= oldest.value.image.byteCount
                cache.slots[oldest.key] = nil
            }
        }
    }
}

/// One load per key at a time: ``enter(_:)`` waits while another thread holds
/// the key.
private final class LoadGate: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var held: Set<String> = []

    func enter(_ key: String) {
        condition.lock()
        while held.contains(key) { condition.wait() }
        held.insert(key)
        condition.unlock()
    }

    func leave(_ key: String) {
        condition.lock()
        held.remove(key)
        condition.broadcast()
        condition.unlock()
    }
}
