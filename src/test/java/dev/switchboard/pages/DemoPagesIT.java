package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The demo pages in real headless Chromium, used as a person would: the home page and the navigation
 * bar, echo, clock and live, two people chatting, and switchboard.js keeping a connection past its
 * token. The three groups below were classes of their own, each booting a server of its own (a JVM per
 * class on Payara Micro) and starting a Chromium of its own; they share one server and one Chromium now.
 * Every test opens the page it needs first, in the tab it is in, and closes the tabs it opened; none
 * of these pages keeps anything in the tab's storage, and each test signs in under names of its own.
 */
class DemoPagesIT extends BrowserTest {

    // ---- Echo, clock, live and the pages' frame (was PagesIT) ----
    // The demo pages in real headless Chromium, used as a person would.

    @Test
    void homePageLinksToEveryDemo() {
        browser.get(server.http("").toString());
        List<String> links = browser.findElements(By.cssSelector("main a")).stream()
                .map(a -> a.getAttribute("href")).toList();
        assertTrue(links.stream().anyMatch(h -> h.endsWith("/echo.html")), "links: " + links);
        assertTrue(links.stream().anyMatch(h -> h.endsWith("/clock.html")), "links: " + links);
    }

    @Test
    void everyPageCarriesTheSameNavigationBar() throws Exception {
        List<String> pages;
        try (Stream<Path> files = Files.list(Path.of("webapp"))) {
            pages = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".html")).sorted().toList();
        }
        assertTrue(pages.containsAll(List.of("index.html", "chat.html", "support.html", "agent.html", "admin.html")), pages.toString());
        List<String> expected = List.of("Echo echo.html", "Clock clock.html", "Chat chat.html", "Live live.html",
                "Support support.html", "Agents agent.html", "Admin admin.html");
        for (String page : pages) {
            browser.get(server.http(page).toString());
            List<String> nav = browser.findElements(By.cssSelector("header.site nav a")).stream()
                    .map(a -> a.getText() + " " + a.getDomAttribute("href")).toList();
            assertEquals(expected, nav, page);
        }
    }

    @Test
    void echoPageConnectsSendsAndShowsTheMessageComingBack() {
        browser.get(server.http("echo.html").toString());
        WebElement state = browser.findElement(By.id("state"));
        assertEquals("closed", state.getText());
        browser.findElement(By.id("connect")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));

        String markup = "<b>not bold</b> & ünïcødé 👋";
        browser.findElement(By.id("message")).sendKeys(markup);
        browser.findElement(By.id("send")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.cssSelector("#received li .text"), markup));
        assertTrue(browser.findElements(By.cssSelector("#received b")).isEmpty(), "received text was rendered as HTML");

        browser.findElement(By.id("close")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "closed"));
    }

    @Test
    void echoPageShowsTheDropAndReconnectsByItself() {
        browser.get(server.http("echo.html").toString());
        browser.findElement(By.id("connect")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        // A message over the 64 KiB limit makes the server close with 1009; the client comes back.
        browser.executeScript("document.getElementById('message').value = 'x'.repeat(70000);");
        browser.findElement(By.id("send")).click();
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("notice"), java.util.regex.Pattern.compile(".*1009.*")));
        waitUpTo(40).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        browser.findElement(By.id("message")).sendKeys("back again");
        browser.findElement(By.id("send")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.cssSelector("#received li .text"), "back again"));
    }

    @Test
    void theClientLibraryFollowsThePageSchemeAndCapsItsBackoff() {
        browser.get(server.http("echo.html").toString());
        assertEquals("wss://example.org/app/ws/clock",
                browser.executeScript("return Switchboard.socketUrl('ws/clock', 'https://example.org/app/clock.html')"));
        assertEquals("ws://example.org/ws/echo",
                browser.executeScript("return Switchboard.socketUrl('/ws/echo', 'http://example.org/app/echo.html')"));
        String here = (String) browser.executeScript("return Switchboard.socketUrl('ws/echo')");
        assertTrue(here.startsWith("ws://127.0.0.1:") && here.endsWith("/ws/echo"), here);
        @SuppressWarnings("unchecked")
        List<Long> delays = (List<Long>) browser.executeScript(
                "const o = {initialDelay: 500, maxDelay: 30000, factor: 2};"
                        + "return Array.from({length: 2000}, (_, i) => Switchboard.backoffDelay(i % 20, o));");
        assertTrue(delays.stream().allMatch(d -> d >= 0 && d <= 30000), "every delay within [0, 30 s]");
        assertTrue(delays.stream().anyMatch(d -> d > 15000), "late attempts reach towards the cap");
        assertTrue(delays.stream().distinct().count() > 1000, "full jitter spreads the delays");
    }

    @Test
    void clockPageShowsTheServerTimeChanging() {
        browser.get(server.http("clock.html").toString());
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        String pattern = "\\d{4}\\.\\d{2}\\.\\d{2} \\d{2}:\\d{2}:\\d{2}";
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("time"), java.util.regex.Pattern.compile(pattern)));
        String first = browser.findElement(By.id("time")).getText();
        waitUpTo(10).until(d -> {
            String now = d.findElement(By.id("time")).getText();
            return now.matches(pattern) && !now.equals(first);
        });
    }

    @Test
    void livePageFliesCommentsAcrossTheStageAndSaysWhenToSlowDown() {
        browser.get(server.http("live.html?room=live-test").toString());
        browser.findElement(By.id("username")).sendKeys("viewer");
        browser.findElement(By.cssSelector("#login-form button")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        browser.findElement(By.id("comment")).sendKeys("wow 0");
        browser.findElement(By.id("send")).click();
        // Seven more at once, faster than the live limit (burst 5) allows, as an eager viewer would.
        browser.executeScript("for (let i = 1; i < 8; i++) window.switchboardChat.say('live-test', 'wow ' + i);");
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#stage .bullet.mine")).stream()
                .anyMatch(b -> b.getText().equals("viewer: wow 0")));
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("notice"), java.util.regex.Pattern.compile(".*live rooms take.*")));
    }

    // ---- The chat page (was ChatPageIT) ----
    // Two people chatting in real headless Chromium, and a page that survives a dropped connection.

    /** Opens the chat page in the current tab and signs in; returns the tab's handle. */
    private String signIn(String name, String room) {
        browser.get(server.http("chat.html?room=" + room).toString());
        browser.findElement(By.id("username")).sendKeys(name);
        browser.findElement(By.id("login-button")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        return browser.getWindowHandle();
    }

    private void say(String text) {
        browser.findElement(By.id("text")).sendKeys(text);
        browser.findElement(By.id("send")).click();
    }

    /** Edits one's own message (or whisper) shown with {@code text}: its text comes into the input, to correct and save. */
    private void editOwn(String text, String newText) {
        clickWhenThere(By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='" + text + "']]//button[@data-action='edit']"));
        WebElement input = browser.findElement(By.id("text"));
        assertEquals(text, input.getAttribute("value"), "the message's text, to correct");
        input.clear();
        input.sendKeys(newText);
        browser.findElement(By.id("send")).click();
    }

    private void waitForMessage(String text) {
        waitUpTo(10).until(d -> texts(d).contains(text));
    }

    /**
     * The texts of the message list, read in one script call: the page draws the list anew on some frames
     * (a deletion), and elements found one call before may be gone by the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver d) {
        return (List<String>) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll('#messages li .text')).map(e => e.textContent);");
    }

    @Test
    void theChatPanelStaysHiddenUntilSomeoneSignsIn() {
        browser.get(server.http("chat.html").toString());
        assertTrue(browser.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.findElement(By.id("app")).isDisplayed(), "no chat panel before a name is given");
        signIn("carla", "lobby");
        assertTrue(browser.findElement(By.id("app")).isDisplayed());
        assertFalse(browser.findElement(By.id("login")).isDisplayed());
    }

    @Test
    void twoUsersChatInARoomAndWhisper() {
        String alice = signIn("annika", "garden");
        browser.switchTo().newWindow(WindowType.TAB);
        String bob = signIn("benno", "garden");
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#members li")).size() == 2);

        browser.switchTo().window(alice);
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#members li")).size() == 2);
        say("<i>hello</i> benno");
        waitForMessage("<i>hello</i> benno");

        browser.switchTo().window(bob);
        waitForMessage("<i>hello</i> benno");
        assertEquals(0, browser.findElements(By.cssSelector("#messages i")).size(), "text, never HTML");
        browser.findElement(By.id("text")).sendKeys("hi annika"); // typed, not sent yet
        browser.switchTo().window(alice);
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("typing"), "benno is typing…"));
        browser.switchTo().window(bob);
        browser.findElement(By.id("send")).click();
        browser.switchTo().window(alice);
        waitForMessage("hi annika");
        // Otherwise the line would stay for the rest of its 3 s.
        assertEquals("", browser.findElement(By.id("typing")).getText(), "benno's message is here: no longer typing");
        browser.switchTo().window(bob);
        browser.findElement(By.cssSelector("#members button[data-whisper='annika']")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("title"), "Private with annika"));
        say("psst, annika");
        waitForMessage("psst, annika");
        By annikasStatus = By.xpath("//button[@data-key='@annika']/following-sibling::span[contains(@class,'status')]");
        waitUpTo(10).until(ExpectedConditions.textToBe(annikasStatus, "online"));

        browser.switchTo().window(alice);
        WebElement privateConversation = waitUpTo(10).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#conversations button[data-key='@benno']")));
        assertEquals("1", browser.findElement(By.cssSelector("#conversations .unread")).getText(), "one unread");
        privateConversation.click();
        waitForMessage("psst, annika");
        By bennosStatus = By.xpath("//button[@data-key='@benno']/following-sibling::span[contains(@class,'status')]");
        waitUpTo(10).until(ExpectedConditions.textToBe(bennosStatus, "online"));

        browser.switchTo().window(bob);
        // annika opened the conversation: benno's whisper went sent, delivered, read.
        waitUpTo(10).until(ExpectedConditions.attributeToBe(By.cssSelector("#messages li.mine .receipt"), "data-receipt", "read"));
        // Whispers are edited and answered as room messages are.
        editOwn("psst, annika", "psst, annika!");
        waitForMessage("psst, annika!");
        browser.switchTo().window(alice);
        waitForMessage("psst, annika!");
        clickWhenThere(By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='psst, annika!']]//button[@data-action='reply']"));
        say("what?");
        waitForMessage("what?");
        browser.switchTo().window(bob);
        By quote = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='what?']]/span[@class='quote']");
        waitUpTo(10).until(ExpectedConditions.textToBe(quote, "↪ benno: psst, annika!"));
        browser.close();
        browser.switchTo().window(alice);
        // Once benno has had no connection for the offline grace (4 s on the test servers), annika sees it.
        waitUpTo(30).until(ExpectedConditions.textToBePresentInElementLocated(bennosStatus, "last seen"));
    }

    @Test
    void aModeratorMutesSomeoneAndDeletesTheirMessageFromTheMessageList() throws Exception {
        String room = "page-moderated";
        String student = signIn("page-student", room);
        browser.switchTo().newWindow(WindowType.TAB);
        // A site that mints its own tokens hands the page one with grants, in the address's fragment.
        String token = Tokens.mintWithGrants("page-teacher", Map.of(room, List.of("moderate")), java.time.Instant.now().plusSeconds(3600));
        browser.get(server.http("chat.html?room=" + room).toString() + "#token=" + token);
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        String teacher = browser.getWindowHandle();
        assertEquals("page-teacher", browser.findElement(By.id("me")).getText());

        browser.switchTo().window(student);
        say("first!!1");
        browser.switchTo().window(teacher);
        waitForMessage("first!!1");
        By mute = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='first!!1']]//button[@data-action='mute']");
        clickWhenThere(mute);

        browser.switchTo().window(student);
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-status"), "You are muted here until"));
        say("let me speak");
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "(muted)"));
        assertFalse(texts(browser).contains("let me speak"), "a muted user's say is not posted");

        browser.switchTo().window(teacher);
        By delete = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='first!!1']]//button[@data-action='delete']");
        clickWhenThere(delete);
        browser.switchTo().window(student);
        waitForMessage("(deleted)");
        assertFalse(texts(browser).contains("first!!1"), "gone from every member's list");

        browser.switchTo().window(teacher);
        browser.close();
        browser.switchTo().window(student);
    }

    @Test
    void aUserTheSiteDisconnectsIsClosedForGoodNotReconnected() throws Exception { // protocol.md: 4003, not reconnected
        signIn("page-kicked", "lobby");
        assertEquals(200, server.api("api/users/page-kicked/disconnect", "").statusCode());
        // 'closed' is the state of a client that schedules no reconnect; one that will reconnect says 'disconnected'.
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "closed"));
    }

    @Test
    void olderMessagesLoadAboveTheRecentOnesTheJoinShowed() throws Exception {
        for (int i = 1; i <= 8; i++) {
            assertEquals(200, server.api("api/publish", "{\"room\":\"paged:page\",\"text\":\"old " + i + "\"}").statusCode());
        }
        signIn("page-scroller", "paged:page");
        waitForMessage("old 8");
        assertEquals(List.of("old 6", "old 7", "old 8"), texts(browser), "the namespace replays 3");
        clickWhenThere(By.id("older"));
        waitUpTo(10).until(d -> texts(d).size() == 8);
        assertEquals(List.of("old 1", "old 2", "old 3", "old 4", "old 5", "old 6", "old 7", "old 8"), texts(browser));
        waitUpTo(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("older"))); // nothing older is kept
    }

    @Test
    void anAuthorEditsAndDeletesTheirOwnMessageAndAReplyQuotesIt() {
        String writer = signIn("page-editor", "edits");
        browser.switchTo().newWindow(WindowType.TAB);
        String reader = signIn("page-watcher", "edits");
        browser.switchTo().window(writer);
        say("helo wrld");
        waitForMessage("helo wrld");
        editOwn("helo wrld", "hello world");
        waitForMessage("hello world");

        browser.switchTo().window(reader);
        waitForMessage("hello world");
        assertFalse(texts(browser).contains("helo wrld"), "the old text is gone");
        waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#messages li .edited")).isEmpty());
        clickWhenThere(By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='hello world']]//button[@data-action='reply']"));
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("replying-to"), "Replying to page-editor: hello world"));
        say("agreed");
        waitForMessage("agreed");

        browser.switchTo().window(writer);
        By quote = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='agreed']]/span[@class='quote']");
        waitUpTo(10).until(ExpectedConditions.textToBe(quote, "↪ page-editor: hello world"));
        clickWhenThere(By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='hello world']]//button[@data-action='delete']"));
        browser.switchTo().window(reader);
        waitForMessage("(deleted)");
        assertFalse(texts(browser).contains("hello world"));
        By replysQuote = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='agreed']]/span[@class='quote']");
        waitUpTo(10).until(ExpectedConditions.textToBe(replysQuote, "↪ (deleted)")); // the reply no longer shows what was taken back
        browser.switchTo().window(writer);
        browser.close();
        browser.switchTo().window(reader);
    }

    @Test
    void twoMembersReactToAMessageAndSeeEachOthersReactions() {
        String author = signIn("page-poster", "reacts");
        browser.switchTo().newWindow(WindowType.TAB);
        String fan = signIn("page-fan", "reacts");
        browser.switchTo().window(author);
        say("we shipped");
        waitForMessage("we shipped");

        browser.switchTo().window(fan);
        waitForMessage("we shipped");
        By picker = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='we shipped']]//select[contains(@class,'react')]");
        waitUpTo(10).until(d -> {
            try {
                new org.openqa.selenium.support.ui.Select(d.findElement(picker)).selectByValue("🎉");
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException notYet) {
                return false;
            }
        });
        By chip = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='we shipped']]//button[@data-emoji='🎉']");
        waitUpTo(10).until(ExpectedConditions.textToBe(chip, "🎉 1"));
        waitUpTo(10).until(d -> d.findElement(chip).getAttribute("class").contains("mine"));

        browser.switchTo().window(author);
        waitUpTo(10).until(ExpectedConditions.textToBe(chip, "🎉 1"));
        clickWhenThere(chip); // the author gives it too
        waitUpTo(10).until(ExpectedConditions.textToBe(chip, "🎉 2"));

        browser.switchTo().window(fan);
        waitUpTo(10).until(ExpectedConditions.textToBe(chip, "🎉 2"));
        clickWhenThere(chip); // and the fan takes theirs back
        waitUpTo(10).until(ExpectedConditions.textToBe(chip, "🎉 1"));
        browser.switchTo().window(author);
        waitUpTo(10).until(ExpectedConditions.textToBe(chip, "🎉 1"));
        // The fan's page, in view, has read the room: the author sees it under the last message.
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("seen"), "Seen by page-fan"));
        browser.switchTo().window(fan);
        browser.close();
        browser.switchTo().window(author);
    }

    @Test
    void aReadOnlyRoomShowsNoInput() {
        signIn("page-reader", "news:page");
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("room-status"), "Read-only: only the site posts here."));
        assertFalse(browser.findElement(By.id("say-form")).isDisplayed(), "no input where only the server speaks");
    }

    @Test
    void aPageSurvivesAForcedReconnectWithItsHistoryIntact() {
        String reader = signIn("rita", "news");
        browser.switchTo().newWindow(WindowType.TAB);
        String writer = signIn("walt", "news");
        say("first");
        waitForMessage("first");

        browser.switchTo().window(reader);
        waitForMessage("first");
        // Drop the reader's connection and hold its reconnect until the test lets it go.
        browser.executeScript("const s = window.switchboardChat.socket;"
                + "Math.random = () => 1; s.options.initialDelay = 1e9; s.options.maxDelay = 1e9; s._ws.close();");
        waitUpTo(5).until(ExpectedConditions.textToBe(By.id("state"), "disconnected"));

        browser.switchTo().window(writer);
        say("while you were away 1");
        say("while you were away 2");
        waitForMessage("while you were away 2");

        browser.switchTo().window(reader);
        assertEquals("disconnected", browser.findElement(By.id("state")).getText(), "still away while they were sent");
        say("typed while offline");
        // The browser comes back online: the client reconnects at once and resumes from its offset.
        browser.executeScript("window.dispatchEvent(new Event('online'));");
        waitUpTo(15).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        waitForMessage("while you were away 2");
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("notice"), "Reconnected: missed messages recovered."));
        waitForMessage("typed while offline");
        browser.switchTo().window(writer);
        waitForMessage("typed while offline");
        say("after");
        assertEquals(1, texts(browser).stream().filter("typed while offline"::equals).count(), "sent once, after the reconnect");
        browser.switchTo().window(reader);
        waitForMessage("after");
        assertEquals(List.of("first", "while you were away 1", "while you were away 2", "typed while offline", "after"),
                texts(browser).stream().filter(t -> !t.contains("joined") && !t.contains("left")).toList(),
                "everything once, in order, the history before the drop still there");

        browser.switchTo().window(writer);
        browser.close();
        browser.switchTo().window(reader);
    }

    // ---- Token lifetime in switchboard.js (was TokenLifetimePageIT) ----
    // switchboard.js with tokens that last ten seconds, in headless Chromium: it refreshes them on the
    // open connection, and after a 4002 (no fresh token could be had in time) it fetches one and reconnects.

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

    /** Where both tests start (their class's @BeforeEach before; here only they need it). */
    private void openPage() {
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
        openPage();
        browser.executeAsyncScript(START, "lena", 10);
        waitUpTo(40).until(d -> count("refreshed") >= 2); // the second after the first token's expiry
        assertEquals(0, count("close"), "never closed: " + events());
        assertEquals(1, count("welcome"), "one connection throughout: " + events());
        assertEquals("connected", browser.executeScript("return window.chat.state;"));
    }

    @Test
    void afterA4002TheClientFetchesATokenAndReconnects() {
        openPage();
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
