package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    @Test
    void refusalsAreLoggedWithWhoAndWhyAtMostSixtyAMinuteAndClientTextCannotForgeLines() {
        Logger logger = Logger.getLogger(RefusalLog.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            RefusalLog log = new RefusalLog();
            for (int i = 0; i < 100; i++) {
                log.refused("chat handshake (401 invalid_token)", "address 127.0.0.1", "bad token\nINFO: forged " + i);
            }
            assertEquals(RefusalLog.LINES_PER_MINUTE, lines.size(), "a flood of refusals is not a flood of lines");
            String first = lines.get(0);
            assertTrue(first.contains("chat handshake (401 invalid_token)") && first.contains("127.0.0.1"), first);
            assertFalse(first.contains("\n"), "a client's text cannot start a log line of its own: " + first);
        } finally {
            logger.removeHandler(handler);
        }
    }
}
