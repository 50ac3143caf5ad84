/// Bounds on connections: how many may be open, from one client address and in
/// all, and how long one may sit idle.
public struct ConnectionLimits: Sendable, Hashable {
    /// Open connections in all (`--max-connections`).
    public var maxConnections = 4_096
    /// Open connections from one client address (`--max-connections-per-client`).
    public var maxPerClient = 1_024
    /// Seconds a connection may stay without a request part before it is closed
    /// (`--idle-timeout`); covers keep-alive idling, slow headers and stalled bodies.
    public var idleTimeoutSeconds = 30.0
    /// Connections the kernel queues before they are accepted (`--backlog`).
    public var backlog = 4_096

    /// The defaults.
    public init() {}
}
