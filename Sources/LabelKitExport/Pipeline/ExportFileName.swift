import LabelKitFormats
/// The name of one exported file, built from literal text and untrusted fields
/// (task and annotation ids, the author, `from_name`, labels, image names), so that
/// every name is one harmless file in the output folder and distinct fields give
/// distinct names (a clash that remains, such as two tasks with one id, fails a task
/// in ``TaskExporter`` or ``ExportPipeline`` instead of overwriting a file).
///
///     ExportFileName.make([.literal("task-"), .field(.init("7")), .literal("-"), .field(.init("a/b")), .literal(".png")])
///     // "task-7-a_b~7a90cb64.png"
///
/// The rules, in order:
/// - **Sanitising.** A field is kept byte for byte unless it holds a character
///   that cannot or should not be in a file name: `/`, `\`, a control character
///   (Unicode `Cc`: NUL, tab, newline, DEL, C1), a line or paragraph separator, or a
///   bidirectional embedding, override or isolate control (they let a name display as
///   something else). Each such character becomes `_`, and the field gets `~` and
///   8 hex digits of ``digest(_:)`` of its original UTF-8 bytes, so `a/b`, `a\b` and
///   `a_b` stay three names. A field that starts the name (``Field/init(_:leading:)``)
///   also has a leading `.` replaced (no hidden files, `.` or `..`). Labels
///   such as `Cat`, `Big dog`, `Кошка` or `猫` are not changed.
/// - **Shortening.** A name longer than ``maxBytes`` UTF-8 bytes has its longest
///   fields cut to a common cap (water filling: short fields keep their text), each on
///   a character boundary and followed by `~` and the digest of the field's
///   original text, so two long labels with the same beginning still differ.
///
/// Windows device names (`CON`, `NUL`, `COM1`...) are left alone: exported names
/// start with `task-` or come from the image's own name, and Linux and macOS
/// accept them.
struct ExportFileName {
    /// The longest name in UTF-8 bytes: 255 (one path component on Linux and
    /// macOS) less the 23 bytes of the `.tmp-<pid>-<n>` suffix of the temporary
    /// file an atomic write goes through.
    static let maxBytes = 255 - 23

    /// The bytes a shortened or sanitised field gains: `~` and 8 hex digits.
    static let suffixBytes = 9

    /// An untrusted part of a name.
    struct Field: Sendable, Equatable {
        /// The text written: the sanitised value.
        var text: String
        /// The value as found, hashed when ``text`` has to be cut.
        var original: String

        /// A field holding `value`, sanitised; `leading` fields start the file
        /// name and also lose a leading `.`.
        init(_ value: String, leading: Bool = false) {
            text = ExportFileName.sanitized(value, leading: leading)
            original = value
        }

        /// Several values joined by `separator`, each sanitised on its own (the
        /// labels of a region: `Cat-Black`).
        init(joining values: [String], separator: String) {
            text = values.map { ExportFileName.sanitized($0) }.joined(separator: separator)
            original = values.joined(separator: separator)
        }
    }

    /// A piece of a name.
    enum Part: Sendable {
        /// Text of the naming scheme itself (`task-`, `-annotation-`, `.png`), kept as is.
        case literal(String)
        /// Untrusted text.
        case field(Field)
    }

    /// The file name of `parts`: literals as given, fields sanitised and, when the
    /// whole is longer than `limit` bytes, shortened (see the type's rules).
    ///
    /// The result is at most `limit` bytes unless the literals alone leave no room
    /// for every field's `~digest`; then the write fails and names the task.
    ///
    /// - Complexity: O(n log n) in the name's length when it must be shortened,
    ///   O(n) otherwise.
    static func make(_ parts: [Part], limit: Int = maxBytes) -> String {
        let fixed = parts.reduce(0) { sum, part in
            if case .literal(let text) = part { return sum + text.utf8.count }
            return sum
        }
        let fields = parts.compactMap { part -> Field? in
            if case .field(let field) = part { return field }
            return nil
        }
        func joined(cap: Int?) -> String {
            parts.map { part in
                switch part {
                case .literal(let text): return text
                case .field(let field): return cap.map { shortened(field, to: $0) } ?? field.text
                }
            }.joined()
        }
        func length(cap: Int) -> Int {
            fields.reduce(fixed) { $0 + shortened($1, to: cap).utf8.count }
        }
        let longest = fields.map(\.text.utf8.count).max() ?? 0
        guard fixed + fields.reduce(0, { $0 + $1.text.utf8.count }) > limit, longest > suffixBytes else {
            return joined(cap: nil)
        }
        // The largest cap that fits; a field's length never grows as the cap shrinks.
        var low = suffixBytes, high = longest - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if length(cap: middle) <= limit { low = middle } else { high = middle - 1 }
        }
        return joined(cap: low)
    }

    /// `field`'s text when it has at most `cap` bytes; else its longest prefix of whole
    /// characters that leaves room for `~` and the digest of its original text.
    static func shortened(_ field: Field, to cap: Int) -> String {
        guard field.text.utf8.count > cap else { return field.text }
        let budget = max(0, cap - suffixBytes)
        var used = 0
        var end = field.text.startIndex
        for index in field.text.indices {
            let next = field.text.index(after: index)
            let size = field.text.utf8.distance(from: index, to: next)
            guard used + size <= budget else { break }
            used += size
            end = next
        }
        return String(field.text[..<end]) + "~" + digest(field.original)
    }

    /// `value` with every character that must not be in a file name replaced by
    /// `_` (and, when `leading`, a leading `.`), followed by `~` and its digest when
    /// anything changed; unchanged otherwise.
    static func sanitized(_ value: String, leading: Bool = false) -> String {
        var scalars = String.UnicodeScalarView()
        var changed = false
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            if isForbidden(scalar) || (leading && offset == 0 && scalar == ".") {
                scalars.append("_")
                changed = true
            } else {
                scalars.append(scalar)
            }
        }
        return changed ? String(scalars) + "~" + digest(value) : value
    }

    /// True for the characters a field may not keep: path separators, control
    /// characters (`Cc`), U+2028/U+2029 and the bidirectional embedding, override
    /// and isolate controls (U+202A...U+202E, U+2066...U+2069).
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2F, 0x5C: return true  // `/`, `\`
        case 0x00...0x1F, 0x7F...0x9F: return true  // Cc
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// 8 lowercase hex digits naming `text`: FNV-1a 64 of its UTF-8 bytes through
    /// SplitMix64's finalizer, top 32 bits. Stable across runs and platforms.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        let hex = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
