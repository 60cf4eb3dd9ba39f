/**
 * The meters every part of Switchboard counts into: one Micrometer registry per node, written in
 * Prometheus's text format at {@code /metrics} (see {@code ops}). Knows no feature: each part names and
 * counts its own meters through the {@link io.micrometer.core.instrument.MeterRegistry} it is given.
 */
package dev.switchboard.metrics;
