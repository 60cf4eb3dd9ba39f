package dev.switchboard.support;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.security.Names;
import dev.switchboard.security.Role;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agents and supervisors who log in with a password, from {@link Setting#SUPPORT_ACCOUNTS}: a name, a
 * role, a bcrypt hash, and optionally a capacity and departments each. A wrong password and an
 * unknown name take the same time (an unknown name is checked against a hash of nothing).
 */
@ApplicationScoped
public class Accounts {

    /** One account, as configured. */
    public record Account(String name, Role role, String hash, int capacity, List<String> departments) {
    }

    /** Checked when the name is unknown, so that the answer takes as long as for a known one. */
    private static final String NO_ONES_HASH = BCrypt.withDefaults().hashToString(10, "no one".toCharArray());

    @Inject
    SwitchboardConfig config;

    private final Map<String, Account> byName = new HashMap<>();
    private int defaultCapacity;

    @PostConstruct
    void readSettings() {
        defaultCapacity = config.positiveInt(Setting.SUPPORT_CAPACITY);
        String setting = config.text(Setting.SUPPORT_ACCOUNTS);
        for (String entry : setting.split(",")) {
            if (!entry.isBlank()) {
                Account account = parse(entry.trim());
                byName.put(account.name(), account);
            }
        }
    }

    private Account parse(String entry) {
        String[] parts = entry.split(":", -1);
        String problem = null;
        if (parts.length < 3 || parts.length > 5) {
            problem = "has " + parts.length + " parts, not 3 to 5";
        } else if (!Names.isUser(parts[0])) {
            problem = "has a name that is not 1-32 letters, digits, '_', '-', '.'";
        } else if (!parts[1].equals("agent") && !parts[1].equals("supervisor")) {
            problem = "has role '" + parts[1] + "', not agent or supervisor";
        } else if (!parts[2].matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            problem = "has no bcrypt hash ($2a$, $2b$ or $2y$, 60 characters)";
        } else if (parts.length >= 4 && !parts[3].matches("[1-9]\\d{0,2}")) {
            problem = "has capacity '" + parts[3] + "', not a whole number from 1 to 999";
        }
        if (problem != null) {
            throw new IllegalStateException("Setting " + Setting.SUPPORT_ACCOUNTS.property() + ": the account '"
                    + parts[0] + "' " + problem + "; write name:role:hash[:capacity[:department+department]]");
        }
        int capacity = parts.length >= 4 ? Integer.parseInt(parts[3]) : defaultCapacity;
        List<String> departments = parts.length == 5 && !parts[4].isBlank()
                ? Arrays.stream(parts[4].split("\\+")).map(String::trim).toList() : List.of();
        return new Account(parts[0], parts[1].equals("agent") ? Role.AGENT : Role.SUPERVISOR, parts[2], capacity, departments);
    }

    /** The account whose name and password these are; empty for a wrong password or an unknown name. */
    public Optional<Account> verify(String name, String password) {
        Account account = byName.get(name);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        boolean matches = BCrypt.verifyer().verify(given, (account == null ? NO_ONES_HASH : account.hash())
                .getBytes(StandardCharsets.UTF_8)).verified;
        return matches && account != null ? Optional.of(account) : Optional.empty();
    }

    /** An agent's capacity and departments: from their account, or the defaults (an outside provider's agents). */
    public Account settingsOf(String name, Role role) {
        Account account = byName.get(name);
        return account != null ? account : new Account(name, role, null, defaultCapacity, List.of());
    }

    /** Whether anyone may log in with a password here. */
    public boolean any() {
        return !byName.isEmpty();
    }
}
