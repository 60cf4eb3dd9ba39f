/** Settings read from system properties and environment variables, and the server's executors. */
package dev.switchboard.config;
