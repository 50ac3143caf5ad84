import Foundation

/// The viewer page: pan and zoom over an image's Deep Zoom tiles on a canvas,
/// with the annotation overlay drawn into the tiles by the server. Plain
/// JavaScript written for LabelKit, no third-party code.
enum ViewerPage {
    /// The page for `identifier` (raw, as in URLs) and an optional overlay name.
    static func html(identifier: String, overlay: String?) -> String {
        func literal(_ value: String?) -> String {
            guard let value else { return "null" }
            let data = (try? JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
            let array = String(decoding: data, as: UTF8.self)
            return String(array.dropFirst().dropLast()).replacingOccurrences(of: "</", with: "<\\/")
        }
        return template.replacingOccurrences(of: "__ID__", with: literal(identifier))
            .replacingOccurrences(of: "__OVERLAY__", with: literal(overlay))
    }

    /// `Resources/viewer.html`, with `__ID__` and `__OVERLAY__` where the page's
    /// identifier and overlay go (as JavaScript literals).
    static let template = String(decoding: PackageResources.viewer_html, as: UTF8.self)
}
