/** Switchboard: real-time messaging over WebSocket for Jakarta EE servers, one package per feature. */
package dev.switchboard;
