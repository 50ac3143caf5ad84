import Foundation
import LabelKitCore
import LabelKitFormats

/// One Pascal VOC annotation file (`Annotations/<image>.xml`), in the layout
/// Label Studio's VOC export writes: `folder`, `filename`, `size` (width, height,
/// depth), `segmented`, and one `object` per region with its `name` and integer
/// `bndbox`.
///
/// Boxes are the smallest whole-pixel box (0-based pixel edges) around what the
/// region shows inside the image, for every shape type; `truncated` is 1 when the
/// region reaches past the image, as VOC defines it.
public struct VOCDocument: Sendable, Equatable {
    /// One labelled region.
    public struct Object: Sendable, Equatable {
        /// The label.
        public var name: String
        /// Left, top, right, bottom in pixel edges.
        public var xmin, ymin, xmax, ymax: Int
        /// True when the region reaches past the image.
        public var truncated: Bool

        /// The object for a region's visible bounds (nil when nothing is visible).
        public init?(name: String, visible: Box?, extent: Box, width: Int, height: Int) {
            guard let visible, visible.minX < visible.maxX || visible.minY < visible.maxY else { return nil }
            self.name = name
            xmin = max(0, Int(visible.minX.rounded(.down)))
            ymin = max(0, Int(visible.minY.rounded(.down)))
            xmax = min(width, Int(visible.maxX.rounded(.up)))
            ymax = min(height, Int(visible.maxY.rounded(.up)))
            truncated =
                extent.minX < 0 || extent.minY < 0 || extent.maxX > Double(width) || extent.maxY > Double(height)
        }
    }

    /// The image file name.
    public var filename: String
    /// Image width, height and channels.
    public var width: Int, height: Int, depth: Int
    /// The regions in document order.
    public var objects: [Object]

    /// The XML text (UTF-8).
    public var xml: String {
        var text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotation>\n"
        text += "  <folder>images</folder>\n  <filename>\(Self.escaped(filename))</filename>\n"
        text += "  <size>\n    <width>\(width)</width>\n    <height>\(height)</height>\n    <depth>\(depth)</depth>\n  </size>\n"
        text += "  <segmented>0</segmented>\n"
        for object in objects {
            text += "  <object>\n    <name>\(Self.escaped(object.name))</name>\n    <pose>Unspecified</pose>\n"
            text += "    <truncated>\(object.truncated ? 1 : 0)</truncated>\n    <difficult>0</difficult>\n"
            text += "    <bndbox>\n      <xmin>\(object.xmin)</xmin>\n      <ymin>\(object.ymin)</ymin>\n"
            text += "      <xmax>\(object.xmax)</xmax>\n      <ymax>\(object.ymax)</ymax>\n    </bndbox>\n  </object>\n"
        }
        return text + "</annotation>\n"
    }

    /// `text` with `&`, `<`, `>` and `"` escaped and characters XML 1.0 cannot hold dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
