import ArgumentParser

/// `labelkit import`: datasets in other formats to Label Studio tasks.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a dataset (YOLO, Pascal VOC, COCO) into Label Studio tasks; see also import-masks for mask PNGs.",
        discussion: """
            Examples:
              labelkit import yolo dataset/ -o tasks.json --config project.json
              labelkit import voc voc/ -o tasks.json
              labelkit import coco instances.json -o tasks.json --config project.json
            """,
        subcommands: [ImportYOLOCommand.self, ImportVOCCommand.self, ImportCOCOCommand.self]
    )
}
