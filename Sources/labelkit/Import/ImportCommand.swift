import ArgumentParser

/// `labelkit import`: datasets in other formats to Label Studio tasks.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a dataset (YOLO) into Label Studio tasks; see also import-masks for mask PNGs and COCO.",
        discussion: """
            Examples:
              labelkit import yolo dataset/ -o tasks.json --config project.json
              labelkit import yolo dataset/ -o tasks.json --image-root /data/local-files/?d=dataset/images
            """,
        subcommands: [ImportYOLOCommand.self]
    )
}
