/// Who a request speaks for, once its bearer token is checked.
enum Credential: Sendable, Equatable {
    /// The service's own token (`--token`): may do anything, and mint and revoke tokens.
    case serviceOperator
    /// A signed token's user and role.
    case user(String, SignedToken.Role)

    /// The annotator the label stream must act for, when the credential fixes one
    /// (an annotator's token); managers and the operator may name anyone.
    var signedInAnnotator: String? {
        if case .user(let name, .annotator) = self { return name }
        return nil
    }

    /// Whether the credential may make the state-changing request `method path`
    /// outside `/v1` (which takes the operator's token alone).
    func mayChange(path: String) -> Bool {
        switch self {
        case .serviceOperator: return true
        case .user(_, let role):
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            // POST /frames/tasks/{task}/{action}: the label stream.
            if parts.count == 4, parts[0] == "frames", parts[1] == "tasks" { return true }
            guard role == .manager else { return false }
            return path == "/frames/import" || path == "/frames/tasks" || path == "/annotations"
        }
    }
}
