/// One frame to annotate: a still image, or one frame of a video or sequence.
public struct Frame: Hashable, Sendable, Codable {
    /// Unique id.
    public var id: String
    /// The sequence it belongs to (a video); default: the source URI, else "".
    public var contextID: String
    /// Milliseconds from the start of its context (0 for still images).
    public var timestampMs: Int64
    /// The absolute frame number in the source video, when known.
    public var sourceFrame: Int?
    /// Where the image is.
    public var sourceURI: String
    /// Size in pixels, when known.
    public var width: Int?
    /// Size in pixels, when known.
    public var height: Int?
    /// ROI labels on the frame (one entry per ROI).
    public var labels: [String]
    /// Searchable metadata as flat key/value text.
    public var metadata: [String: String]

    /// Creates a frame; `contextID` defaults to the source URI.
    public init(
        id: String, contextID: String? = nil, timestampMs: Int64 = 0, sourceFrame: Int? = nil, sourceURI: String = "",
        width: Int? = nil, height: Int? = nil, labels: [String] = [], metadata: [String: String] = [:]
    ) {
        self.id = id
        self.contextID = contextID ?? sourceURI
        self.timestampMs = timestampMs
        self.sourceFrame = sourceFrame
        self.sourceURI = sourceURI
        self.width = width
        self.height = height
        self.labels = labels
        self.metadata = metadata
    }

    /// Number of ROIs.
    public var roiCount: Int { labels.count }

    /// The spec's total order (R2): context id by UTF-8 bytes, then timestamp, then
    /// id by UTF-8 bytes.
    public static func sortsBefore(_ a: Frame, _ b: Frame) -> Bool {
        if a.contextID != b.contextID { return a.contextID.utf8.lexicographicallyPrecedes(b.contextID.utf8) }
        if a.timestampMs != b.timestampMs { return a.timestampMs < b.timestampMs }
        return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }
}
