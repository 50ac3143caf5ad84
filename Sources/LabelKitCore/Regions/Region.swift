/// One annotated region of an image: an id, its geometry in pixels, and the
/// flags that matter for hit-testing.
public struct Region: Hashable, Sendable {
    /// The region id (Label Studio's `id`).
    public var id: String
    /// The geometry in pixels.
    public var shape: Shape
    /// Label names (e.g. `rectanglelabels`); informational for the core.
    public var labels: [String]
    /// Hidden regions are skipped by hit-testing.
    public var isHidden: Bool
    /// Locked regions can be skipped by hit-testing on request.
    public var isLocked: Bool

    /// Creates a region.
    public init(id: String, shape: Shape, labels: [String] = [], isHidden: Bool = false, isLocked: Bool = false) {
        self.id = id
        self.shape = shape
        self.labels = labels
        self.isHidden = isHidden
        self.isLocked = isLocked
    }
}
