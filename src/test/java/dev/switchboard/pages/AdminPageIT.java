package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The admin page in headless Chromium, as an operator uses it. */
class AdminPageIT extends BrowserTest {

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

        WebElement settings = browser.findElement(By.id("settings"));
        waitUpTo(10).until(d -> settings.getText().contains("switchboard.api.key"));
        assertTrue(settings.getText().contains("switchboard.api.key (set)"), "secrets are hidden: " + settings.getText());
        assertFalse(settings.getText().contains(KEY), "the key itself never shows");
    }
}
