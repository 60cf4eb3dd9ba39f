package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
 * The desk's two pages in headless Chromium: a customer who finds nobody there leaves a message without
 * typing it again; a customer asks for help, an agent logs in and answers (each side sees the other
 * typing until the message comes), transfers the conversation to a colleague who reads it whole, the
 * customer reloads and misses nothing, and rates the conversation once it is closed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first story needs a desk no agent has logged in to yet
class SupportPagesIT extends BrowserTest {

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
        browser.findElement(By.cssSelector(from.input())).sendKeys(text);
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
        browser.findElement(By.cssSelector(".conversation input.reply")).sendKeys("bob here, I can fix that");
        browser.findElement(By.cssSelector(".conversation .send")).click();

        browser.switchTo().window(customer);
        waitUpTo(10).until(d -> lines(d, "#messages .text").contains("bob here, I can fix that"));
        browser.navigate().refresh(); // the same conversation, from where this tab was
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("state"), "connected"));
        browser.switchTo().window(bob);
        browser.findElement(By.cssSelector(".conversation input.reply")).sendKeys("sent after the reload");
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
}
