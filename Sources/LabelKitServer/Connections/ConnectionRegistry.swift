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
    /// What a connection's guard updates on every request, without the
    /// registry's lock: whether a request is in progress and when it last did something.
    final class Activity: Sendable {
        private let lastActiveNanoseconds: Atomic<UInt64>
        private let inProgress = Atomic<Bool>(false)

        init(now: UInt64) { lastActiveNanoseconds = Atomic(now) }

        /// When the connection last started or finished a request (uptime nanoseconds).
        var lastActive: UInt64 { lastActiveNanoseconds.load(ordering: .relaxed) }
        /// A request is in progress.
        var busy: Bool { inProgress.load(ordering: .relaxed) }

        /// A request head arrived.
        func requestStarted() {
            lastActiveNanoseconds.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            inProgress.store(true, ordering: .relaxed)
        }

        /// The response is written.
        func requestFinished() {
            lastActiveNanoseconds.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            inProgress.store(false, ordering: .relaxed)
        }
    }

    private struct Entry {
        let channel: any Channel
        let client: String
        let activity: Activity
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

    /// Registers a new connection: its activity to report, or nil when it must be
    /// closed at once. Displaced idle connections are closed here.
    func admit(_ channel: any Channel) -> Activity? {
        let client = Self.client(of: channel)
        let activity = Activity(now: DispatchTime.now().uptimeNanoseconds)
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
                channel: channel, client: client, activity: activity, onGone: nil)
            state.perClient[client, default: 0] += 1
            return true
        }
        for victim in victims { victim.close(promise: nil) }
        return admitted ? activity : nil
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
        for (id, entry) in entries where !entry.activity.busy && (client == nil || entry.client == client) {
            let lastActive = entry.activity.lastActive
            if best == nil || lastActive < best!.lastActive { best = (id, lastActive) }
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
