import FuzzSupport
import LabelKitImaging

/// Fuzzes IIIF Image API requests: parsing the four path segments, then resolving them
/// against an image size and limits.
///
/// Input: image width and height (2 x uint32, taken modulo 2^31 - 1, plus 1: PNG's range),
/// one limits byte, then `{region}/{size}/{rotation}/{quality}.{format}`.
///
///     limits & 3 == 0   the defaults (16384 x 16384, 50 Mpx)
///     otherwise         maxWidth, maxHeight = 1 + uint16 each, maxArea = 1 + uint32 % 2^30
///     limits & 4        strictConfined
///
/// A resolved plan must crop inside the image, scale within the limits (and within the
/// region without `^`), and its canonical form must parse and resolve to the same plan.
/// With limits where `maxArea` is at least `maxWidth` and `maxHeight`, `max` must resolve
/// for every region inside the image.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIIIFRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let width = 1 + Int(input.uint32() % 0x7FFF_FFFF), height = 1 + Int(input.uint32() % 0x7FFF_FFFF)
    let flags = input.uint8()
    var limits = IIIFLimits()
    if flags & 3 != 0 {
        limits.maxWidth = 1 + Int(input.uint16())
        limits.maxHeight = 1 + Int(input.uint16())
        limits.maxArea = 1 + Int(input.uint32() % (1 << 30))
    }
    limits.strictConfined = flags & 4 != 0
    let segments = input.restString.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard segments.count == 4 else { return 0 }

    let request: IIIFRequest
    do {
        request = try IIIFRequest(
            region: segments[0], size: segments[1], rotation: segments[2], qualityAndFormat: segments[3])
    } catch {
        fuzzCheck(error.status == 400, "parsing gave status \(error.status)")
        return 0
    }
    fuzzCheck(request.rotation >= 0 && request.rotation <= 360, "rotation \(request.rotation)")

    let plan: IIIFPlan
    do {
        plan = try request.resolve(width: width, height: height, limits: limits)
    } catch {
        fuzzCheck(error.status == 400 || error.status == 501, "resolve gave status \(error.status)")
        if request.size == .max, !request.upscale, error.status == 400, limits.maxArea >= limits.maxWidth,
            limits.maxArea >= limits.maxHeight, !error.message.contains("outside")
        {
            fuzzFail("size max was refused for \(width)x\(height) with \(limits): \(error.message)")
        }
        return 0
    }
    check(plan, request, width: width, height: height, limits: limits)
    return 0
}

func check(_ plan: IIIFPlan, _ request: IIIFRequest, width: Int, height: Int, limits: IIIFLimits) {
    let what = "\(request) on \(width)x\(height) -> \(plan)"
    fuzzCheck(plan.cropX >= 0 && plan.cropY >= 0, "negative crop origin: \(what)")
    fuzzCheck(plan.cropWidth >= 1 && plan.cropHeight >= 1, "empty crop: \(what)")
    fuzzCheck(plan.cropX + plan.cropWidth <= width && plan.cropY + plan.cropHeight <= height, "crop outside: \(what)")
    fuzzCheck(plan.width >= 1 && plan.height >= 1, "empty output: \(what)")
    fuzzCheck(plan.width <= limits.maxWidth && plan.height <= limits.maxHeight, "output over the side limits: \(what)")
    fuzzCheck(plan.width * plan.height <= limits.maxArea, "output over the area limit: \(what)")
    if !request.upscale {
        fuzzCheck(plan.width <= plan.cropWidth && plan.height <= plan.cropHeight, "upscaled without ^: \(what)")
    }
    fuzzCheck((0...3).contains(plan.quarterTurns), "quarter turns \(plan.quarterTurns)")
    fuzzCheck(plan.quarterTurns * 90 == Int(request.rotation) % 360, "rotation \(request.rotation) -> \(plan.quarterTurns)")
    fuzzCheck(plan.outputWidth * plan.outputHeight == plan.width * plan.height, "output size")

    // The canonical form is itself a request for the same plan (sizes below 10^9, the
    // largest number a request may hold).
    guard width < 1_000_000_000, height < 1_000_000_000 else { return }
    let canonical = plan.canonical
    let parts = canonical.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    fuzzCheck(parts.count == 4, "canonical form \(canonical)")
    let again: IIIFRequest
    do {
        again = try IIIFRequest(region: parts[0], size: parts[1], rotation: parts[2], qualityAndFormat: parts[3])
    } catch {
        fuzzFail("canonical form \(canonical) does not parse: \(error.message) (\(what))")
    }
    guard let replan = try? again.resolve(width: width, height: height, limits: limits) else {
        fuzzFail("canonical form \(canonical) does not resolve (\(what))")
    }
    fuzzCheck(replan == plan, "canonical form \(canonical) resolves to \(replan), not \(plan)")
    fuzzCheck(replan.canonical == canonical, "canonical form is not a fixed point: \(replan.canonical)")
}
