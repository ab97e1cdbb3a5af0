package io.corrosion.gossip.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who is at the other end of a connection.
 *
 * @param address  the peer's socket address as seen on this connection: for a connection the peer
 *                 dialled, its ephemeral source port, not its listen address
 * @param identity the certificate the peer presented in the TLS handshake
 */
public record PeerInfo(InetSocketAddress address, PeerIdentity identity) {

    public PeerInfo {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(identity, "identity");
    }

    @Override
    public String toString() {
        return address + " (" + identity.subject() + ")";
    }
}
