package dev.switchboard.security;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a token lets its holder be, from its {@code role} claim: a chat user (no claim), a support
 * customer (tokens from {@code POST /api/support/token}), or a support agent or supervisor (tokens
 * from {@code POST /api/support/login}, or an outside identity provider's with the claim).
 */
public enum Role {
    USER, CUSTOMER, AGENT, SUPERVISOR;

    /** The claim that names the role. */
    public static final String CLAIM = "role";

    /** The role a claim names; a missing or unknown one is a plain user. */
    public static Role ofClaim(Object claim) {
        if (!(claim instanceof String name)) {
            return USER;
        }
        return Arrays.stream(values()).filter(r -> r.claimValue().equals(name.toLowerCase(Locale.ROOT)))
                .findFirst().orElse(USER);
    }

    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Agents and supervisors work the desk. */
    public boolean isStaff() {
        return this == AGENT || this == SUPERVISOR;
    }
}
