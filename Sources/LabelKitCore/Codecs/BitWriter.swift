/// Appends bit fields, most significant bit first (the layout of thi.ng
/// `rle-pack` streams), without a data-dependent branch per field.
///
/// Bits collect right-aligned in a 64-bit container; after every field the
/// container is stored unconditionally as 8 big-endian bytes at the write
/// position, which then advances by the number of whole bytes, keeping fewer than
/// 8 pending bits (the technique of zstd's `BIT_flushBits`). The buffer is owned
/// by the writer until ``finish()``, which copies it into an array and frees it;
/// every writer must be finished exactly once.
@usableFromInline
struct BitWriter {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// Whole bytes written so far.
    @usableFromInline var count = 0
    /// Pending bits, right-aligned; only the low `pending` (< 8) bits are meaningful.
    @usableFromInline var container: UInt64 = 0
    @usableFromInline var pending = 0

    @inlinable
    init(reservingCapacity capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    /// Total number of bits written so far.
    @inlinable
    var bitCount: Int { count &* 8 &+ pending }

    /// Appends the low `width` bits of `value` (`width` in 0...56).
    @inlinable @inline(__always)
    mutating func write(_ value: UInt64, width: Int) {
        container = (container << UInt64(width)) | value
        pending &+= width
        if count &+ 16 > capacity { grow() }
        let aligned = container << UInt64(64 &- pending)
        UnsafeMutableRawPointer(base + count).storeBytes(of: aligned.bigEndian, as: UInt64.self)
        count &+= pending &>> 3
        pending &= 7
    }

    @inline(never) @usableFromInline
    mutating func grow() {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        larger.update(from: base, count: count &+ 8)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    /// Ends the stream (the last partial byte is zero-padded), frees the buffer and
    /// returns the bytes.
    @inlinable
    mutating func finish() -> [UInt8] {
        let length = count &+ (pending > 0 ? 1 : 0)
        let result = Array(UnsafeBufferPointer(start: base, count: length))
        base.deallocate()
        return result
    }
}
