import NIOCore
import NIOHTTPTypes

/// The per-connection half of ``ConnectionRegistry``, in each connection's
/// pipeline after HTTP decoding: registers the connection (closing it when the
/// registry refuses it), marks requests in progress, reports a client that
/// closes its side or the whole connection, and closes the connection after a
/// response that says `Connection: close` (a request refused before its body
/// was read must not keep the socket open while the client goes on sending).
///
/// That close lingers, as nginx's does: the response is followed by a FIN,
/// what the client still sends is read and dropped for at most
/// ``lingerSeconds``, then the socket closes. Closing at once, with unread data
/// in the socket, would send a reset that can destroy the response before the
/// client reads it.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let registry: ConnectionRegistry
    /// Set when the registry admitted the connection.
    private var activity: ConnectionRegistry.Activity?
    private var decided = false
    private var closeAfterResponse = false
    /// The current request's body has all arrived.
    private var requestComplete = false
    /// Seconds a closing connection keeps reading (and dropping) what the client sends.
    static let lingerSeconds: Int64 = 2

    /// A guard reporting to `registry`.
    init(registry: ConnectionRegistry) {
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if activity != nil { registry.removed(context.channel) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestComplete = false
            activity?.requestStarted()
        case .end:
            requestComplete = true
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if head.headerFields[.connection]?.lowercased() == "close" {
                // A body that has all arrived is no reason to close: keep the connection.
                guard requestComplete else {
                    closeAfterResponse = true
                    break
                }
                head.headerFields[.connection] = nil
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
        case .end:
            activity?.requestFinished()
            if closeAfterResponse {
                context.writeAndFlush(data, promise: promise)
                context.close(mode: .output, promise: nil)
                let channel = context.channel
                context.eventLoop.scheduleTask(in: .seconds(Self.lingerSeconds)) { channel.close(promise: nil) }
                return
            }
        case .body:
            break
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { registry.clientGone(context.channel) }
        context.fireUserInboundEventTriggered(event)
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !decided else { return }
        decided = true
        activity = registry.admit(context.channel)
        if activity == nil { context.close(promise: nil) }
    }
}
