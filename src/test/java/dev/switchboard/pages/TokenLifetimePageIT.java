package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * switchboard.js with tokens that last ten seconds, in headless Chromium: it refreshes them on the
 * open connection, and after a 4002 (no fresh token could be had in time) it fetches one and reconnects.
 */
class TokenLifetimePageIT extends BrowserTest {

    /** The page's script: a chat whose getToken fetches short tokens (and fails while told to), recording events. */
    private static final String START = """
            const [user, seconds, done] = arguments;
            const record = window.record = { fetched: 0, failing: false, events: [] };
            const getToken = () => {
              if (record.failing) return Promise.reject(new Error('no token now'));
              record.fetched++;
              return fetch('test-token?user=' + user + '&seconds=' + seconds).then((r) => r.json()).then((t) => {
                record.events.push({ type: 'token', expiresAt: t.expiresAt, t: Date.now() });
                return t;
              });
            };
            getToken().then((first) => {
              const chat = window.chat = Switchboard.chat({ token: first.token, expiresAt: first.expiresAt, getToken: getToken });
              for (const type of ['welcome', 'refreshed', 'close', 'error']) {
                chat.addEventListener(type, (e) => record.events.push({ type: type, code: e.detail.code || null, t: Date.now() }));
              }
              const send = chat.socket.send.bind(chat.socket);
              chat.socket.send = (data) => {
                const sent = send(data);
                if (data.indexOf('"refresh"') > 0) record.events.push({ type: 'sent refresh', sent: sent, t: Date.now() });
                return sent;
              };
              done(true);
            });
            """;

    @BeforeEach
    void openPage() {
        browser.get(server.http("chat.html").toString());
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> events() {
        return (List<Map<String, Object>>) browser.executeScript("return window.record.events;");
    }

    private long count(String type) {
        return events().stream().filter(e -> type.equals(e.get("type"))).count();
    }

    @Test
    void tokensAreRefreshedOnTheOpenConnectionBeforeTheyExpire() {
        browser.executeAsyncScript(START, "lena", 10);
        waitUpTo(40).until(d -> count("refreshed") >= 2); // the second after the first token's expiry
        assertEquals(0, count("close"), "never closed: " + events());
        assertEquals(1, count("welcome"), "one connection throughout: " + events());
        assertEquals("connected", browser.executeScript("return window.chat.state;"));
    }

    @Test
    void afterA4002TheClientFetchesATokenAndReconnects() {
        browser.executeAsyncScript(START + "record.failing = true;", "milo", 10);
        waitUpTo(30).until(d -> count("close") >= 1);
        Map<String, Object> close = events().stream().filter(e -> "close".equals(e.get("type"))).findFirst().orElseThrow();
        assertEquals(4002L, close.get("code"), "the server ended the connection at the token's expiry: " + events());
        browser.executeScript("window.record.failing = false;");
        waitUpTo(30).until(d -> count("welcome") >= 2);
        assertTrue((Long) browser.executeScript("return window.record.fetched;") >= 2, "a fresh token was fetched");
        assertEquals("connected", browser.executeScript("return window.chat.state;"));
    }
}
