import LabelKitFormats
import Synchronization

/// The file names claimed by the tasks of one export, so that no task overwrites
/// a file another task wrote (two tasks with one id, or ids crafted to meet).
///
/// A task claims all of its names before writing any; a task whose names meet a
/// claimed one writes nothing and fails, naming the task that holds the name.
/// Which of two such tasks fails follows the order they reach the writer: file
/// order with `--jobs 1`. Names are kept as 128-bit digests (16 bytes a file),
/// not as text, so a million-file export holds a few tens of MB.
final class ExportNameRegistry: Sendable {
    /// Two independent 64-bit hashes of a name's bytes.
    struct Key: Hashable, Sendable {
        var fnv: UInt64
        var sip: Int

        init(_ name: String) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            fnv = hash
            var hasher = Hasher()
            var text = name
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            sip = hasher.finalize()
        }
    }

    /// Name -> the input position of the task that wrote it.
    private let owners = Mutex<[Key: Int]>([:])

    /// An empty registry.
    init() {}

    /// Claims every name of `names` for task `index`, all or none.
    ///
    /// - Returns: nil when claimed, else the first name held by another task and
    ///   that task's position in the input.
    func claim(_ names: [String], for index: Int) -> (name: String, owner: Int)? {
        let keys = names.map(Key.init)
        return owners.withLock { owners in
            for (name, key) in zip(names, keys) {
                if let owner = owners[key], owner != index { return (name, owner) }
            }
            for key in keys { owners[key] = index }
            return nil
        }
    }

    /// Gives back the names of task `index` (its write failed, so it holds no file).
    func release(_ names: [String], for index: Int) {
        owners.withLock { owners in
            for key in names.map(Key.init) where owners[key] == index { owners[key] = nil }
        }
    }
}
