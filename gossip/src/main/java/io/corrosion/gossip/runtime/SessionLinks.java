package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Channel;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.SyncStart;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync sessions on transport exchanges: one bidirectional exchange per {@link SessionKey}. The initiator's
 * {@link SyncStart} opens the exchange (frames sent while it opens wait for it); on the responder the first frame of
 * an exchange the peer opened names the session; every later frame of either side goes on that exchange. When the
 * core closes a session its exchange is finished (clean) or aborted; when the transport loses an exchange the core
 * hears {@code onSessionBroken}.
 *
 * <p>All state lives on the protocol thread; the {@link ExchangeHandler} callbacks (transport I/O threads) decode
 * and hop over. A frame naming another session than its exchange's, a first frame that is not a SyncStart, or a
 * SyncStart for a session already open is a protocol violation: the exchange is aborted.
 *
 * <p>One peer holds at most {@code maxInboundSyncsPerPeer} sessions it opened, its newest replacing its oldest (whose
 * exchange is aborted and whose session the core hears is broken). The peer is its connection's address (a node dials
 * from one socket), not the site its SyncStart names, which is the sender's word: a peer naming a new site in every
 * session cannot take every slot, and another member naming ours cannot end our sessions. Nor the certificate: nodes
 * may share one.
 */
final class SessionLinks {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLinks.class);
    private static final CompletionStage<Void> SENT = CompletableFuture.completedFuture(null);

    /** What the links need from the protocol driver. */
    interface Host extends DriverCallbacks {
        /** Hands a received frame's processing to the protocol thread within the inbound bounds; false if over. */
        boolean submitInbound(int bytes, Runnable step);

        /** A sync message for the core. */
        void deliver(SyncMessage message);

        /** The core's session lost its stream. */
        void broken(SessionKey session);
    }

    private final String nodeName;
    private final SiteId self;
    private final Transport transport;
    private final AddressBook addresses;
    private final FrameDecoder decoder;
    private final Host host;
    private final int maxInboundPerPeer;
    /** In the order the sessions opened: the first of a peer's is its oldest. */
    private final Map<SessionKey, Link> links = new LinkedHashMap<>();
    private boolean readingPaused;

    SessionLinks(String nodeName, SiteId self, Transport transport, AddressBook addresses, FrameDecoder decoder,
            int maxInboundPerPeer, Host host) {
        this.nodeName = nodeName;
        this.maxInboundPerPeer = maxInboundPerPeer;
        this.self = self;
        this.transport = transport;
        this.addresses = addresses;
        this.decoder = decoder;
        this.host = host;
    }

    /** An exchange a peer opened: its handler. Any thread. */
    ExchangeHandler accept() {
        return new Link(null, null);
    }

    /** Sends a session frame: on the session's exchange, or opening one for our own SyncStart. Protocol thread. */
    void send(NodeAddress to, SyncMessage message, byte[] frame) {
        Link link = links.get(message.session());
        if (link != null) {
            link.send(frame);
        } else if (message instanceof SyncStart && message.session().initiator().equals(self)) {
            open(to, message.session(), frame);
        } else {
            LOG.debug("[{}] dropping {} for sync session {}: its stream is gone", nodeName,
                    message.getClass().getSimpleName(), message.session());
        }
    }

    /** The core is done with a session. Protocol thread. */
    void closed(SessionKey session, boolean clean) {
        Link link = links.remove(session);
        if (link != null) {
            link.close(clean);
        }
    }

    /**
     * Runs {@code action} (the session's next store read) once the frames it had sent before the previous call were
     * taken by the network (at once if there is no such session): the read goes on while the batch before it is on
     * its way, and waits for the peer to take the one before that. Waiting for the last batch instead put the
     * transfer of each batch between two reads, and a catch-up's read thread sat idle for it. A peer that takes
     * nothing so holds at most two of a session's batches here (one being sent, one queued behind it). Protocol
     * thread.
     */
    void afterSent(SessionKey session, Runnable action) {
        Link link = links.get(session);
        CompletionStage<Void> before = SENT;
        if (link != null) {
            before = link.sentBeforeLastRead;
            link.sentBeforeLastRead = link.lastSend;
        }
        before.whenComplete((ignored, failure) -> action.run());
    }

    /** Stops (or resumes) reading every session's incoming frames, and those of sessions opened later. */
    void pauseReading(boolean pause) {
        readingPaused = pause;
        for (Link link : links.values()) {
            link.applyPause();
        }
    }

    /** Aborts every session (the node is leaving). Protocol thread. */
    void abortAll(String reason) {
        for (Link link : links.values()) {
            link.closed = true;
            if (link.exchange != null) {
                link.exchange.abort(reason);
            }
        }
        links.clear();
    }

    int open() {
        return links.size();
    }

    private void open(NodeAddress to, SessionKey session, byte[] frame) {
        Link link = new Link(session, to);
        links.put(session, link);
        link.pending.add(frame);
        addresses.whenResolved(to, address -> {
            if (link.closed) {
                return; // the core closed the session while the peer's name was looked up: nothing to open
            }
            if (address == null) {
                link.lost("cannot resolve " + to);
                return;
            }
            transport.openExchange(address, link).whenComplete((exchange, failure) ->
                    host.onProtocolThread("sync session opened", () -> link.opened(exchange, failure)));
        });
    }

    /** A peer (its connection's address) at its share of inbound sessions gives up its oldest. */
    private void makeRoomForPeer(InetSocketAddress peer) {
        List<Link> its = new ArrayList<>();
        for (Link link : links.values()) {
            if (peer.equals(link.peer)) {
                its.add(link);
            }
        }
        for (int i = 0; i <= its.size() - maxInboundPerPeer; i++) {
            Link oldest = its.get(i);
            oldest.exchange.abort("replaced by the peer's newer sync session");
            oldest.lost("replaced by the peer's newer session");
        }
    }

    /** One session's exchange. Fields are touched on the protocol thread only; callbacks hop there. */
    private final class Link implements ExchangeHandler {
        private SessionKey key;
        private final NodeAddress initiatorPeer;
        /** The connection address of the peer that opened it; null for ours. */
        private InetSocketAddress peer;
        private Exchange exchange;
        private final List<byte[]> pending = new ArrayList<>();
        private CompletionStage<Void> lastSend = SENT;
        /** The last frame sent before the session's last read began: the next read waits for it. */
        private CompletionStage<Void> sentBeforeLastRead = SENT;
        private boolean closed;
        private boolean closedClean;
        private boolean paused;

        Link(SessionKey key, NodeAddress initiatorPeer) {
            this.key = key;
            this.initiatorPeer = initiatorPeer;
        }

        // ------------------------------------------------------------ transport I/O threads

        @Override
        public void onFrame(Exchange from, byte[] frame) {
            GossipMessage message = decoder.decode(frame, Channel.SESSION, from.peer());
            if (message == null) {
                from.abort("undecodable or misplaced frame");
                return;
            }
            if (!host.submitInbound(frame.length, () -> received(from, (SyncMessage) message))) {
                from.abort("receiver overloaded");
            }
        }

        @Override
        public void onFinished(Exchange from) {
            // The peer finished its half; its SyncDone (or the session timeout) tells the core. A stream the peer
            // finished without saying a word is closed at once rather than left for the idle timeout.
            host.onProtocolThread("sync stream finished", () -> {
                if (key == null && !closed) {
                    closed = true;
                    from.finish();
                }
            });
        }

        @Override
        public void onAborted(Exchange from, TransportException cause) {
            host.onProtocolThread("sync session aborted", () -> lost(cause.getMessage()));
        }

        // ------------------------------------------------------------ protocol thread

        private void received(Exchange from, SyncMessage message) {
            if (closed) {
                return;
            }
            if (key == null) {
                exchange = from;
                SessionKey session = message.session();
                if (!(message instanceof SyncStart) || session.initiator().equals(self) || links.containsKey(session)) {
                    closed = true;
                    decoder.violation("a sync stream opened with " + message.getClass().getSimpleName() + " for "
                            + session + (links.containsKey(session) ? ", a session already open" : ""), from.peer());
                    from.abort("not a new sync session");
                    return;
                }
                key = session;
                peer = from.peer().address();
                makeRoomForPeer(peer);
                links.put(key, this);
                applyPause();
            } else if (!message.session().equals(key)) {
                decoder.violation(message.getClass().getSimpleName() + " for session " + message.session()
                        + " on the stream of session " + key, from.peer());
                from.abort("frame for another session");
                lost("protocol violation");
                return;
            }
            host.deliver(message);
        }

        void send(byte[] frame) {
            if (exchange == null) {
                pending.add(frame);
            } else {
                lastSend = exchange.send(frame);
                lastSend.whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        host.sendFailed("sync frame for session " + key, failure);
                    }
                });
            }
        }

        void opened(Exchange opened, Throwable failure) {
            if (failure != null) {
                host.sendFailed("sync session " + key + " with " + initiatorPeer, failure);
                lost(String.valueOf(failure));
                return;
            }
            exchange = opened;
            applyPause();
            for (byte[] frame : pending) {
                send(frame);
            }
            pending.clear();
            if (closed) {
                end();
            }
        }

        void close(boolean clean) {
            closed = true;
            closedClean = clean;
            if (exchange != null) {
                end();
            }
        }

        private void end() {
            if (closedClean) {
                exchange.finish();
            } else {
                exchange.abort("sync session timed out or failed");
            }
        }

        /** The exchange is gone (or never came): the core hears of it unless it closed the session first. */
        void lost(String why) {
            if (closed) {
                return;
            }
            closed = true;
            if (key != null && links.remove(key, this)) {
                LOG.debug("[{}] sync session {} lost its stream: {}", nodeName, key, why);
                host.broken(key);
            }
        }

        void applyPause() {
            if (exchange != null && paused != readingPaused) {
                paused = readingPaused;
                if (paused) {
                    exchange.pauseReading();
                } else {
                    exchange.resumeReading();
                }
            }
        }
    }
}
