package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Two people chatting in real headless Chromium, and a page that survives a dropped connection. */
class ChatPageIT extends BrowserTest {


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

    private void waitForMessage(String text) {
        waitUpTo(10).until(d -> texts(d).contains(text));
    }

    private static List<String> texts(WebDriver d) {
        return d.findElements(By.cssSelector("#messages li .text")).stream().map(WebElement::getText).toList();
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

        browser.switchTo().window(alice);
        WebElement privateConversation = waitUpTo(10).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#conversations button[data-key='@benno']")));
        assertEquals("1", browser.findElement(By.cssSelector("#conversations .unread")).getText(), "one unread");
        privateConversation.click();
        waitForMessage("psst, annika");

        browser.switchTo().window(bob);
        browser.close();
        browser.switchTo().window(alice);
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
}
