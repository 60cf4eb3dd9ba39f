package dev.switchboard.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every thread of this JVM, grouped by what it is doing, written beside the test reports when something
 * stalls that should not (Tomcat's embedded server runs in the tests' JVM, so its threads are here too).
 * `.ci/run` prints these files when a run fails: CI keeps only the tail of its output.
 */
final class ThreadDump {

    private static final int FRAMES = 12;

    private ThreadDump() {
    }

    /** Writes the dump and says where, for the failure's message. */
    static String write(String why) {
        Map<String, Integer> groups = new TreeMap<>();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            StringBuilder group = new StringBuilder(thread.getThreadState().toString());
            if (thread.getLockName() != null) {
                group.append(" on ").append(thread.getLockName()).append(" held by ").append(thread.getLockOwnerName());
            }
            StackTraceElement[] stack = thread.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, stack.length); i++) {
                group.append("\n    at ").append(stack[i]);
            }
            groups.merge(group.toString(), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder("# " + Instant.now() + " " + why + "\n");
        groups.forEach((group, count) -> text.append(count).append(" x ").append(group).append('\n'));
        try {
            Path folder = Files.createDirectories(Path.of("target", "thread-dumps"));
            Path file = folder.resolve("threads-" + System.currentTimeMillis() + ".txt");
            Files.writeString(file, text);
            return "threads at that moment: " + file;
        } catch (IOException e) {
            return "the thread dump could not be written: " + e;
        }
    }
}
