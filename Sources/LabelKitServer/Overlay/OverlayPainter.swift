import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// Draws the regions of a Label Studio annotation over a rendered view of an
/// image: each region filled with its label's colour at `fillAlpha` and outlined
/// opaquely, rasterized by the geometry core at the view's own resolution.
public struct OverlayPainter: Sendable {
    /// The regions, in the annotation's pixel space.
    public let document: RegionsDocument
    /// Opacity of the fill, 0...1.
    public var fillAlpha: Double = 0.35

    /// A painter for an annotation.
    public init(document: RegionsDocument) {
        self.document = document
    }

    /// The colour of a label: a fixed, well-separated palette indexed by FNV-1a of the name.
    public static func colour(of label: String) -> (UInt8, UInt8, UInt8) {
        let palette: [(UInt8, UInt8, UInt8)] = [
            (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
            (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40),
        ]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return palette[Int(hash % UInt64(palette.count))]
    }

    /// Paints over `view`, which shows the rectangle (x, y, width, height) of a
    /// `imageWidth` x `imageHeight` image scaled to the view's size.
    public func paint(
        _ view: Image, x: Int, y: Int, width: Int, height: Int, imageWidth: Int, imageHeight: Int
    ) -> Image {
        var out = view.channels >= 3 ? view : view.expandedToRGB()
        // Annotation pixels -> image pixels -> view pixels.
        let toImage = Double(imageWidth) / Double(document.width)
        let scale = Double(view.width) / Double(width)
        for region in document.regions where !region.isHidden {
            let shape: Shape
            if case .mask(let mask) = region.shape {
                shape = .mask(Self.maskView(mask, toImage: toImage, x: x, y: y, width: width, height: height, view: view))
            } else {
                shape = region.shape.scaled(by: toImage).translated(dx: -Double(x), dy: -Double(y)).scaled(by: scale)
                let box = shape.boundingBox
                guard box.maxX > 0, box.maxY > 0, box.minX < Double(view.width), box.minY < Double(view.height) else {
                    continue  // off this view (a tile): nothing to paint or scan
                }
            }
            var mask = Mask(width: view.width, height: view.height)
            mask.fill(shape)
            out.blend(mask, colour: Self.colour(of: region.labels.first ?? ""), alpha: fillAlpha)
        }
        return out
    }

    /// A brush mask (annotation pixels) cut to the view rectangle and resampled to the view size.
    static func maskView(_ mask: Mask, toImage: Double, x: Int, y: Int, width: Int, height: Int, view: Image) -> Mask {
        var out = Mask(width: view.width, height: view.height)
        mask.bytes.withUnsafeBufferPointer { src in
            out.bytes.withUnsafeMutableBufferPointer { dst in
                for vy in 0..<view.height {
                    let iy = Double(y) + (Double(vy) + 0.5) * Double(height) / Double(view.height)
                    let my = Int(iy / toImage)
                    guard my >= 0 && my < mask.height else { continue }
                    for vx in 0..<view.width {
                        let ix = Double(x) + (Double(vx) + 0.5) * Double(width) / Double(view.width)
                        let mx = Int(ix / toImage)
                        guard mx >= 0 && mx < mask.width else { continue }
                        dst[vy * view.width + vx] = src[my * mask.width + mx]
                    }
                }
            }
        }
        return out
    }
}

extension Image {
    /// Gray (+ alpha) widened to RGB (+ alpha).
    func expandedToRGB() -> Image {
        let outChannels = channels == 2 ? 4 : 3
        var out = [UInt8](repeating: 255, count: width * height * outChannels)
        for i in 0..<(width * height) {
            let g = pixels[i * channels]
            out[i * outChannels] = g
            out[i * outChannels + 1] = g
            out[i * outChannels + 2] = g
            if channels == 2 { out[i * outChannels + 3] = pixels[i * 2 + 1] }
        }
        return Image(width: width, height: height, channels: outChannels, pixels: out)
    }

    /// Blends `colour` at `alpha` where `mask` is set, and opaquely on the mask's
    /// outline (set pixels with an unset 4-neighbour inside the view).
    mutating func blend(_ mask: Mask, colour: (UInt8, UInt8, UInt8), alpha: Double) {
        let w = width, h = height, c = channels
        let a = Int((alpha * 256).rounded())
        let rgb = [Int(colour.0), Int(colour.1), Int(colour.2)]
        mask.bytes.withUnsafeBufferPointer { m in
            pixels.withUnsafeMutableBufferPointer { p in
                for y in 0..<h {
                    for x in 0..<w where m[y * w + x] != 0 {
                        // View borders are tile seams, not region outlines.
                        let edge =
                            (x > 0 && m[y * w + x - 1] == 0) || (x < w - 1 && m[y * w + x + 1] == 0)
                            || (y > 0 && m[(y - 1) * w + x] == 0) || (y < h - 1 && m[(y + 1) * w + x] == 0)
                        let o = (y * w + x) * c
                        for k in 0..<3 {
                            let old = Int(p[o + k])
                            p[o + k] = UInt8(edge ? rgb[k] : old + ((rgb[k] - old) * a) >> 8)
                        }
                        if c == 4 { p[o + 3] = 255 }
                    }
                }
            }
        }
    }
}
