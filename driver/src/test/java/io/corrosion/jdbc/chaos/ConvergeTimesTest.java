package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ConvergeTimesTest {

    @Test
    void percentilesAreNearestRank() {
        List<Long> hundred = LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(ConvergeTimes.percentile(hundred, 50)).isEqualTo(50);
        assertThat(ConvergeTimes.percentile(hundred, 99)).isEqualTo(99);
        assertThat(ConvergeTimes.percentile(List.of(30L, 10L, 20L), 50)).isEqualTo(20);
        assertThat(ConvergeTimes.percentile(List.of(30L, 10L, 20L), 99)).isEqualTo(30);
        assertThat(ConvergeTimes.percentile(List.of(), 50)).isZero();
    }

    @Test
    void theReportHasALinePerKindAndOneForAllWithTimeoutsCalledOut() {
        ConvergeTimes times = new ConvergeTimes();
        times.converged("kill", 400);
        times.converged("kill", 900);
        times.converged("partition", 2500);
        times.timedOut("partition");
        assertThat(times.count("partition")).isEqualTo(2);
        assertThat(times.timeouts()).isEqualTo(1);
        assertThat(times.report()).isEqualTo(String.join("\n",
                "  kill:        2, converged p50   400 ms, p99   900 ms, max   900 ms",
                "  partition:   2, converged p50  2500 ms, p99  2500 ms, max  2500 ms, 1 NOT CONVERGED in time",
                "  all:         4, converged p50   900 ms, p99  2500 ms, max  2500 ms, 1 NOT CONVERGED in time"));
    }
}
