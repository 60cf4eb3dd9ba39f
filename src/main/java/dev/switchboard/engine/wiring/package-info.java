/**
 * Which engine runs: {@code switchboard.redis.url} set means Redis, unset means memory. The one place
 * that knows both; everything else injects the {@code engine} interfaces.
 */
package dev.switchboard.engine.wiring;
