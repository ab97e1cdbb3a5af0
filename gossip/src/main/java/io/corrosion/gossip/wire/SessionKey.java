package io.corrosion.gossip.wire;

import io.corrosion.gossip.SiteId;
import java.util.Objects;

/** Names a sync session: the initiator's site and a number it chose. The transport maps it to one bidi stream. */
public record SessionKey(SiteId initiator, long id) {
    public SessionKey {
        Objects.requireNonNull(initiator, "initiator");
    }

    @Override
    public String toString() {
        return initiator.shortString() + "/" + Long.toHexString(id);
    }
}
