package io.corrosion.gossip.transport.quic;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

/** A UDP port on loopback that was free a moment ago (another process may take it; tests accept that). */
final class FreePorts {

    private FreePorts() {
    }

    static int udp() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(TestPki.LOOPBACK, 0))) {
            return socket.getLocalPort();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }
}
