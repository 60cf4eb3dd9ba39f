package dev.switchboard.chat;

import dev.switchboard.security.Role;
import dev.switchboard.security.TokenGuarded;
import jakarta.enterprise.context.ApplicationScoped;

/** Chat's endpoint takes tokens of users, agents and supervisors; a support customer's token is for the desk only. */
@ApplicationScoped
public class ChatAccess implements TokenGuarded {

    @Override
    public String path() {
        return "/ws/chat";
    }

    @Override
    public boolean admits(Role role) {
        return role != Role.CUSTOMER;
    }
}
