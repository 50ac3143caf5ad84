import ArgumentParser

/// The `--runs` option shared by the `labelkit bench` commands.
struct TimedRuns: ParsableArguments {
    @Option(help: "Number of timed runs (after 3 warm-up runs).")
    var runs: Int = 20

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
    }
}
