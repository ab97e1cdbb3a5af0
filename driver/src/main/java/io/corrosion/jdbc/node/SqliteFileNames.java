package io.corrosion.jdbc.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file SQLite opens for a database name, by SQLite's rules for URI file names ({@code sqlite3ParseUri}): a name
 * starting with exactly {@code file:} is a URI. Its authority must be empty or {@code localhost}; its path ends at
 * {@code ?} or {@code #}, its query at {@code #}; the query is {@code key=value} pairs joined by {@code &}; path, keys
 * and values are percent-decoded, and {@code %00} cuts the rest of its part off. {@code mode=memory}, {@code vfs=memdb}
 * and the path {@code :memory:} name an in-memory database: no file.
 */
final class SqliteFileNames {
    private SqliteFileNames() {}

    /** The file SQLite writes for {@code name}; empty for an in-memory database or a name SQLite refuses. */
    static Optional<Path> file(String name) {
        if (name.isEmpty() || name.equals(":memory:")) {
            return Optional.empty();
        }
        if (!name.startsWith("file:")) {
            return path(name);
        }
        int i = 5;
        if (name.startsWith("//", i)) {
            int slash = name.indexOf('/', i + 2);
            int end = slash < 0 ? name.length() : slash;
            String authority = name.substring(i + 2, end);
            if (!authority.isEmpty() && !authority.equals("localhost")) {
                return Optional.empty(); // SQLite refuses it ("invalid uri authority"): it opens nothing
            }
            i = end;
        }
        Map<String, String> parameters = new HashMap<>();
        ByteArrayOutputStream path = new ByteArrayOutputStream();
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        int state = 0; // 0: the path, 1: a key, 2: a value
        while (i < name.length() && name.charAt(i) != '#') {
            char c = name.charAt(i++);
            if (c == '%' && i + 1 < name.length() && hex(name.charAt(i)) && hex(name.charAt(i + 1))) {
                int octet = Integer.parseInt(name.substring(i, i + 2), 16);
                i += 2;
                if (octet == 0) { // the rest of this part is dropped
                    while (i < name.length() && !ends(name.charAt(i), state)) {
                        i++;
                    }
                    continue;
                }
                (state == 0 ? path : state == 1 ? key : value).write(octet);
            } else if (state == 0 && c == '?') {
                state = 1;
            } else if (state == 1 && (c == '=' || c == '&')) {
                if (c == '&') {
                    parameters.put(key.toString(UTF_8), "");
                    key.reset();
                } else {
                    state = 2;
                }
            } else if (state == 2 && c == '&') {
                parameters.put(key.toString(UTF_8), value.toString(UTF_8));
                key.reset();
                value.reset();
                state = 1;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(UTF_8);
                (state == 0 ? path : state == 1 ? key : value).write(bytes, 0, bytes.length);
            }
        }
        if (state > 0 && key.size() > 0) {
            parameters.put(key.toString(UTF_8), value.toString(UTF_8));
        }
        String file = path.toString(UTF_8);
        if (file.isEmpty() || file.equals(":memory:") || "memory".equals(parameters.get("mode"))
                || "memdb".equals(parameters.get("vfs"))) {
            return Optional.empty();
        }
        return path(file);
    }

    /** Whether {@code c} ends the current part of a URI in {@code state}. */
    private static boolean ends(char c, int state) {
        return c == '#' || (state == 0 && c == '?') || (state == 1 && (c == '=' || c == '&'))
                || (state == 2 && c == '&');
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static Optional<Path> path(String file) {
        try {
            return Optional.of(Path.of(file));
        } catch (InvalidPathException e) {
            return Optional.empty(); // SQLite cannot have written it either
        }
    }
}
