import LabelKitFrames
import Testing

/// `FrameFilter.condition` (the `--where` parser shared by the CLI and
/// `POST /frames/tasks`): numeric comparisons take finite numbers only.
@Suite("FrameFilter.condition")
struct FrameFilterConditionTests {
    @Test(
        "non-finite numbers are refused, naming the condition",
        arguments: [
            "speed>=1e400", "speed>=-1e400", "speed>=NaN", "speed<nan", "speed>inf", "speed<=Infinity",
            "speed>=-inf", "speed<-INFINITY", "speed>+Inf", "speed>=nAn",
        ])
    func refusesNonFinite(_ text: String) throws {
        switch FrameFilter.condition(text) {
        case .success(let filter):
            Issue.record("\(text) was accepted as \(filter)")
        case .failure(let error):
            #expect("\(error)".contains(text), "\(error)")
            #expect("\(error)".contains("finite"), "\(error)")
        }
    }

    @Test("finite numbers and text comparisons are accepted as written")
    func acceptsFinite() throws {
        let cases: [(String, FrameFilter)] = [
            ("speed>=1e300", .metadata("speed", .greaterOrEqual, "1e300")),
            ("speed<-3.5", .metadata("speed", .less, "-3.5")),
            ("speed>0", .metadata("speed", .greater, "0")),
            ("weather=rain", .metadata("weather", .equal, "rain")),
            ("weather!=sun", .metadata("weather", .notEqual, "sun")),
            // `=` and `!=` compare text: these are labels, not numbers.
            ("note=NaN", .metadata("note", .equal, "NaN")),
            ("note!=inf", .metadata("note", .notEqual, "inf")),
            ("note=1e400", .metadata("note", .equal, "1e400")),
        ]
        for (text, expected) in cases {
            #expect(try FrameFilter.condition(text).get() == expected, "\(text)")
        }
    }

    @Test("text that is not a number still gets the old message")
    func refusesText() {
        guard case .failure(let error) = FrameFilter.condition("speed>fast") else {
            Issue.record("speed>fast was accepted")
            return
        }
        #expect("\(error)".contains("compares numbers"))
    }
}
