import Foundation
import LabelKitJSON

/// Typed fields of a request body, each refused with a message naming it.
struct RequestFields {
    let object: [String: Any]

    /// The fields of `body`, a JSON object read exactly (``ExactJSON``).
    ///
    /// - Throws: ``JSONError`` naming the byte at fault; ``FrameStore/StoreError/invalidRequest(_:)``
    ///   when the body is not an object.
    init(body: Data) throws {
        guard let object = try ExactJSON.parse(body) as? [String: Any] else {
            throw FrameStore.StoreError.invalidRequest("the body must be a JSON object")
        }
        self.object = object
    }

    func string(_ key: String) throws(FrameStore.StoreError) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value as? String else { throw .invalidRequest("\"\(key)\" must be a string") }
        return text
    }

    func strings(_ key: String) throws(FrameStore.StoreError) -> [String] {
        guard let value = object[key] else { return [] }
        guard let list = value as? [Any], let strings = list as? [String], strings.count == list.count else {
            throw .invalidRequest("\"\(key)\" must be a list of strings")
        }
        return strings
    }

    func integer(_ key: String) throws(FrameStore.StoreError) -> Int? {
        guard let value = object[key] else { return nil }
        guard let int = JSONNumber.integer(value) else { throw .invalidRequest("\"\(key)\" must be an integer") }
        return int
    }

    func number(_ key: String) throws(FrameStore.StoreError) -> Double? {
        guard let value = object[key] else { return nil }
        guard let number = JSONNumber.finite(value) else { throw .invalidRequest("\"\(key)\" must be a number") }
        return number
    }

    func flag(_ key: String) throws(FrameStore.StoreError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard let flag = JSONNumber.boolean(value) else { throw .invalidRequest("\"\(key)\" must be true or false") }
        return flag
    }
}
