import Foundation
import NIOCore
import Synchronization

/// Every open connection of the service: its client address, whether a request
/// is in progress on it, and when it last did something. It enforces
/// ``ConnectionLimits``: a new connection over the cap (in all, or from its
/// client address) first displaces the longest-idle connection without a
/// request in progress (a keep-alive socket or one still sending its headers;
/// clients reopen those transparently), and is refused only when every
/// connection it could displace is busy.
///
/// Long work registers a hook with ``watch(_:onGone:)`` that runs when its
/// client closes the connection, so a render nobody waits for is cancelled.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let client: String
        var lastActive: UInt64
        var busy: Bool
        var onGone: (@Sendable () -> Void)?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var perClient: [String: Int] = [:]
        var refused = 0
        var displaced = 0
    }

    let limits: ConnectionLimits
    private let state = Mutex(State())

    /// A registry enforcing `limits`.
    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// Open connections, connections refused and connections displaced since start.
    var counts: (open: Int, refused: Int, displaced: Int) {
        state.withLock { ($0.entries.count, $0.refused, $0.displaced) }
    }

    /// Registers a new connection; false when it must be closed at once.
    /// Displaced idle connections are closed here.
    func admit(_ channel: any Channel) -> Bool {
        let client = Self.client(of: channel)
        let now = DispatchTime.now().uptimeNanoseconds
        var victims: [any Channel] = []
        let admitted = state.withLock { state -> Bool in
            while state.entries.count >= limits.maxConnections || state.perClient[client, default: 0] >= limits.maxPerClient {
                let sameClient = state.entries.count < limits.maxConnections
                guard let victim = Self.longestIdle(in: state.entries, client: sameClient ? client : nil) else {
                    state.refused += 1
                    return false
                }
                victims.append(Self.remove(victim, from: &state).channel)
                state.displaced += 1
            }
            state.entries[ObjectIdentifier(channel)] = Entry(
                channel: channel, client: client, lastActive: now, busy: false, onGone: nil)
            state.perClient[client, default: 0] += 1
            return true
        }
        for victim in victims { victim.close(promise: nil) }
        return admitted
    }

    /// A request head arrived on `channel`.
    func requestStarted(_ channel: any Channel) {
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { state in
            state.entries[ObjectIdentifier(channel)]?.busy = true
            state.entries[ObjectIdentifier(channel)]?.lastActive = now
        }
    }

    /// The response on `channel` is written.
    func requestFinished(_ channel: any Channel) {
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { state in
            state.entries[ObjectIdentifier(channel)]?.busy = false
            state.entries[ObjectIdentifier(channel)]?.lastActive = now
        }
    }

    /// The connection closed: forgets it and runs its hook.
    func removed(_ channel: any Channel) {
        let hook = state.withLock { state -> (@Sendable () -> Void)? in
            guard state.entries[ObjectIdentifier(channel)] != nil else { return nil }
            return Self.remove(ObjectIdentifier(channel), from: &state).onGone
        }
        hook?()
    }

    /// The client closed its side while a request may be in progress: runs the
    /// hook (the response has nobody to go to).
    func clientGone(_ channel: any Channel) {
        let hook = state.withLock { state -> (@Sendable () -> Void)? in
            let hook = state.entries[ObjectIdentifier(channel)]?.onGone
            state.entries[ObjectIdentifier(channel)]?.onGone = nil
            return hook
        }
        hook?()
    }

    /// Runs `onGone` if the client of `channel` leaves before ``unwatch(_:)``;
    /// false when it has already gone (or the channel is not registered, e.g.
    /// closed a moment ago).
    func watch(_ channel: any Channel, onGone: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard state.entries[ObjectIdentifier(channel)] != nil, channel.isActive else { return false }
            state.entries[ObjectIdentifier(channel)]?.onGone = onGone
            return true
        }
    }

    /// Drops the hook of ``watch(_:onGone:)``.
    func unwatch(_ channel: any Channel) {
        state.withLock { state in state.entries[ObjectIdentifier(channel)]?.onGone = nil }
    }

    /// The client address of a connection (its IP, or a description for others).
    static func client(of channel: any Channel) -> String {
        guard let address = channel.remoteAddress else { return "?" }
        return address.ipAddress ?? address.description
    }

    /// The connection without a request in progress that has been idle longest,
    /// among those of `client` (or all when nil).
    private static func longestIdle(in entries: [ObjectIdentifier: Entry], client: String?) -> ObjectIdentifier? {
        var best: (id: ObjectIdentifier, lastActive: UInt64)?
        for (id, entry) in entries where !entry.busy && (client == nil || entry.client == client) {
            if best == nil || entry.lastActive < best!.lastActive { best = (id, entry.lastActive) }
        }
        return best?.id
    }

    private static func remove(_ id: ObjectIdentifier, from state: inout State) -> Entry {
        let entry = state.entries.removeValue(forKey: id)!
        let left = state.perClient[entry.client, default: 1] - 1
        state.perClient[entry.client] = left > 0 ? left : nil
        return entry
    }
}
