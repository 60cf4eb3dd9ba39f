/** Timed server push: one shared ticker sends the server's time to every subscriber each second. */
package dev.switchboard.clock;
