/**
 * The authorization proxy: the site's back end asked, by a signed {@code POST}, whether a connection may
 * open, a user may join a room or say a message there, and what it answered.
 */
package dev.switchboard.proxy;
