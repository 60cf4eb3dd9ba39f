/**
 * The server API: what a site's own back end does with the API key ({@code switchboard.api.key}):
 * publish into rooms, send to users, list rooms and read their history, disconnect a user; each
 * retried request with the same {@code Idempotency-Key} answered as the first was. Described by
 * {@code /api/openapi.json}.
 */
package dev.switchboard.api;
