package io.corrosion.gossip.sim;

import java.util.random.RandomGenerator;

/**
 * How the simulated network treats messages. Latency is {@code minLatencyMillis} plus an exponential tail of mean
 * {@code meanExtraLatencyMillis}, drawn per message, so independent messages reorder. Datagrams are lost or
 * duplicated independently; a reliable message (uni stream) is lost with {@code streamLoss}, modelling a
 * connection that failed; a sync session message lost that way breaks the session, as a reset stream would.
 */
public record NetworkConditions(long minLatencyMillis, double meanExtraLatencyMillis, double datagramLoss,
        double streamLoss, double duplication) {

    public NetworkConditions {
        if (minLatencyMillis < 0 || meanExtraLatencyMillis < 0) {
            throw new IllegalArgumentException("negative latency");
        }
        check("datagramLoss", datagramLoss);
        check("streamLoss", streamLoss);
        check("duplication", duplication);
    }

    /** A LAN: 1 ms plus a 2 ms mean tail, nothing lost. */
    public static NetworkConditions lan() {
        return new NetworkConditions(1, 2, 0, 0, 0);
    }

    /** The same latency with loss on every channel and some duplication of datagrams and streams. */
    public NetworkConditions withLoss(double loss) {
        return new NetworkConditions(minLatencyMillis, meanExtraLatencyMillis, loss, loss, loss / 2);
    }

    long sampleLatency(RandomGenerator random) {
        double extra = meanExtraLatencyMillis == 0 ? 0 : -meanExtraLatencyMillis * Math.log(1 - random.nextDouble());
        return minLatencyMillis + (long) extra;
    }

    private static void check(String name, double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException(name + " must be a probability, got " + p);
        }
    }
}
