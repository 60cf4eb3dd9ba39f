/**
 * Settings read from system properties and environment variables, and where Switchboard's own work runs:
 * a timer that only times, and a bounded work pool for whatever may block.
 */
package dev.switchboard.config;
