import Foundation

/// Where a static pyramid goes and how it is swapped into place: tiles are written
/// into a hidden staging folder beside the target, on the same file system, which
/// ``commit(staging:)`` renames over the target, so a reader never sees half a
/// pyramid and a failed run leaves the old one.
///
///     let target = try PyramidTarget(layout: .deepZoom, output: "out", name: "photo", force: false)
///     let staging = try target.makeStaging()
///     try PyramidWriter(pyramid: pyramid, image: image).write(into: staging, jobs: 2)
///     try target.commit(staging: staging)
public struct PyramidTarget: Sendable {
    /// The pyramid's layout.
    public let layout: StaticPyramid.Layout
    /// Deep Zoom: the folder that receives `NAME.dzi` and `NAME_files` (other files
    /// in it are kept); XYZ and IIIF: the pyramid folder itself.
    public let output: String
    /// The image name in Deep Zoom paths.
    public let name: String

    /// Checks the target.
    ///
    /// - Throws: ``ImagingError`` `.invalidArgument` when `output` is a file, or
    ///   holds a pyramid (Deep Zoom: `NAME.dzi` or `NAME_files`; others: anything)
    ///   and `force` is false.
    public init(layout: StaticPyramid.Layout, output: String, name: String, force: Bool) throws(ImagingError) {
        self.layout = layout
        self.output = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        self.name = name
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: self.output, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw ImagingError(.invalidArgument, "-o \(output) is a file, not a folder")
        }
        switch layout {
        case .deepZoom:
            for existing in [self.output + "/" + name + ".dzi", self.output + "/" + name + "_files"]
            where fm.fileExists(atPath: existing) && !force {
                throw ImagingError(.invalidArgument, "\(existing) exists (use --force to replace the pyramid)")
            }
        case .xyz, .iiif:
            if exists, let items = try? fm.contentsOfDirectory(atPath: self.output), !items.isEmpty, !force {
                throw ImagingError(.invalidArgument, "-o \(output) is not empty (use --force to replace it)")
            }
        }
    }

    /// The folder the staging directory lives in.
    private var stagingParent: String {
        switch layout {
        case .deepZoom: return output
        case .xyz, .iiif:
            let parent = (output as NSString).deletingLastPathComponent
            return parent.isEmpty ? "." : parent
        }
    }

    /// Creates and returns a fresh staging folder.
    ///
    /// - Throws: ``ImagingError`` `.io` when a folder cannot be created.
    public func makeStaging() throws(ImagingError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: stagingParent, withIntermediateDirectories: true)
        } catch {
            throw ImagingError(.io, "cannot create \(stagingParent): \(error.localizedDescription)")
        }
        let base = layout == .deepZoom ? name : (output as NSString).lastPathComponent
        let path = "\(stagingParent)/.\(base).tiles-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try TileFiles.makeDirectory(path)
        return path
    }

    /// Moves the finished pyramid from `staging` into place (replacing an old one)
    /// and removes the staging folder.
    ///
    /// - Throws: ``ImagingError`` `.io` when a rename fails.
    public func commit(staging: String) throws(ImagingError) {
        let fm = FileManager.default
        switch layout {
        case .deepZoom:
            let files = name + "_files", dzi = name + ".dzi"
            // Old tiles go into the staging folder and are removed with it; the
            // descriptor is renamed last, so a viewer never sees it before its tiles.
            if fm.fileExists(atPath: output + "/" + files) {
                try TileFiles.rename(output + "/" + files, staging + "/old" + files)
            }
            try TileFiles.rename(staging + "/" + files, output + "/" + files)
            try TileFiles.rename(staging + "/" + dzi, output + "/" + dzi)
            try? fm.removeItem(atPath: staging)
        case .xyz, .iiif:
            var old: String? = nil
            if fm.fileExists(atPath: output) {
                if rmdir(output) != 0 {  // not empty: an old pyramid (checked with force)
                    old = staging + ".old"
                    try TileFiles.rename(output, staging + ".old")
                }
            }
            try TileFiles.rename(staging, output)
            if let old { try? fm.removeItem(atPath: old) }
        }
    }
}
