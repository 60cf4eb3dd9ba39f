package dev.switchboard.support;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints the bcrypt hash of a password, for {@code switchboard.support.accounts}; the password is
 * read from the terminal (not echoed) or from standard input, never from the command line.
 * {@code mvn -q compile exec:java -Dexec.mainClass=dev.switchboard.support.PasswordHash}
 */
public final class PasswordHash {

    /** bcrypt's work factor: about a tenth of a second per check on a server core. */
    static final int COST = 10;

    private PasswordHash() {
    }

    public static void main(String[] args) throws IOException {
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length < 8) {
            System.err.println("A password is at least 8 characters");
            System.exit(2);
        }
        System.out.println(BCrypt.withDefaults().hashToString(COST, password));
    }
}
