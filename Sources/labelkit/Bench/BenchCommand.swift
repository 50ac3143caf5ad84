import ArgumentParser

/// `labelkit bench`: time in-process operations on the user's own input.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time LabelKit operations on your own input (like zstd -b), excluding file I/O.",
        discussion: """
            Each benchmark runs a warm-up, then --runs timed runs, and prints
            {"op","input","runs","median_s","min_s"} on stdout.

            Example:
              labelkit bench rle encode --format ls mask.png --runs 50
            """,
        subcommands: [
            BenchRLE.self, BenchRasterize.self, BenchHitTest.self, BenchVectorize.self, BenchFrames.self,
            BenchThumbnail.self, BenchHTTPCap.self,
        ]
    )
}
