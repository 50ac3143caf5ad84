extension UnsafeMutableBufferPointer where Element: Comparable {
    /// Sorts in place by insertion: the fastest way for a few dozen elements or
    /// nearly sorted ones, with no allocation and no closure.
    @inline(__always)
    func insertionSort() {
        guard count > 1 else { return }
        for i in 1..<count where self[i - 1] > self[i] {
            let item = self[i]
            var j = i
            while j > 0 && self[j - 1] > item {
                self[j] = self[j - 1]
                j -= 1
            }
            self[j] = item
        }
    }

    /// Sorts in place: by insertion up to 64 elements, by the standard library's sort beyond.
    @inline(__always)
    mutating func sortFew() {
        if count <= 64 { insertionSort() } else { sort() }
    }
}
