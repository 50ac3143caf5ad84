import ArgumentParser

/// `labelkit rle`: encode, decode and convert masks.
struct RLECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rle",
        abstract: "Encode, decode and convert Label Studio brush RLE and COCO RLE.",
        subcommands: [RLEEncode.self, RLEDecode.self, RLEConvert.self, RLEMerge.self, RLEMeasure.self, RLESummary.self]
    )
}
