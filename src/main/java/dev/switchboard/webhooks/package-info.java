/**
 * Webhooks: what happens on Switchboard, told to the site's back end as signed JSON events sent by
 * {@code POST}. Each receiving URL has a queue that is an engine log (so it is the same on every node,
 * bounded, and survives the node that wrote to it) and one sender: the node holding the URL's hold.
 * Knows no feature: features say what happened through {@link dev.switchboard.webhooks.Webhooks#emit}.
 */
package dev.switchboard.webhooks;
