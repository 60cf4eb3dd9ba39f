/**
 * What tests share: for in-container tests the deployment, real WebSocket clients and a server
 * probe; for unit tests an HTTP exchange without a server.
 */
package dev.switchboard.testing;
