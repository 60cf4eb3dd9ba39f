/** Who is connected, and the one per-session sender every outgoing frame goes through. */
package dev.switchboard.session;
