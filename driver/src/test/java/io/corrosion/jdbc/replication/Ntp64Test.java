package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ntp64Test {
    @Test
    void keepsTheMillisecondsOfATimestamp() {
        long millis = 1_795_674_371_768L;
        long ntp = Ntp64.fromMillis(millis);
        assertThat(ntp >>> 32).as("seconds since 1900").isEqualTo(millis / 1000 + 2_208_988_800L);
        assertThat(ntp & 0xFFFF_FFFFL).as("fraction of 0.768 s").isEqualTo((768L << 32) / 1000);
        assertThat(Ntp64.toMillis(ntp)).isEqualTo(millis);
    }

    @Test
    void roundTripsEveryMillisecondOfASecondAndTimesBefore1970() {
        for (long ms = -2_000; ms < 2_000; ms++) {
            long at = 1_700_000_000_000L + ms * 997;
            assertThat(Ntp64.toMillis(Ntp64.fromMillis(at))).isEqualTo(at);
        }
        assertThat(Ntp64.toMillis(Ntp64.fromMillis(-1_500))).isEqualTo(-1_500);
        assertThat(Ntp64.toMillis(0)).isZero();
    }
}
