extension FrameStore {
    /// Adds frames in one transaction; ids must be new (R2: duplicate ids are
    /// rejected, and nothing of the import is kept).
    ///
    /// - Returns: the number of frames added.
    /// - Throws: ``StoreError/duplicateFrame(_:)`` naming the first repeated id.
    @discardableResult
    public func importFrames(_ frames: [Frame]) throws -> Int {
        try backend.importFrames(frames)
    }

    /// The number of frames in the store.
    public func frameCount() throws -> Int {
        try backend.read { try $0.frameCount() }
    }
}
