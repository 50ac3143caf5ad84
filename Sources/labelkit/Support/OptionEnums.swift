import ArgumentParser
import LabelKitCore
import LabelKitFormats

// The library's option enums, read from flags by their names (the same names the
// HTTP API takes): --format ls|coco|png, --rule evenodd|nonzero.
extension RLEFormat: ExpressibleByArgument {}
extension MaskFormat: ExpressibleByArgument {}
extension RasterizeFormat: ExpressibleByArgument {}
extension FillRule: ExpressibleByArgument {}
