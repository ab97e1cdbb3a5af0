package io.corrosion.jdbc;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** How a property's value is written and parsed; {@link #describe()} names the allowed values in errors and docs. */
record PropertySyntax(String describe, List<String> choices, Function<String, Object> parser) {

    PropertySyntax {
        choices = List.copyOf(choices);
    }

    /** The parsed value; {@link IllegalArgumentException} if the text does not fit. */
    Object parse(String text) {
        return parser.apply(text);
    }

    static final PropertySyntax BOOLEAN = new PropertySyntax("true or false", List.of("true", "false"), t -> {
        if (t.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (t.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean");
    });

    static final PropertySyntax HOST_PORT = new PropertySyntax("host:port or [ipv6]:port", List.of(), HostPort::parse);

    static final PropertySyntax HOST_PORT_LIST =
            new PropertySyntax("comma-separated host:port list, ports from 1 (may be empty)", List.of(), t -> {
                List<HostPort> list = new ArrayList<>();
                for (String part : splitList(t)) {
                    HostPort seed = HostPort.parse(part);
                    if (seed.port() == 0) {
                        throw new IllegalArgumentException("'" + part + "': a seed needs its port (0 only means "
                                + "\"any free port\" in bind)");
                    }
                    list.add(seed);
                }
                return List.copyOf(list);
            });

    static final PropertySyntax FILE = new PropertySyntax("a file path", List.of(), t -> {
        if (t.isBlank()) {
            throw new IllegalArgumentException("empty path");
        }
        return t.trim();
    });

    /** Table names and globs ({@code *} any run of characters, {@code ?} one), kept lower-cased. */
    static final PropertySyntax TABLE_PATTERN_LIST = new PropertySyntax(
            "comma-separated table names or globs with `*` and `?`, case-insensitive (may be empty)", List.of(), t -> {
                Set<String> tables = new LinkedHashSet<>();
                for (String part : splitList(t)) {
                    tables.add(TablePatterns.check(part).toLowerCase(Locale.ROOT));
                }
                return Set.copyOf(tables);
            });

    static final PropertySyntax DURATION = duration(false);

    /** As {@link #DURATION}, and zero too (a wait that may be switched off). */
    static final PropertySyntax DURATION_OR_ZERO = duration(true);

    private static PropertySyntax duration(boolean zero) {
        return new PropertySyntax((zero ? "zero (0s) or a" : "a positive")
                + " duration up to a day: 500ms, 5s, 2m, 1h or ISO-8601 such as PT5S", List.of(), t -> {
                    Duration d = parseDuration(t.trim());
                    if (d.isNegative() || (d.isZero() && !zero)) {
                        throw new IllegalArgumentException(zero ? "negative" : "not positive");
                    }
                    if (d.compareTo(Duration.ofDays(1)) > 0) {
                        throw new IllegalArgumentException("longer than a day"); // timers count in milliseconds
                    }
                    return d;
                });
    }

    static final PropertySyntax ANY = new PropertySyntax("any text", List.of(), t -> t);

    static PropertySyntax intRange(int min, int max) {
        return new PropertySyntax("an integer from " + min + " to " + max, List.of(), t -> {
            int v = Integer.parseInt(t.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    /** One of {@code values}, case-insensitive; the value is normalised to the spelling in {@code values}. */
    static PropertySyntax oneOf(String... values) {
        List<String> distinct = Arrays.stream(values).map(v -> v.replace("'", "")).distinct().toList();
        return new PropertySyntax("one of " + String.join(", ", distinct), distinct, t -> {
            for (String v : distinct) {
                if (v.equalsIgnoreCase(t.trim())) {
                    return v;
                }
            }
            throw new IllegalArgumentException("not a choice");
        });
    }

    private static List<String> splitList(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }

    private static Duration parseDuration(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("pt") || lower.startsWith("p")) {
                return Duration.parse(t);
            }
            if (lower.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
            }
            long n = Long.parseLong(lower.substring(0, lower.length() - 1));
            return switch (lower.charAt(lower.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration", e);
        }
    }
}
