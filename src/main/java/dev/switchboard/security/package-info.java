/** Who may connect: signed chat tokens, names, and the WebSocket handshake's token and origin checks. */
package dev.switchboard.security;
