package dev.switchboard.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * One channel's traffic, counted for {@code /metrics}: connections open, opened and closed (by close
 * code: 4000 is a heartbeat timeout, 4001 a send queue overflow, 1008 a flood), frames and bytes each way.
 */
final class ChannelMeters {

    private final MeterRegistry meters;
    private final String endpoint;
    final Counter connects;
    final Counter framesIn;
    final Counter bytesIn;
    final Counter framesOut;
    final Counter bytesOut;

    ChannelMeters(MeterRegistry meters, Channel channel, Map<String, Connection> open) {
        this.meters = meters;
        this.endpoint = channel.name();
        Gauge.builder("switchboard.connections", open, Map::size).tag("endpoint", endpoint)
                .description("WebSocket connections open").register(meters);
        connects = Counter.builder("switchboard.connects").tag("endpoint", endpoint)
                .description("WebSocket connections opened").register(meters);
        framesIn = Counter.builder("switchboard.frames.in").tag("endpoint", endpoint)
                .description("Frames received (messages and pongs)").register(meters);
        bytesIn = Counter.builder("switchboard.frames.in.bytes").tag("endpoint", endpoint)
                .description("Bytes of frames received").baseUnit("bytes").register(meters);
        framesOut = Counter.builder("switchboard.frames.out").tag("endpoint", endpoint)
                .description("Frames written (messages and pings)").register(meters);
        bytesOut = Counter.builder("switchboard.frames.out.bytes").tag("endpoint", endpoint)
                .description("Bytes of frames written (replies by a typical size)").baseUnit("bytes").register(meters);
    }

    void written(long bytes) {
        framesOut.increment();
        bytesOut.increment(bytes);
    }

    void closed(int code) {
        Counter.builder("switchboard.disconnects").tag("endpoint", endpoint).tag("code", Integer.toString(code))
                .description("WebSocket connections closed, by close code").register(meters).increment();
    }
}
