import LabelKitImaging
import Testing

/// IIIF Image API 3.0 parameter parsing and resolution, against the examples of
/// the specification (§4) and of our spec notes.
@Suite("IIIF requests")
struct IIIFRequestTests {
    func plan(
        _ region: String, _ size: String, _ rotation: String = "0", _ qf: String = "default.jpg", width: Int = 300,
        height: Int = 200, limits: IIIFLimits = IIIFLimits()
    ) throws -> IIIFPlan {
        try IIIFRequest(region: region, size: size, rotation: rotation, qualityAndFormat: qf)
            .resolve(width: width, height: height, limits: limits)
    }

    func status(_ region: String, _ size: String, _ rotation: String = "0", _ qf: String = "default.jpg", limits: IIIFLimits = IIIFLimits()) -> Int? {
        do {
            _ = try plan(region, size, rotation, qf, limits: limits)
            return nil
        } catch let error as IIIFError {
            return error.status
        } catch {
            return -1
        }
    }

    @Test("regions: full, square, pixels cropped at the edge, percent")
    func regions() throws {
        let full = try plan("full", "max")
        #expect((full.cropX, full.cropY, full.cropWidth, full.cropHeight) == (0, 0, 300, 200))
        let square = try plan("square", "max")
        #expect((square.cropX, square.cropY, square.cropWidth, square.cropHeight) == (50, 0, 200, 200))
        // The specification's example: 125,15,200,200 on 300x200 gives 175x185.
        let edge = try plan("125,15,200,200", "max")
        #expect((edge.cropWidth, edge.cropHeight) == (175, 185) && (edge.width, edge.height) == (175, 185))
        let pct = try plan("pct:10,20,50,50", "max")
        #expect((pct.cropX, pct.cropY, pct.cropWidth, pct.cropHeight) == (30, 40, 150, 100))
    }

    @Test("sizes: w, ,h pct !w,h w,h and ^ upscaling")
    func sizes() throws {
        #expect(try plan("full", "150,").height == 100)
        #expect(try plan("full", ",50").width == 75)
        let pct = try plan("full", "pct:50")
        #expect((pct.width, pct.height) == (150, 100))
        // The specification's example: !225,100 on 300x200 gives 150x100.
        let confined = try plan("full", "!225,100")
        #expect((confined.width, confined.height) == (150, 100))
        let exact = try plan("full", "100,100")
        #expect((exact.width, exact.height) == (100, 100))
        let up = try plan("full", "^600,")
        #expect((up.width, up.height) == (600, 400))
        let upMax = try plan("full", "^max", limits: IIIFLimits(maxWidth: 900, maxHeight: 900, maxArea: 240_000))
        #expect((upMax.width, upMax.height) == (600, 400))
        let bigBox = try plan("full", "!2000,3000")
        #expect((bigBox.width, bigBox.height) == (300, 200))
    }

    @Test("errors: 400 for bad syntax and values, 501 for unsupported rotations")
    func errors() {
        #expect(status("0,0,0,10", "max") == 400)
        #expect(status("400,0,10,10", "max") == 400)
        #expect(status("a,b,c,d", "max") == 400)
        #expect(status("pct:-1,0,10,10", "max") == 400)
        #expect(status("full", "301,") == 400)
        #expect(status("full", "pct:101") == 400)
        #expect(status("full", "0,") == 400)
        #expect(status("full", "full") == 400)
        #expect(status("full", "!2000,3000", limits: IIIFLimits(strictConfined: true)) == 400)
        #expect(status("full", "max", "361") == 400)
        #expect(status("full", "max", "+90") == 400)
        #expect(status("full", "max", "45") == 501)
        #expect(status("full", "max", "0", "best.jpg") == 400)
        #expect(status("full", "max", "0", "default.tif") == 400)
        #expect(status("full", "max", "0", "default") == 400)
        #expect(status("full", "^100000,", limits: IIIFLimits()) == 400)
        // Values that would overflow Int when scaled are refused, not trapped on.
        #expect(status("pct:99999999999999999999,0,1,1", "max") == 400)
        #expect(status("full", "^pct:99999999999999999999") == 400)
    }

    @Test("canonical forms collapse equivalent requests")
    func canonical() throws {
        #expect(try plan("full", "max").canonical == "0,0,300,200/max/0/default.jpg")
        #expect(try plan("0,0,300,200", "300,200", "360").canonical == "0,0,300,200/max/0/default.jpg")
        #expect(try plan("pct:0,0,50,50", "75,", "!90", "gray.png").canonical == "0,0,150,100/75,50/!90/gray.png")
        #expect(try plan("full", "^600,").canonical == "0,0,300,200/^600,400/0/default.jpg")
    }

    @Test("rotation by quarter turns swaps the output size")
    func rotation() throws {
        let rotated = try plan("full", "max", "90")
        #expect(rotated.quarterTurns == 1 && (rotated.outputWidth, rotated.outputHeight) == (200, 300))
        #expect(try plan("full", "max", "!180").mirror)
    }
}
