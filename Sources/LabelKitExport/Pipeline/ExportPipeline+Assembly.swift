import LabelKitFormats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ExportPipeline {
    /// Writes the files that cover every task, from the journal in task order
    /// (``ExportAssembler``).
    func assemble(journal: ExportJournal, labels: LabelMap, summary: inout ExportSummary) throws(FormatsError) {
        let assembler = ExportAssembler(
            format: options.format, categories: COCOCategories(options: options, labels: labels),
            labelFiles: ExportAssembler.labelFiles(format: options.format, labels: labels), directory: outputDirectory)
        let outcome = try assembler.write(try journal.records())
        summary.failures = outcome.failures
        summary.failed = Set(outcome.failures.map(\.taskID)).count
        summary.files += outcome.files
    }

    /// Ends a shard: its failures into the summary, and its manifest, which tells
    /// the merge that the shard is complete and what it was exported from.
    func finish(
        _ shard: ExportShard, journal: ExportJournal, input: InputFingerprint, labels: LabelMap,
        summary: inout ExportSummary
    ) throws(FormatsError) {
        let lines = try journal.records()
        summary.failures = lines.flatMap { line in
            line.record.failures.map { ExportAssembler.failure(UnsafeBufferPointer(rebasing: line.bytes[$0])) }
        }
        summary.failed = Set(summary.failures.map(\.taskID)).count
        let manifest = ShardManifest(
            shard: shard, options: options.fingerprint, input: input, journalBytes: journal.byteCount,
            tasks: lines.count,
            categories: COCOCategories(options: options, labels: labels),
            labelFiles: ExportAssembler.labelFiles(format: options.format, labels: labels))
        try manifest.write(to: outputDirectory)
        // An empty staging folder goes; one that holds files stays for the merge.
        let staging = outputDirectory + "/" + shard.stagingName
        rmdir(staging + "/held")
        rmdir(staging)
    }
}
