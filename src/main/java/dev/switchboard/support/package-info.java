/**
 * The customer-support desk: customers queue with a live position and an honest wait, agents take
 * conversations within their capacity, fairly, and lose them back to the queue when they are gone;
 * supervisors watch the whole desk. {@link dev.switchboard.support.Desk} holds the rules over one shared
 * document in the engine.
 */
package dev.switchboard.support;
