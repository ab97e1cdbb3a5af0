package io.corrosion.gossip;

/** SWIM member states. LEFT is a dead member that said goodbye, so it is not suspected first. */
public enum MemberStatus {
    ALIVE,
    SUSPECT,
    DEAD,
    LEFT;

    public boolean isDown() {
        return this == DEAD || this == LEFT;
    }
}
