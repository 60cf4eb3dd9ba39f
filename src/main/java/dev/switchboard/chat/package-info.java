/** Chat: rooms with history and recovery, private messages with offline inboxes, presence and typing. */
package dev.switchboard.chat;
