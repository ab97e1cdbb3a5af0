package io.corrosion.jdbc.replication;

import java.time.Duration;

/** For tests in other packages: how long the agent waits for open application transactions (see TransactionGate). */
public final class GateTuning {
    private GateTuning() {}

    public static void applyWait(Duration wait) {
        TransactionGate.applyWaitMillis = wait.toMillis();
    }

    public static void defaultApplyWait() {
        TransactionGate.applyWaitMillis = TransactionGate.APPLY_WAIT_MILLIS;
    }
}
