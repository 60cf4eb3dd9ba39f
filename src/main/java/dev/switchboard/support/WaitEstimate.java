package dev.switchboard.support;

import java.util.List;
import java.util.Optional;

/**
 * How long a customer may still wait, as a range and never as a promise: their position divided by the
 * seats of the agents online and available (each seat frees once per handle time), times the recent
 * handle times' lower and upper quartiles. Until a few conversations were handled, a configured handle
 * time stands in for them (half to one and a half of it).
 */
public record WaitEstimate(long lowSeconds, long highSeconds) {

    /** Handle times needed before they replace the configured one. */
    static final int ENOUGH_SAMPLES = 5;

    /** Empty when no seat is there to wait for (no agent online and available). */
    public static Optional<WaitEstimate> of(int position, int seats, List<Long> handleMillis, long usualHandleMillis) {
        if (seats <= 0 || position <= 0) {
            return Optional.empty();
        }
        double lowHandle;
        double highHandle;
        if (handleMillis.size() < ENOUGH_SAMPLES) {
            lowHandle = usualHandleMillis * 0.5;
            highHandle = usualHandleMillis * 1.5;
        } else {
            List<Long> sorted = handleMillis.stream().sorted().toList();
            lowHandle = quantile(sorted, 0.25);
            highHandle = quantile(sorted, 0.75);
        }
        long low = Math.round((position - 1) * lowHandle / seats / 1000);
        long high = Math.max(low, Math.round(position * highHandle / seats / 1000));
        return Optional.of(new WaitEstimate(low, high));
    }

    /** Linear between the nearest ranks. */
    private static double quantile(List<Long> sorted, double q) {
        double rank = q * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (rank - below);
    }
}
