/**
 * Who is online and which rooms are occupied, as the site is told: a user comes online with their first
 * chat connection on any node and goes offline only after a grace with none on every node (a reload is
 * no news), each change decided once for the whole cluster. It feeds the webhooks ({@code user.online},
 * {@code room.vacated}), the status API and the {@code watch} frame.
 */
package dev.switchboard.online;
