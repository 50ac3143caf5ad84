extension FrameStore {
    /// Adds frames in one transaction; ids must be new (R2: duplicate ids are
    /// rejected, and nothing of the import is kept).
    ///
    /// - Returns: the number of frames added.
    /// - Throws: ``StoreError/duplicateFrame(_:)`` naming the first repeated id;
    ///   ``StoreError/invalidRequest(_:)`` naming the first frame with a NUL
    ///   character (U+0000) in a text field, which neither engine keeps
    ///   (PostgreSQL's text cannot hold one; SQLite would cut the text there).
    @discardableResult
    public func importFrames(_ frames: [Frame]) throws -> Int {
        for (index, frame) in frames.enumerated() {
            let texts = [frame.id, frame.contextID, frame.sourceURI, frame.labelsJSON, frame.metadataJSON]
            if let field = texts.firstIndex(where: { $0.utf8.contains(0) }) {
                let names = ["id", "context_id", "source_uri", "labels", "metadata"]
                throw StoreError.invalidRequest(
                    "frame \(index) (\"\(frame.id.replacingOccurrences(of: "\u{0}", with: "\\u0000").prefix(200))\"): "
                        + "its \(names[field]) holds a NUL character (U+0000), which the frame store cannot keep")
            }
        }
        return try backend.importFrames(frames)
    }

    /// The number of frames in the store.
    public func frameCount() throws -> Int {
        try backend.read { try $0.frameCount() }
    }
}
