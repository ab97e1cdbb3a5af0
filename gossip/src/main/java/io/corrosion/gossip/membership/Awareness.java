package io.corrosion.gossip.membership;

/**
 * Lifeguard's local health: a score from 0 (healthy) to max - 1 that rises when this node misses nacks or must
 * refute a suspicion about itself, and falls with every successful probe. Probe timeouts and intervals stretch
 * by (score + 1), so a node that is itself slow waits longer before accusing others.
 */
final class Awareness {

    private final int max;
    private int score;

    Awareness(int max) {
        this.max = max;
    }

    void apply(int delta) {
        score = Math.max(0, Math.min(max - 1, score + delta));
    }

    int score() {
        return score;
    }

    long scale(long millis) {
        return millis * (score + 1);
    }
}
