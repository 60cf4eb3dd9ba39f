/**
 * How features answer clients, the same everywhere: replies, refusals counted as strikes, rate limits
 * per user, and idempotent messages by client id over the engine's acknowledgements.
 */
package dev.switchboard.reply;
