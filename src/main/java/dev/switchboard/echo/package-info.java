/** The echo service: every frame comes back unchanged, over WebSocket or plain HTTP on the same URL. */
package dev.switchboard.echo;
