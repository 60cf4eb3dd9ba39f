package dev.switchboard.pages;

import dev.switchboard.testing.InServerTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Base of the page tests: one headless Chromium per test class, against the deployed app. */
abstract class BrowserTest extends InServerTest {

    protected static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    protected WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    /**
     * Clicks the element once it is there and can be used, finding it again if the page drew it anew under
     * the click (a list redrawn, a view re-rendered on a frame).
     */
    protected void clickWhenThere(By element) {
        waitUpTo(10).until(d -> {
            try {
                d.findElement(element).click();
                return true;
            } catch (NoSuchElementException | StaleElementReferenceException | ElementNotInteractableException notYet) {
                return false;
            }
        });
    }

    /** Types into the element once it is there and can be typed in, as {@link #clickWhenThere} clicks. */
    protected void typeWhenThere(By element, String text) {
        waitUpTo(10).until(d -> {
            try {
                d.findElement(element).sendKeys(text);
                return true;
            } catch (NoSuchElementException | StaleElementReferenceException | ElementNotInteractableException notYet) {
                return false;
            }
        });
    }
}
