package dev.switchboard.security;

/**
 * Says whether a name is someone's even while nobody holds a token or a connection for it (say,
 * messages wait for them). Features above implement it; the name claims ask every one.
 */
public interface NameKeeper {

    boolean keeps(String name);
}
