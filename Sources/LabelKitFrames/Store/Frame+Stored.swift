import Foundation
import LabelKitJSON

extension Frame {
    /// A frame read back from storage, its labels and metadata as the JSON text
    /// ``labelsJSON`` and ``metadataJSON`` wrote.
    public init(
        id: String, contextID: String, timestampMs: Int64, sourceFrame: Int?, sourceURI: String, width: Int?,
        height: Int?, labelsJSON: String, metadataJSON: String
    ) {
        let labels = (try? JSONSerialization.jsonObject(with: Data(labelsJSON.utf8))) as? [String]
        let metadata = (try? JSONSerialization.jsonObject(with: Data(metadataJSON.utf8))) as? [String: String]
        self.init(
            id: id, contextID: contextID, timestampMs: timestampMs, sourceFrame: sourceFrame, sourceURI: sourceURI,
            width: width, height: height, labels: labels ?? [], metadata: metadata ?? [:])
    }

    /// The labels as stored: a JSON list of strings.
    public var labelsJSON: String { JSONText.array(labels) }
    /// The metadata as stored: a JSON object of strings.
    public var metadataJSON: String { JSONText.object(metadata) }
}
