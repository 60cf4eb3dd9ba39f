package dev.switchboard.config;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * {@code switchboard.log.format=json}: Switchboard's own log lines (loggers under {@code dev.switchboard})
 * go to the process's standard output as one JSON object each ({@code time}, {@code level}, {@code logger},
 * {@code node}, {@code message}, and {@code error} with a failure), instead of through the server's
 * format. Written to the file descriptor itself: servers that catch {@code System.out} (Payara) would
 * wrap each line in their own format.
 */
final class JsonLogLines extends Formatter {

    private static final String ROOT = "dev.switchboard";
    /** Held so the logger and its handler are not collected (JUL keeps loggers weakly). */
    private static volatile Logger configured;

    private final String node;

    private JsonLogLines(String node) {
        this.node = node;
    }

    /** Applies the format: {@code json} switches; {@code text} (or anything else checked before) leaves the server's own. */
    static void applyIf(String format, String node) {
        if (format.equals("text")) {
            return;
        }
        if (!format.equals("json")) {
            throw new IllegalStateException("Setting " + Setting.LOG_FORMAT.property() + " (" + Setting.LOG_FORMAT.environmentVariable()
                    + ") is '" + format + "', expected text or json");
        }
        Logger root = Logger.getLogger(ROOT);
        for (Handler old : root.getHandlers()) {
            if (old.getFormatter() instanceof JsonLogLines) {
                root.removeHandler(old); // a redeploy: the earlier deployment's handler goes
            }
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        StreamHandler handler = new StreamHandler(out, new JsonLogLines(node)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        root.addHandler(handler);
        root.setUseParentHandlers(false);
        configured = root;
    }

    @Override
    public String format(LogRecord record) {
        JsonObjectBuilder line = Json.createObjectBuilder()
                .add("time", Instant.ofEpochMilli(record.getMillis()).toString())
                .add("level", record.getLevel().getName())
                .add("logger", String.valueOf(record.getLoggerName()))
                .add("node", node)
                .add("message", formatMessage(record));
        if (record.getThrown() != null) {
            line.add("error", record.getThrown().toString());
        }
        return line.build().toString() + System.lineSeparator();
    }
}
