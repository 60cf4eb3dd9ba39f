/** The wire contract: the JSON envelope, its codecs, error codes and close codes (see docs/protocol.md). */
package dev.switchboard.protocol;
