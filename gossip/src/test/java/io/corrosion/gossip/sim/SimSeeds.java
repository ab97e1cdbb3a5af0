package io.corrosion.gossip.sim;

/** The seed of a simulation test: fixed, or {@code -Dgossip.sim.seed=N} to replay a reported failure. */
final class SimSeeds {

    private SimSeeds() {
    }

    static long seed(long defaultSeed) {
        return Long.getLong("gossip.sim.seed", defaultSeed);
    }

    /** The given seeds, or only the one named with {@code -Dgossip.sim.seed=N}. */
    static java.util.stream.LongStream seeds(long... defaults) {
        Long override = Long.getLong("gossip.sim.seed");
        return override != null ? java.util.stream.LongStream.of(override) : java.util.stream.LongStream.of(defaults);
    }

    static String replay(Simulation sim) {
        return "seed " + sim.seed() + " (replay with -Dgossip.sim.seed=" + sim.seed() + ")";
    }
}
