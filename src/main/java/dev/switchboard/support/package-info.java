/**
 * The customer-support desk (issue 10, under way): customers queue with a live position and an honest
 * wait, agents take conversations within their capacity, fairly, and lose them back to the queue when
 * they are gone. {@link dev.switchboard.support.Desk} holds the rules over one shared document.
 */
package dev.switchboard.support;
