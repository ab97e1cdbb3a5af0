package io.corrosion.gossip.sim;

/** The seed of a simulation test: fixed, or {@code -Dgossip.sim.seed=N} to replay a reported failure. */
final class SimSeeds {

    private SimSeeds() {
    }

    static long seed(long defaultSeed) {
        return Long.getLong("gossip.sim.seed", defaultSeed);
    }

    static String replay(Simulation sim) {
        return "seed " + sim.seed() + " (replay with -Dgossip.sim.seed=" + sim.seed() + ")";
    }
}
