package dev.switchboard.chat;

import dev.switchboard.security.NameKeeper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A name with whispers waiting for it is someone's: the token issuer gives it to nobody else. */
@ApplicationScoped
public class WaitingWhispers implements NameKeeper {

    @Inject
    Whispers whispers;

    @Override
    public boolean keeps(String name) {
        return whispers.waitingFor(name);
    }
}
