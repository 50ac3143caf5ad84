import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// `png`: one 8-bit mask PNG per region, named as label-studio-converter names
/// brush layers. Brush results go straight from their RLE runs to the PNG.
struct PNGLayerWriter: TaskWriter {
    let exporter: TaskExporter

    func needsClass(_ region: Region) -> Bool { false }

    mutating func writeRaw(
        _ result: [String: Any], regionID: String, of annotation: AnnotationItem, into out: inout TaskOutput
    )
        -> Bool
    {
        guard let png = exporter.brushPNG(result) else { return false }
        out.export.regions += 1
        let file = exporter.layerFileName(out.task, annotation.id, annotation.annotation, result, &out.layerCounters)
        out.add(file, png, annotationID: annotation.id, regionID: regionID)
        return true
    }

    mutating func write(_ item: RegionItem, into out: inout TaskOutput) {
        let file = exporter.layerFileName(
            out.task, item.annotation.id, item.annotation.annotation, item.result, &out.layerCounters)
        do {
            let png = try PNGCodec.encode(exporter.mask(of: item.region, item.width, item.height))
            out.add(file, png, annotationID: item.annotation.id, regionID: item.regionID)
        } catch {
            out.fail(annotationID: item.annotation.id, regionID: item.regionID, error.message)
        }
    }
}
