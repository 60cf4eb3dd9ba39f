/**
 * Operating Switchboard: health for load balancers and orchestrators ({@code /health/live},
 * {@code /health/ready}), Prometheus metrics at {@code /metrics}, the bus's measured lag, and what the
 * admin page reads ({@code /api/admin}).
 */
package dev.switchboard.ops;
