package dev.switchboard.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The demo pages in real headless Chromium, used as a person would. */
class PagesIT extends BrowserTest {


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
}
