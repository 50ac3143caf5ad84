import LabelKitCore
import LabelKitFormats

/// `numpy`: one `.npy` per brush layer (the stored alpha, height x width), as
/// Label Studio's BRUSH_TO_NUMPY export; other regions are left out.
struct NumpyWriter: TaskWriter {
    let exporter: TaskExporter

    func needsClass(_ region: Region) -> Bool { false }

    mutating func write(_ item: RegionItem, into out: inout TaskOutput) {
        guard case .mask(let alpha) = item.region.shape, LabelStudioRegion.kind(of: item.result) == .brush else {
            return
        }
        let file = exporter.layerFileName(
            out.task, item.annotation.id, item.annotation.annotation, item.result, &out.layerCounters, extension: "npy")
        out.add(file, NPYFile.bytes(of: alpha), annotationID: item.annotation.id, regionID: item.regionID)
    }
}
