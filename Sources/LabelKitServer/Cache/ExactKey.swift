/// A string's exact UTF-8 bytes as a dictionary key: unlike `String` equality,
/// canonically equivalent spellings (two different files on Linux) stay apart.
/// Hashed as one block of memory rather than byte by byte.
struct ExactKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
