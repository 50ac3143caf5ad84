extension IIIFPlan {
    /// The plan's region scaled to its size, cut from the source's nearest pyramid
    /// level (``SourceImage/render(x:y:width:height:outWidth:outHeight:)``), before
    /// ``finish(_:)``. Overlays are drawn between the two, in source orientation.
    public func region(of source: some RegionSource) throws(ImagingError) -> Image {
        try source.render(x: cropX, y: cropY, width: cropWidth, height: cropHeight, outWidth: width, outHeight: height)
    }

    /// The plan's last steps on a rendered region: mirroring, rotation by quarter
    /// turns, then the quality (gray: luma; bitonal: luma at 128).
    public func finish(_ region: Image) -> Image {
        var image = region
        if mirror { image = image.mirrored() }
        image = image.rotated(quarterTurns: quarterTurns)
        switch quality {
        case .gray: return image.grayscale()
        case .bitonal: return image.bitonal()
        case .default, .color: return image
        }
    }
}
