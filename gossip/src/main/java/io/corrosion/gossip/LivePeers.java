package io.corrosion.gossip;

import java.util.List;

/** The members a core may talk to right now (alive or suspect, never self): membership's view for the others. */
@FunctionalInterface
public interface LivePeers {

    /** An unmodifiable snapshot; the same list object until membership changes. */
    List<Member> livePeers();
}
