package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageSizeTest {

    // Lone surrogates are left out: a decoded WebSocket text frame is valid UTF-8 and cannot hold one.

    @ParameterizedTest
    @ValueSource(strings = {"", "ascii", "héllo", "世界", "👋🏽", "mixed é 世 👋 end", "\u0000"})
    void countsTheSameBytesAsEncoding(String text) {
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, MessageSize.utf8Length(text));
    }
}
