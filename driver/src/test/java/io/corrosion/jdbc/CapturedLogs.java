package io.corrosion.jdbc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What the named loggers (and the loggers below them) log while each test of a class runs, for tests that assert on
 * log lines: {@code @RegisterExtension final CapturedLogs logs = CapturedLogs.of("io.corrosion");}. Agents and
 * watchers log from their own threads while the test reads, so the events go to a list safe for that.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> implements BeforeEachCallback, AfterEachCallback {
    private final List<Logger> loggers;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    private CapturedLogs(List<Logger> loggers) {
        this.loggers = loggers;
    }

    public static CapturedLogs of(String... loggerNames) {
        return new CapturedLogs(Arrays.stream(loggerNames).map(n -> (Logger) LoggerFactory.getLogger(n)).toList());
    }

    public static CapturedLogs of(Class<?>... classes) {
        return of(Arrays.stream(classes).map(Class::getName).toArray(String[]::new));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
        loggers.forEach(l -> l.addAppender(this));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        loggers.forEach(l -> l.detachAppender(this));
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        events.add(event);
    }

    /** The events so far, oldest first. */
    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** The events of exactly this level so far. */
    public List<ILoggingEvent> at(Level level) {
        return events.stream().filter(e -> e.getLevel() == level).toList();
    }

    /** The messages of this level or above so far, formatted. */
    public List<String> messages(Level atLeast) {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
