package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.PreferenceWriter;
import org.rlhf4j.feedback.RankedPreference;

/**
 * The labelling page end to end in a real headless browser: Debian's chromium driven through its
 * chromedriver by Selenium. A person's keystrokes and clicks rank the items; the records written are then
 * checked. Skipped, with the reason, where chromium or chromedriver is not installed (.ci/run installs
 * both). Every wait is bounded and the class has a hard timeout, so a stuck browser fails the build
 * instead of hanging it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LabelBrowserTest {

    /** Debian's paths; {@code -Drlhf4j.chromium=...} and {@code -Drlhf4j.chromedriver=...} point elsewhere. */
    static final Path CHROMIUM = Path.of(System.getProperty("rlhf4j.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rlhf4j.chromedriver", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(15);

    /** Completions that try to run script if the page ever parsed them as HTML. */
    static final CandidateSource HOSTILE = (prompt, k) -> List.of(
            prompt + " plain",
            "<img src=x onerror=\"document.title='pwned'\"> " + prompt,
            "<script>document.title='pwned'</script><b>bold</b> " + prompt).subList(0, k);

    static WebDriver driver;
    LabelServer server;
    PreferenceWriter writer;

    /** Skips each test, with the reason, where there is no browser; starts one browser for the class. */
    @BeforeEach
    void browser() {
        // An assumption per test, not in @BeforeAll: Maven reports each test as skipped, with this reason.
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "); install them with apt-get install chromium chromium-driver, as .ci/run does");
        if (driver == null) {
            driver = start();
        }
    }

    private static WebDriver start() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().withTimeout(WAIT).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--window-size=1200,900");
        options.setPageLoadTimeout(WAIT);
        options.setScriptTimeout(WAIT);
        ClientConfig client = ClientConfig.defaultConfig().connectionTimeout(WAIT).readTimeout(Duration.ofSeconds(60));
        return new ChromeDriver(service, options, client);
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void rankingByKeyboardAndMouseWritesTheRecords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("labels.jsonl");
        writer = PreferenceWriter.open(out);
        List<String> prompts = List.of("first", "second", "third", "fourth");
        server = LabelServer.start(new LabelSession(prompts, Set.of(), HOSTILE, LabelMode.RANK, 3, writer::write),
                "127.0.0.1", 0);
        driver.get(server.uri().toString());

        // 1. Keyboard: 2, 0 (the last is placed for us), u undoes both, 1 places 1 then 0, Enter submits.
        String item = awaitItem(null);
        assertEquals("first", text("prompt"));
        assertTrue(text("card-1").contains("<img src=x onerror=\"document.title='pwned'\"> first"), text("card-1"));
        assertTrue(text("card-2").contains("<script>document.title='pwned'</script><b>bold</b> first"), text("card-2"));
        assertTrue(driver.findElements(By.cssSelector("#cards img, #cards script, #cards b")).isEmpty(),
                "completions are text, never elements");
        assertFalse(driver.getTitle().contains("pwned"));
        keys("2", "0");
        assertEquals("best first: 2 > 0 > 1", text("order"));
        keys("u");
        assertEquals("best first: 2", text("order"));
        keys("1");
        assertEquals("best first: 2 > 1 > 0", text("order"));
        keys(Keys.ENTER);

        // 2. Mouse: click completion 0, then 2 (1 is placed last), then the Submit button.
        item = awaitItem(item);
        assertEquals("second", text("prompt"));
        assertFalse(driver.findElement(By.id("submit")).isEnabled(), "nothing to submit yet");
        driver.findElement(By.id("card-0")).click();
        driver.findElement(By.id("card-2")).click();
        assertEquals("best first: 0 > 2 > 1", text("order"));
        driver.findElement(By.id("submit")).click();

        // 3. Enter too early is refused with a message; s skips.
        item = awaitItem(item);
        assertEquals("third", text("prompt"));
        keys("1", Keys.ENTER);
        assertTrue(text("status").contains("place 1 more before submitting"), text("status"));
        keys("s");

        // 4. A number out of range is ignored; one placed twice is refused with a message.
        item = awaitItem(item);
        assertEquals("fourth", text("prompt"));
        keys("9", "1", "1");
        assertTrue(text("status").contains("1 is placed already"), text("status"));
        keys("2", Keys.ENTER);

        new WebDriverWait(driver, WAIT).until(d -> "done".equals(bodyState()));
        assertTrue(driver.findElement(By.id("done")).isDisplayed());
        assertEquals(new Progress(4, 0, 3, 1, 0, 0), server.finished().get(10, TimeUnit.SECONDS));
        assertFalse(driver.getTitle().contains("pwned"));
        writer.close();
        writer = null;
        assertEquals(List.of(ranked("first", 2, 1, 0), ranked("second", 0, 2, 1), ranked("fourth", 1, 2, 0)),
                PreferenceReader.read(out).records(), "the JSONL holds the three answers, in order");
        assertEquals(Set.of("first", "second", "fourth"), PreferenceReader.promptsIn(out), "a next session asks only 'third'");
    }

    @Test
    void pairwiseChoicesByLetterDigitAndClick() throws Exception {
        Fixtures.Kept sink = new Fixtures.Kept();
        server = LabelServer.start(new LabelSession(List.of("x", "y", "z"), Set.of(), HOSTILE, LabelMode.PAIRWISE, 2, sink),
                "127.0.0.1", 0);
        driver.get(server.uri().toString());
        String item = awaitItem(null);
        keys("b", Keys.ENTER);
        item = awaitItem(item);
        keys("2", "1", Keys.ENTER); // the last choice counts
        item = awaitItem(item);
        driver.findElement(By.id("card-1")).click();
        assertEquals("best first: 2 > 1", text("order"));
        keys(Keys.ENTER);
        new WebDriverWait(driver, WAIT).until(d -> "done".equals(bodyState()));
        String img = "<img src=x onerror=\"document.title='pwned'\"> ";
        assertEquals(List.of(new PairwisePreference("x", img + "x", "x plain"),
                new PairwisePreference("y", "y plain", img + "y"),
                new PairwisePreference("z", img + "z", "z plain")), List.<Preference>copyOf(sink.records));
    }

    static RankedPreference ranked(String prompt, Integer... ranking) throws IOException {
        return new RankedPreference(prompt, HOSTILE.candidates(prompt, 3), List.of(ranking));
    }

    /** Waits for an item other than {@code previous} to be shown; returns its id. */
    private String awaitItem(String previous) {
        new WebDriverWait(driver, WAIT).until(d -> "item".equals(bodyState())
                && !String.valueOf(previous).equals(d.findElement(By.tagName("body")).getDomAttribute("data-item")));
        String id = driver.findElement(By.tagName("body")).getDomAttribute("data-item");
        assertNotEquals(previous, id);
        return id;
    }

    private String bodyState() {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-state");
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private void keys(CharSequence... keys) {
        Actions a = new Actions(driver);
        for (CharSequence k : keys) {
            a.sendKeys(k);
        }
        a.perform();
    }
}
