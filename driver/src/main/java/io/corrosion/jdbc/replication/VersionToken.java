package io.corrosion.jdbc.replication;

import io.corrosion.gossip.SiteId;
import java.util.HexFormat;

/**
 * A read-your-writes token: a site id and one of its db versions, written {@code <32 hex digits>:<version>}. A node
 * has a token when it has every version of that site up to the token's (so a later token of the same site implies
 * every earlier one). {@code CorrosionConnection.lastCommitToken()} makes one; {@code awaitVersion} waits for one.
 */
public record VersionToken(SiteId site, long version) {

    public VersionToken {
        if (version < 0) {
            throw new IllegalArgumentException("a db version is not negative: " + version);
        }
    }

    /**
     * Parses a token.
     *
     * @throws IllegalArgumentException if {@code text} is not {@code <32 hex digits>:<version>}
     */
    public static VersionToken parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no version token (null)");
        }
        int colon = text.indexOf(':');
        if (colon != 2 * SiteId.BYTES || text.length() > colon + 20) {
            throw new IllegalArgumentException("'" + text + "' is not a version token (<32 hex digits>:<version>)");
        }
        try {
            SiteId site = SiteId.of(HexFormat.of().parseHex(text, 0, colon));
            return new VersionToken(site, Long.parseLong(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a version token (<32 hex digits>:<version>)", e);
        }
    }

    @Override
    public String toString() {
        return site + ":" + version;
    }
}
