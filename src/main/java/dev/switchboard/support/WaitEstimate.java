package dev.switchboard.support;

import java.util.List;
import java.util.Optional;

/**
 * How long a customer may still wait, as a range and never as a promise. The first in line may be
 * next at any moment (a seat can free now) and comes up once one seat has freed; the p-th once
 * p seats have, and each of the department's seats frees once per handle time. So, in seconds:
 * {@code low = (position - 1) × Q1 ÷ seats} and {@code high = position × Q3 ÷ seats}, rounded, with Q1
 * and Q3 the lower and upper quartiles of the recent handle times; until a few conversations were
 * handled, half and one and a half times a configured handle time stand in for them.
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
