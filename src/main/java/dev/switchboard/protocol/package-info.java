/**
 * The wire contract every endpoint shares (see docs/protocol.md): the one frame codec, the frames all
 * JSON endpoints send (error, pong, refreshed), client frames read against each endpoint's schema, error
 * codes and close codes. Each feature's own frames are records of a sealed family in its package.
 */
package dev.switchboard.protocol;
