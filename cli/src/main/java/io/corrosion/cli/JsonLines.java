package io.corrosion.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * One JSON object per line. SQL values map as: NULL to null, INTEGER to a number, REAL to a number (infinities as
 * strings), TEXT to a string, BLOB to {@code {"blob": "<hex>"}} so it never passes for text.
 */
final class JsonLines implements AutoCloseable {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final PrintWriter out;
    private final JsonGenerator json;

    JsonLines(PrintWriter out) {
        this.out = out;
        try {
            this.json = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    JsonLines start() throws IOException {
        json.writeStartObject();
        return this;
    }

    JsonLines field(String name, Object sqlValue) throws IOException {
        json.writeFieldName(name);
        value(sqlValue);
        return this;
    }

    JsonLines array(String name, Iterable<?> sqlValues) throws IOException {
        json.writeArrayFieldStart(name);
        for (Object v : sqlValues) {
            value(v);
        }
        json.writeEndArray();
        return this;
    }

    void end() throws IOException {
        json.writeEndObject();
        json.flush();
        out.println();
    }

    private void value(Object v) throws IOException {
        if (v == null) {
            json.writeNull();
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            json.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(d);
            } else {
                json.writeString(Double.toString(d));
            }
        } else if (v instanceof Number exact) { // BigDecimal and the like
            json.writeNumber(exact.toString());
        } else if (v instanceof Boolean b) {
            json.writeNumber(b ? 1 : 0);
        } else if (v instanceof byte[] b) {
            json.writeStartObject();
            json.writeStringField("blob", HexFormat.of().formatHex(b));
            json.writeEndObject();
        } else {
            json.writeString(v.toString());
        }
    }

    @Override
    public void close() throws IOException {
        json.close();
        out.flush();
    }
}
