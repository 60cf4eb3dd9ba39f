package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The desk's two pages in headless Chromium: a customer asks for help, an agent logs in and answers,
 * transfers the conversation to a colleague who reads it whole, the customer reloads and misses
 * nothing, and rates the conversation once it is closed.
 */
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

    @Test
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
        browser.findElement(By.cssSelector(".conversation input.reply")).sendKeys("hi Quinn");
        browser.findElement(By.cssSelector(".conversation .send")).click();

        browser.switchTo().window(customer);
        waitUpTo(10).until(d -> lines(d, "#messages .text").contains("hi Quinn"));
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("status"), "ann is with you."));

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
