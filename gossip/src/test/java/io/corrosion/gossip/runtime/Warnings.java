package io.corrosion.gossip.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** The WARN lines one class logs while this is open (thread-safe: nodes log from their own threads). */
final class Warnings implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger log;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLevel() == Level.WARN) {
                lines.add(e.getFormattedMessage());
            }
        }
    };

    Warnings(Class<?> of) {
        log = (Logger) LoggerFactory.getLogger(of);
        appender.start();
        log.addAppender(appender);
    }

    @Override
    public void close() {
        log.detachAppender(appender);
    }
}
