package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The support desk's pages and the admin page in headless Chromium, as customers, agents and operators
 * use them. The two groups below were classes of their own, each booting a server of its own (a JVM per
 * class on Payara Micro) and starting a Chromium of its own; they share one server and one Chromium now.
 * The desk's first story needs a desk no agent has logged in to yet, so the desk's stories run first, in
 * order; the admin page's test runs after them (no order of its own) and counts nothing exactly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first story needs a desk no agent has logged in to yet
class SupportAndAdminPagesIT extends BrowserTest {

    // ---- The support desk (was SupportPagesIT) ----
    // The desk's two pages: a customer who finds nobody there leaves a message without typing it again; a
    // customer asks for help, an agent logs in and answers (each side sees the other typing until the
    // message comes), transfers the conversation to a colleague who reads it whole, the customer reloads and
    // misses nothing, and rates the conversation once it is closed.

    private static final String PASSWORD = "desk-password-1";

    private String agentLogsIn(String name) {
        browser.get(server.http("agent.html").toString());
        browser.findElement(By.id("agent-name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-button")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        return browser.getWindowHandle();
    }

    private static List<String> lines(WebDriver d, String css) {
        return d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** One side of a conversation: its tab, and where it types, sends, sees the other typing, and reads. */
    private record Side(String window, String input, String send, String typingLine, String log) {
    }

    /**
     * The text typed on one side shows the other side that they are typing; once it is sent, its arrival
     * empties that line at once (otherwise it would stay for the rest of its 3 s). Ends on the other side.
     */
    private void typesThenSends(Side from, Side to, String text, String typingShown) {
        browser.switchTo().window(from.window());
        typeWhenThere(By.cssSelector(from.input()), text);
        browser.switchTo().window(to.window());
        waitUpTo(10).until(ExpectedConditions.textToBe(By.cssSelector(to.typingLine()), typingShown));
        browser.switchTo().window(from.window());
        browser.findElement(By.cssSelector(from.send())).click();
        browser.switchTo().window(to.window());
        waitUpTo(10).until(d -> lines(d, to.log()).contains(text));
        assertEquals("", browser.findElement(By.cssSelector(to.typingLine())).getText(), "'" + text + "' is here: no longer typing");
    }

    @Test
    @Order(1)
    void withNoAgentOnlineACustomerLeavesAMessageWithoutTypingItAgain() {
        browser.get(server.http("support.html").toString());
        browser.findElement(By.id("name")).sendKeys("Rosa");
        browser.findElement(By.id("email")).sendKeys("rosa@example.com");
        browser.findElement(By.id("first")).sendKeys("my order never came");
        browser.findElement(By.id("start-button")).click();
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("leave")));
        assertEquals("rosa@example.com", browser.findElement(By.id("leave-email")).getDomProperty("value"),
                "the email given at the start");
        assertEquals("my order never came", browser.findElement(By.id("leave-text")).getDomProperty("value"),
                "the first message typed at the start");
        browser.findElement(By.id("leave-send")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("left"), "Thank you: your message is with us."));
        // The desk's answer (its status line sits in the hidden chat panel, so read as text content).
        waitUpTo(10).until(d -> "Your message is waiting for an agent.".equals(
                d.findElement(By.id("status")).getDomProperty("textContent")));
    }

    @Test
    @Order(2)
    void aCustomerAndAgentsTalkThroughATransferAndAReload() {
        String ann = agentLogsIn("ann");
        browser.findElement(By.id("status")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("status"), "Go away"));

        browser.switchTo().newWindow(WindowType.TAB);
        String customer = browser.getWindowHandle();
        browser.get(server.http("support.html").toString());
        browser.findElement(By.id("name")).sendKeys("Quinn <b>");
        browser.findElement(By.id("first")).sendKeys("hello, I need help");
        browser.findElement(By.id("start-button")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        waitUpTo(10).until(d -> d.findElement(By.id("status")).getText().contains("ann"));

        browser.switchTo().window(ann);
        waitUpTo(10).until(d -> lines(d, ".conversation .chat-log .text").contains("hello, I need help"));
        assertTrue(browser.findElement(By.cssSelector(".conversation .title")).getText().startsWith("Quinn <b>"),
                "names are text, never markup");
        Side annSide = new Side(ann, ".conversation input.reply", ".conversation .send", ".conversation .typing",
                ".conversation .chat-log .text");
        Side customerSide = new Side(customer, "#text", "#send", "#typing", "#messages .text");
        typesThenSends(annSide, customerSide, "hi Quinn", "ann is typing…");
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("status"), "ann is with you."));
        typesThenSends(customerSide, annSide, "thank you", "Quinn <b> is typing…");
        browser.switchTo().window(customer);

        browser.switchTo().newWindow(WindowType.TAB);
        String bob = agentLogsIn("bob"); // stays away: a transfer may still go to him

        browser.switchTo().window(ann);
        waitUpTo(10).until(d -> new Select(d.findElement(By.cssSelector(".conversation .transfer-to"))).getOptions()
                .stream().anyMatch(o -> o.getText().equals("bob")));
        new Select(browser.findElement(By.cssSelector(".conversation .transfer-to"))).selectByVisibleText("bob");
        browser.findElement(By.cssSelector(".conversation .transfer")).click();
        waitUpTo(10).until(d -> d.findElements(By.cssSelector(".conversation")).isEmpty());

        browser.switchTo().window(bob);
        waitUpTo(10).until(d -> lines(d, ".conversation .chat-log .text").containsAll(List.of("hello, I need help", "hi Quinn")));
        typeWhenThere(By.cssSelector(".conversation input.reply"), "bob here, I can fix that");
        browser.findElement(By.cssSelector(".conversation .send")).click();

        browser.switchTo().window(customer);
        waitUpTo(10).until(d -> lines(d, "#messages .text").contains("bob here, I can fix that"));
        browser.navigate().refresh(); // the same conversation, from where this tab was
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        browser.switchTo().window(bob);
        typeWhenThere(By.cssSelector(".conversation input.reply"), "sent after the reload");
        browser.findElement(By.cssSelector(".conversation .send")).click();
        browser.switchTo().window(customer);
        waitUpTo(10).until(d -> lines(d, "#messages .text").contains("sent after the reload"));
        List<String> seen = lines(browser, "#messages .text");
        assertEquals(1, seen.stream().filter("hi Quinn"::equals).count(), "nothing twice after the reload: " + seen);
        assertEquals(1, seen.stream().filter("bob here, I can fix that"::equals).count(), seen.toString());

        browser.switchTo().window(bob);
        browser.findElement(By.cssSelector(".conversation .close")).click();
        browser.switchTo().window(customer);
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("rate")));
        new Select(browser.findElement(By.id("score"))).selectByValue("4");
        browser.findElement(By.id("rate-send")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("rated"), "Thank you for your rating."));
    }

    // ---- The admin page (was AdminPageIT) ----
    // The admin page, as an operator uses it.

    private static final String KEY = System.getProperty("switchboard.test.apiKey");

    private void logIn(String key) {
        browser.findElement(By.id("key")).clear();
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("open")).click();
    }

    @Test
    void aWrongKeyIsRefusedAndTheRightOneOpensLiveChartsRoomsUsersAndSettings() throws Exception {
        browser.get(server.http("admin.html?every=500").toString());
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        logIn("not-the-key-0123456789");
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("login-error"), "The key was refused"));
        assertFalse(browser.findElement(By.id("dashboard")).isDisplayed());

        logIn(KEY);
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        assertFalse(browser.findElement(By.id("node")).getText().isEmpty(), "the node's id is shown");
        assertFalse(browser.findElements(By.cssSelector("#chart-connections .uplot canvas")).isEmpty(), "uPlot drew the chart");

        try (ChatClient user = ChatClient.connect(server, "admin-watched", "room=admin-room")) {
            user.next("joined");
            waitUpTo(10).until(d -> Integer.parseInt(d.findElement(By.id("connections-now")).getText()) >= 1);
            String markup = "<i>not italic</i> said";
            long before = ChatClient.parse(server.api("api/admin/stats", null).body()).getJsonNumber("messages").longValue();
            for (int i = 0; i < 5; i++) {
                user.send(Map.of("type", "say", "room", "admin-room", "text", markup, "cid", "a" + i));
                user.next("ack");
            }
            // The running total must come to show the five; a rate shows them only between two samples.
            waitUpTo(10).until(d -> Long.parseLong(d.findElement(By.id("messages-total")).getText()) >= before + 5);

            browser.findElement(By.id("rooms-refresh")).click();
            By roomButton = By.xpath("//tbody[@id='rooms']//button[text()='admin-room']");
            waitUpTo(10).until(ExpectedConditions.elementToBeClickable(roomButton));
            WebElement row = browser.findElement(roomButton).findElement(By.xpath("./ancestor::tr"));
            assertEquals("1", row.findElements(By.tagName("td")).get(1).getText());
            browser.findElement(roomButton).click();
            waitUpTo(10).until(d -> d.findElements(By.cssSelector("#history li")).size() == 5);
            assertTrue(browser.findElement(By.cssSelector("#history li")).getText().contains(markup));
            assertTrue(browser.findElements(By.cssSelector("#history i")).isEmpty(), "history is shown as text, not HTML");

            browser.findElement(By.id("user")).sendKeys("admin-watched");
            browser.findElement(By.id("find")).click();
            waitUpTo(10).until(ExpectedConditions.textToBe(By.id("user-online"), "connected"));
            assertTrue(browser.findElement(By.id("user-connections")).getText().contains("on chat"),
                    browser.findElement(By.id("user-connections")).getText());
            browser.findElement(By.id("disconnect")).click();
            assertEquals(4003, user.ws.awaitClose().getCloseCode().getCode());
            waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-notice"), "was closed (4003)"));
        }

        // The room's moderation: a mute set through the server API shows, and the page lifts it.
        assertEquals(200, server.apiCall("PUT", "api/rooms/admin-room/mutes/admin-watched", "{\"seconds\": 600}").statusCode());
        browser.findElement(By.id("moderation-name")).sendKeys("admin-room");
        browser.findElement(By.cssSelector("#moderation-form button")).click();
        By muted = By.cssSelector("#moderation li[data-kind='mutes'][data-user='admin-watched']");
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(muted, "muted admin-watched until"));
        browser.findElement(muted).findElement(By.tagName("button")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.cssSelector("#moderation li"), "Nobody is muted or banned here."));
        assertEquals("[]", ChatClient.parse(server.apiCall("GET", "api/rooms/admin-room/moderation", null).body())
                .getJsonArray("mutes").toString(), "lifted on the server");

        // Webhooks: the test servers send events to a receiver that is not listening during this class, so
        // the page shows the URL, who sends it, and tries that failed (the events wait to be tried again).
        By webhook = By.cssSelector("#webhooks p.webhook[data-url='http://127.0.0.1:" + System.getProperty("switchboard.test.webhookPort") + "/hook']");
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(webhook, "sent by"));
        waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#webhooks li[data-outcome^='no answer']")).isEmpty());

        WebElement settings = browser.findElement(By.id("settings"));
        waitUpTo(10).until(d -> settings.getText().contains("switchboard.api.key"));
        assertTrue(settings.getText().contains("switchboard.api.key (set)"), "secrets are hidden: " + settings.getText());
        assertFalse(settings.getText().contains(KEY), "the key itself never shows");
    }
}
