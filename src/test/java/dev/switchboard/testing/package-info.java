/** What every in-container test shares: the deployment, real WebSocket clients and a server probe. */
package dev.switchboard.testing;
