/// A point in pixel coordinates: x to the right, y down; pixel (c, r) covers
/// `[c, c + 1) x [r, r + 1)` and is sampled at its centre `(c + 0.5, r + 0.5)`.
@frozen
public struct Point: Hashable, Sendable {
    /// Horizontal coordinate in pixels.
    public var x: Double
    /// Vertical coordinate in pixels (down).
    public var y: Double

    /// Creates a point.
    @inlinable
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// True when both coordinates are finite.
    @inlinable
    public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// An axis-aligned box in pixels: `[minX, maxX] x [minY, maxY]`.
@frozen
public struct Box: Hashable, Sendable {
    /// Left edge.
    public var minX: Double
    /// Top edge.
    public var minY: Double
    /// Right edge.
    public var maxX: Double
    /// Bottom edge.
    public var maxY: Double

    /// Creates a box from its edges.
    @inlinable
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The smallest box holding every point; an empty list gives an empty box
    /// (`minX > maxX`).
    public init(covering points: some Sequence<Point>) {
        var box = Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for p in points {
            box.minX = min(box.minX, p.x)
            box.maxX = max(box.maxX, p.x)
            box.minY = min(box.minY, p.y)
            box.maxY = max(box.maxY, p.y)
        }
        self = box
    }

    /// Width (`maxX - minX`).
    @inlinable
    public var width: Double { maxX - minX }
    /// Height (`maxY - minY`).
    @inlinable
    public var height: Double { maxY - minY }
    /// True when the box holds no point.
    @inlinable
    public var isEmpty: Bool { !(minX <= maxX && minY <= maxY) }

    /// The box grown by `amount` on every side.
    @inlinable
    public func insetBy(_ amount: Double) -> Box {
        Box(minX: minX + amount, minY: minY + amount, maxX: maxX - amount, maxY: maxY - amount)
    }

    /// True when `point` is inside or on the edge.
    @inlinable
    public func contains(_ point: Point) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    /// True when the boxes share at least one point.
    @inlinable
    public func intersects(_ other: Box) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// True when `other` lies entirely inside this box.
    @inlinable
    public func contains(_ other: Box) -> Bool {
        other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY
    }

    /// The smallest box holding both.
    @inlinable
    public func union(_ other: Box) -> Box {
        Box(
            minX: min(minX, other.minX), minY: min(minY, other.minY),
            maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}
