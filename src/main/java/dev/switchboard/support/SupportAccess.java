package dev.switchboard.support;

import dev.switchboard.security.Role;
import dev.switchboard.security.TokenGuarded;
import jakarta.enterprise.context.ApplicationScoped;

/** The desk's endpoint takes customers', agents' and supervisors' tokens; a plain chat token has no role there. */
@ApplicationScoped
public class SupportAccess implements TokenGuarded {

    static final String PATH = "/ws/support";

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public boolean admits(Role role) {
        return role == Role.CUSTOMER || role.isStaff();
    }
}
