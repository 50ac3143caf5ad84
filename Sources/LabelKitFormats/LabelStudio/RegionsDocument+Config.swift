import LabelKitCore

extension RegionsDocument {
    /// Checks one region against the project's labeling config: its `from_name`
    /// must be a control of the config and each of its labels one of that control's
    /// (without a `from_name`, one of any control's).
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the region and the
    ///   control or label the config does not know.
    public static func check(_ region: Region, fromName: String?, against config: LabelingConfig)
        throws(FormatsError)
    {
        let known: [String]
        if let fromName {
            guard let control = config.control(named: fromName) else {
                throw FormatsError(
                    .invalidField,
                    "region \"\(region.id)\": from_name \"\(fromName)\" is not a control of the labeling config "
                        + "(controls: \(config.controls.map(\.name).joined(separator: ", ")))")
            }
            known = control.labels
        } else {
            known = config.controls.flatMap(\.labels)
        }
        if let unknown = region.labels.first(where: { !known.contains($0) }) {
            throw FormatsError(
                .invalidField,
                "region \"\(region.id)\": label \"\(unknown)\" is not in the labeling config"
                    + (fromName.map { " (control \"\($0)\")" } ?? ""))
        }
    }

    /// The semantic mask of the document: each labelled region painted, in order
    /// (later on top), with its first label's class id + 1 (0 is background), the
    /// values `labelkit export --to semantic` writes. Regions without a label are
    /// left out.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the region whose label the
    ///   map does not hold or whose value would pass 255.
    public func semanticMask(classes: LabelMap, rule: FillRule) throws(FormatsError) -> Mask {
        var mask = Mask(width: width, height: height)
        for region in regions {
            guard let label = region.labels.first else { continue }
            guard let index = classes.index(of: label) else {
                throw FormatsError(.invalidField, "region \"\(region.id)\": label \"\(label)\" has no class")
            }
            guard index < 255 else {
                throw FormatsError(
                    .invalidField, "region \"\(region.id)\": label \"\(label)\" has class \(index + 1), above 255")
            }
            mask.fill(region.shape, rule: rule, value: UInt8(index + 1))
        }
        return mask
    }
}
