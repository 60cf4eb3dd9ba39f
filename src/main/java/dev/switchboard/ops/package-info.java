/**
 * Operating Switchboard (issue 11, under way): health for load balancers and orchestrators. Metrics,
 * the publish API, the admin page and the drain's readiness follow.
 */
package dev.switchboard.ops;
