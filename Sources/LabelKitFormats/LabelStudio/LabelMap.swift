import Foundation
import LabelKitJSON

/// Label names to class indices. Semantic masks use index 0 for background and
/// 1... for labels; COCO categories and YOLO classes use 0... in the same order.
public struct LabelMap: Sendable, Equatable {
    /// Label names in class order.
    public private(set) var names: [String] = []
    private var indices: [String: Int] = [:]
    /// True when loaded from a file (new labels are then errors, not additions).
    public let isFixed: Bool
    /// True when the ids are Label Studio's, from a labeling config.
    public let isFromConfig: Bool
    /// The config's keypoint labels in `model_index` order (empty without a config).
    public private(set) var keypointOrder: [String] = []
    /// The labels of the config's KeyPointLabels controls, in config order.
    public private(set) var keypointLabels: [String] = []
    /// The category name under which converter-compatible COCO files the keypoint
    /// annotations (written as Label Studio's merged `default` category).
    public static let keypointCategory = "\u{0}keypoints"
    /// Where a fixed map came from, for error messages.
    public var origin: String { isFromConfig ? "labeling config (--config)" : "label map (--label-map)" }

    /// An empty map that grows in order of first appearance.
    public init() {
        isFixed = false
        isFromConfig = false
    }

    /// A fixed map from `labels.json`: either `["Cat", "Dog"]` (index order) or
    /// `{"Cat": 1, "Dog": 2}` (semantic indices, 1-based; gaps allowed).
    ///
    /// - Throws: ``FormatsError`` for another shape.
    public init(json: Data) throws(FormatsError) {
        isFixed = true
        isFromConfig = false
        let root = try JSONFields.parse(json)
        if let list = root as? [String] {
            for name in list { _ = insert(name) }
        } else if let object = root as? [String: Any] {
            let pairs = try object.map { (key, value) throws(FormatsError) -> (String, Int) in
                guard let index = JSONNumber.integer(value), index >= 1 else {
                    throw FormatsError(.invalidField, "label map: \"\(key)\" must map to an integer >= 1")
                }
                return (key, index)
            }
            for (name, index) in pairs.sorted(by: { $0.1 < $1.1 }) {
                while names.count < index - 1 { _ = insert("__unused_\(names.count + 1)") }
                _ = insert(name)
            }
        } else {
            throw FormatsError(.invalidField, "label map must be a list of names or {\"name\": index}")
        }
    }

    /// A fixed map from a labeling config: Label Studio's class ids
    /// (``LabelingConfig/classes``), so YOLO classes, semantic values (id + 1) and
    /// COCO categories agree with Label Studio's own exports. Ids left free by
    /// explicit `category` attributes hold placeholder names.
    public init(config: LabelingConfig, pose: Bool = false) {
        isFixed = true
        isFromConfig = true
        keypointOrder = config.keypointOrder
        keypointLabels = config.keypointLabels
        for item in pose ? config.poseClasses : config.classes {
            while names.count < item.id { _ = insert("__unused_\(names.count)") }
            _ = insert(item.name)
        }
    }

    /// Adds a name if new; returns its 0-based index.
    @discardableResult
    public mutating func insert(_ name: String) -> Int {
        if let index = indices[name] { return index }
        indices[name] = names.count
        names.append(name)
        return names.count - 1
    }

    /// The 0-based index of a name.
    public func index(of name: String) -> Int? { indices[name] }

    /// True for the names that only hold a free id of a config or label map.
    public static func isPlaceholder(_ name: String) -> Bool { name.hasPrefix("__unused_") }

    /// `{"name": semantic index (1-based)}` as written next to semantic masks.
    public func semanticJSON() -> Data {
        let object = Dictionary(
            uniqueKeysWithValues: names.enumerated().filter { !Self.isPlaceholder($1) }.map { ($1, $0 + 1) })
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
    }
}
