package io.corrosion.jdbc.replication;

/**
 * Hears every transaction committed on a database file, local or merged from a peer, with the tables and rows it
 * changed. Register through {@code CorrosionConnection.addChangeListener}; the listener belongs to the file, not
 * the connection, and stays until its handle is closed or the database shuts down.
 *
 * <p>Called on the file's change-listener thread ({@code corrosion-changes-*}), one event at a time, never on the
 * application's or the replication protocol's threads. A slow listener delays only later events; beyond
 * {@link ChangeFeed#CAPACITY} waiting events new ones are dropped and counted ({@code listenerEventsDropped} in the
 * replication stats). An exception thrown here is logged and counted; the next event is delivered.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ChangeEvent event);
}
