import Foundation
import Hummingbird
import HummingbirdTesting
import LabelKitImaging
import Testing

/// The viewer page (`/view/{id}`) in headless Chromium: the screenshot shows the
/// validator image, fitted to the window, and with `?overlay=` the annotation's
/// regions inside their outlines and nowhere else.
///
/// Needs Debian's `chromium` (`apt-get install chromium`) or `LABELKIT_CHROMIUM`
/// pointing at a Chromium/Chrome binary; skipped otherwise.
@Suite("Viewer screenshot (headless Chromium)")
struct ViewerScreenshotTests {
    static let id = ServerFixture.validatorID
    static let colours: [[[Int]]] = {
        let url = ServerFixture.fixtures.appendingPathComponent("iiif-validator/square-colours.json")
        return (try? JSONDecoder().decode([[[Int]]].self, from: Data(contentsOf: url))) ?? []
    }()

    /// A rectangle (image pixels x 100...500, y 100...400) and an ellipse
    /// (centre 700,600, radii 150 x 200) on the 1000 x 1000 validator image.
    static let annotation = """
        [{"original_width":1000,"original_height":1000,"value":{"x":10,"y":10,"width":40,"height":30,"rotation":0,\
        "rectanglelabels":["car"]},"type":"rectanglelabels","from_name":"label","to_name":"image","id":"r1"},
        {"original_width":1000,"original_height":1000,"value":{"x":70,"y":60,"radiusX":15,"radiusY":20,"rotation":0,\
        "ellipselabels":["tree"]},"type":"ellipselabels","from_name":"label","to_name":"image","id":"e1"}]
        """

    /// Where a point of the image is relative to the annotation's regions, with a
    /// margin of `margin` image pixels around every outline.
    enum Place { case rectangle, ellipse, outside, nearOutline }

    static func place(_ x: Double, _ y: Double, margin: Double) -> Place {
        let inRect = (100 + margin...500 - margin).contains(x) && (100 + margin...400 - margin).contains(y)
        let nearRect = (100 - margin...500 + margin).contains(x) && (100 - margin...400 + margin).contains(y)
        func ellipse(_ grow: Double) -> Bool {
            let dx = (x - 700) / (150 + grow), dy = (y - 600) / (200 + grow)
            return dx * dx + dy * dy <= 1
        }
        if inRect { return .rectangle }
        if ellipse(-margin) { return .ellipse }
        if nearRect || ellipse(margin) { return .nearOutline }
        return .outside
    }

    /// A label's overlay colour, re-derived from the documented rule (not by
    /// calling `OverlayPainter.colour(of:)`): FNV-1a 64 of the UTF-8 name, modulo
    /// the size of the fixed 12-colour palette.
    static func labelColour(_ label: String) -> [Int] {
        let palette = [
            [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180],
            [70, 240, 240], [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [170, 110, 40],
        ]
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return palette[Int(hash % UInt64(palette.count))]
    }

    static func close(_ a: (Int, Int, Int), _ b: [Int], tolerance: Int) -> Bool {
        abs(a.0 - b[0]) <= tolerance && abs(a.1 - b[1]) <= tolerance && abs(a.2 - b[2]) <= tolerance
    }

    static func distance(_ a: (Int, Int, Int), _ b: [Int]) -> Double {
        let d = [Double(a.0 - b[0]), Double(a.1 - b[1]), Double(a.2 - b[2])]
        return (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).squareRoot()
    }

    @Test(
        "the viewer shows the image fitted to the window, and the overlay inside its regions only",
        .enabled(if: HeadlessChromium.path != nil, "chromium is not installed: apt-get install chromium, or set LABELKIT_CHROMIUM to a Chromium binary"),
        .timeLimit(.minutes(3)))
    func screenshot() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let overlay = try await client.execute(
                uri: "/annotations", method: .post, body: ByteBuffer(string: Self.annotation)
            ) { response in
                #expect(response.status == .created)
                return response.json["id"] as? String ?? ""
            }
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)/view/\(Self.id)"
            let plainCapture = try await HeadlessChromium.capture(base)
            let overlayCapture = try await HeadlessChromium.capture(base + "?overlay=\(overlay)")
            for capture in [plainCapture, overlayCapture] {
                #expect(capture.status.contains("1000×1000") && !capture.status.contains("loading"), "\(capture.status)")
            }
            #expect(overlayCapture.status.contains("overlay \(overlay)"))
            let plain = plainCapture.screenshot, drawn = overlayCapture.screenshot
            try #require((plain.width, plain.height) == (HeadlessChromium.width, HeadlessChromium.height))
            try #require((drawn.width, drawn.height) == (plain.width, plain.height))
            try Self.check(plain: plain, overlay: drawn)
        }
    }

    /// The pixel checks, in the viewer's fit-to-window geometry: scale
    /// `min(W / 1000, H / 1000)`, image centred.
    static func check(plain: Image, overlay: Image) throws {
        let w = plain.width, h = plain.height
        let scale = min(Double(w) / 1000, Double(h) / 1000)
        let originX = (Double(w) - 1000 * scale) / 2, originY = (Double(h) - 1000 * scale) / 2
        // The status line sits over the bottom of the window and differs between the two pages.
        let statusTop = h - 40
        func screen(_ x: Double, _ y: Double) -> (Int, Int) {
            (Int((originX + x * scale).rounded(.down)), Int((originY + y * scale).rounded(.down)))
        }

        // The page background left and right of the image (#1d1f21).
        let background = [0x1d, 0x1f, 0x21]
        for (x, y) in [(Int(originX) / 2, h / 3), (w - 1 - Int(originX) / 2, h / 3)] where originX >= 4 {
            #expect(close(plain.rgb(x, y), background, tolerance: 2), "background at \(x),\(y): \(plain.rgb(x, y))")
        }

        // Every square's centre: the validator colour without the overlay; with it,
        // blended toward the label colour inside a region and unchanged outside.
        let car = labelColour("car"), tree = labelColour("tree"), alpha = 0.35
        var checked = (plain: 0, rectangle: 0, ellipse: 0, outside: 0)
        for row in 0..<10 {
            for column in 0..<10 {
                let ix = Double(column * 100 + 50), iy = Double(row * 100 + 50)
                let (x, y) = screen(ix, iy)
                guard y < statusTop else { continue }
                let expected = colours[row][column]
                let before = plain.rgb(x, y), after = overlay.rgb(x, y)
                #expect(close(before, expected, tolerance: 10), "square \(column),\(row) at \(x),\(y): \(before), expected \(expected)")
                checked.plain += 1
                let label: [Int]
                switch place(ix, iy, margin: 30) {
                case .rectangle: label = car; checked.rectangle += 1
                case .ellipse: label = tree; checked.ellipse += 1
                case .outside:
                    #expect(close(after, [before.0, before.1, before.2], tolerance: 2), "square \(column),\(row) outside the regions changed: \(before) -> \(after)")
                    checked.outside += 1
                    continue
                case .nearOutline: continue
                }
                let blended = (0..<3).map { k in
                    let old = Double([before.0, before.1, before.2][k])
                    return Int((old + (Double(label[k]) - old) * alpha).rounded())
                }
                #expect(close(after, blended, tolerance: 10), "square \(column),\(row): \(before) -> \(after), expected about \(blended) (label colour \(label))")
                let d0 = distance(before, label), d1 = distance(after, label)
                #expect(d1 <= d0 * (1 - alpha) + 12, "square \(column),\(row) not shifted toward \(label): \(d0) -> \(d1)")
            }
        }
        #expect(checked.plain >= 80 && checked.rectangle == 12 && checked.ellipse >= 4 && checked.outside >= 40, "\(checked)")

        // Every pixel well away from the regions (40 image pixels, for JPEG blocks and
        // chroma upsampling) is the same in both screenshots; inside, nearly all differ.
        var outside = 0, outsideDiffering = 0, inside = 0, insideDiffering = 0
        var firstDifference: (Int, Int)?
        for y in 0..<statusTop {
            for x in 0..<w {
                let ix = (Double(x) + 0.5 - originX) / scale, iy = (Double(y) + 0.5 - originY) / scale
                let a = plain.rgb(x, y), b = overlay.rgb(x, y)
                let differs = abs(a.0 - b.0) > 2 || abs(a.1 - b.1) > 2 || abs(a.2 - b.2) > 2
                switch place(ix, iy, margin: 40) {
                case .outside:
                    outside += 1
                    if differs {
                        outsideDiffering += 1
                        if firstDifference == nil { firstDifference = (x, y) }
                    }
                case .rectangle, .ellipse:
                    inside += 1
                    if differs { insideDiffering += 1 }
                case .nearOutline: break
                }
            }
        }
        #expect(outside > w * statusTop / 2)
        #expect(outsideDiffering == 0, "\(outsideDiffering) of \(outside) pixels outside the regions differ, first at \(firstDifference.map { "\($0.0),\($0.1)" } ?? "")")
        #expect(inside > 30_000 && Double(insideDiffering) >= 0.95 * Double(inside), "\(insideDiffering) of \(inside) pixels inside the regions differ")
    }
}

/// Debian's `chromium` run headless on one URL: the DOM after load (`--dump-dom`)
/// and a screenshot, in one run.
enum HeadlessChromium {
    /// `LABELKIT_CHROMIUM` when set (`LABELKIT_CHROMIUM=none` skips the test),
    /// else Debian's `/usr/bin/chromium`; nil when that is not executable.
    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["LABELKIT_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/bin/chromium"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()
    static let width = 800, height = 600

    struct Capture {
        /// The viewer's `data-ready` attribute and status line, from the DOM.
        let ready: Bool
        let status: String
        let screenshot: Image
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads `url` and takes the DOM and a screenshot once the page has settled,
    /// within `timeout` of wall-clock time.
    ///
    /// Flags: `--virtual-time-budget` is what waits for the tiles: virtual time
    /// stands still while fetches are pending and jumps ahead when the page is idle,
    /// so the run ends as soon as every tile (and every retry after a 503 from the
    /// busy render gate, which the viewer schedules with timers of up to 8 s) is
    /// done, however slow the machine is. `--kiosk` makes the viewport the whole
    /// `--window-size` from the start: without it, new headless lays the page out
    /// 143 px shorter and resizes it to the window only for the screenshot, after
    /// the budget, so the viewer refits and the screenshot catches the tiles of the
    /// new zoom level still loading. `--no-sandbox` because CI runs as root.
    static func capture(_ url: String, timeout: Duration = .seconds(60)) async throws -> Capture {
        let capture = try await run(url, budget: 30_000, until: ContinuousClock.now + timeout)
        guard capture.ready else {
            throw Failure(description: "the viewer at \(url) did not finish loading its tiles; status line: \"\(capture.status)\"")
        }
        return capture
    }

    static func run(_ url: String, budget: Int, until deadline: ContinuousClock.Instant) async throws -> Capture {
        guard let path else { throw Failure(description: "chromium is not installed") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("screenshot.png"), dom = dir.appendingPathComponent("dom.html")
        let log = dir.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: dom.path, contents: nil)
        FileManager.default.createFile(atPath: log.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
            "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
            "--kiosk", "--window-size=\(width),\(height)", "--force-device-scale-factor=1", "--hide-scrollbars",
            "--virtual-time-budget=\(budget)", "--dump-dom", "--screenshot=\(png.path)", url,
        ]
        let output = try FileHandle(forWritingTo: dom), errors = try FileHandle(forWritingTo: log)
        defer {
            try? output.close()
            try? errors.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                throw Failure(description: "chromium did not finish \(url) in time")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let html = String(decoding: (try? Data(contentsOf: dom)) ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0, let bytes = try? Data(contentsOf: png), !bytes.isEmpty else {
            let stderr = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
            throw Failure(
                description: "chromium exited with \(process.terminationStatus) on \(url) without a screenshot; stderr:\n"
                    + String(stderr.suffix(2000)))
        }
        return Capture(
            ready: html.contains("data-ready=\"yes\""), status: statusLine(html), screenshot: try ImageCodec.decode(Array(bytes)))
    }

    /// The text of `<div id="status">` in the dumped DOM.
    static func statusLine(_ html: String) -> String {
        guard let start = html.range(of: "<div id=\"status\">"),
            let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex)
        else { return "" }
        return String(html[start.upperBound..<end.lowerBound])
    }
}
