package io.corrosion.gossip.runtime;

/** How the protocol driver's helpers get back onto the protocol thread and report a send that failed. */
interface DriverCallbacks {

    /** Runs {@code step} on the protocol thread (dropped if the node stopped). */
    void onProtocolThread(String what, Runnable step);

    /** Counts and logs (at DEBUG) a send that failed. */
    void sendFailed(String what, Throwable cause);
}
