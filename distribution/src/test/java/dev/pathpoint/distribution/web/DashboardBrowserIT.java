package dev.pathpoint.distribution.web;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.distribution.launcher.RuntimeProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by Debian's chromedriver
 * through Selenium (both given by path, so nothing is downloaded), against the Felix distribution run
 * as a user runs it. It logs in, reads a value, writes one, and sees values change live without a
 * reload, also when another client writes; screenshots land in {@code target/dashboard-screenshots/}.
 */
public class DashboardBrowserIT {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    static final String TOKEN = "browser-it-token-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(60);

    private static RuntimeProcess runtime;
    private static WebDriver browser;
    private static Path screenshots;
    private static String dashboard;
    private static Path profile;

    @BeforeClass
    public static void startRuntimeAndBrowser() throws Exception {
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                throw new AssertionError(program + " is missing: the dashboard test drives Debian's chromium through its "
                        + "chromedriver; install them with: apt-get install chromium chromium-driver (.ci/run does)");
            }
        }
        Path target = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
        screenshots = Files.createDirectories(target.resolve("dashboard-screenshots"));
        Path conf = TestConfig.copyOfDefaultConfig();
        Files.writeString(conf.resolve("dev.pathpoint.web.config"), Files.readString(conf.resolve("dev.pathpoint.web.config"))
                + "tokenHashes=[\"sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(TOKEN.getBytes(StandardCharsets.UTF_8))) + "\"]\n");
        Path storage = Files.createTempDirectory("pathpoint-browser-it-storage");
        runtime = RuntimeProcess.start("--config", conf.toString(), "--storage", storage.toString());
        dashboard = "http://127.0.0.1:" + TestConfig.httpPort(conf) + "/pathpoint/";
        awaitApi();

        profile = Files.createTempDirectory("pathpoint-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // this machine has no network: chromium's background services are switched off
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
    }

    @AfterClass
    public static void stop() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (runtime != null) {
                runtime.close();
            }
        }
    }

    private static void awaitApi() {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest queue = HttpRequest.newBuilder(URI.create(dashboard + "api/v1/queue"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build();
        org.awaitility.Awaitility.await("the runtime's web API at " + dashboard).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> client.send(queue, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    /** Another client writes (and reads back, so that the value store changes), through the API. */
    private static void writeFromElsewhere(String pathpoint, int value) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard + "api/v1/sections"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orders\": [{\"type\": \"write\", \"path\": \"" + pathpoint + "\", \"value\": "
                        + value + ", \"advise\": 1}, {\"type\": \"read\", \"path\": \"" + pathpoint + "\", \"advise\": 1}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body(), response.body().startsWith("{\"succeeded\":true"));
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    private static WebElement id(String id) {
        return browser.findElement(By.id(id));
    }

    private static void awaitText(String id, String text) {
        waiting().withMessage(() -> "#" + id + " to show '" + text + "', it shows '" + id(id).getText() + "'")
                .until(driver -> id(id).getText().contains(text));
    }

    /** The value the table shows for a pathpoint, read in one step (the table's rows are replaced as values change). */
    private static String valueCell(String pathpoint) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const row = [...document.querySelectorAll('#values tbody tr')].find(r => r.dataset.pathpoint === arguments[0]);"
                        + " return row ? row.querySelector('td.value').textContent : null;", pathpoint);
    }

    private static void awaitValue(String pathpoint, String value) {
        waiting().withMessage(() -> "the value table to show " + pathpoint + " = " + value + ", it shows " + valueCell(pathpoint))
                .until(driver -> value.equals(valueCell(pathpoint)));
    }

    private static void screenshot(String name) throws IOException {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    public void logsInReadsWritesAndSeesValuesChangeLive() throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.get(dashboard);
        assertEquals("Pathpoint", browser.getTitle());
        screenshot("00-login.png");

        id("token").sendKeys("not-the-token");
        id("login-button").click();
        awaitText("login-error", "Not accepted");

        id("token").clear();
        id("token").sendKeys(TOKEN);
        id("login-button").click();
        waiting().until(driver -> id("main").isDisplayed());
        awaitText("stream-state", "live");
        // from here on the page must not reload: a reload would drop this marker
        ((JavascriptExecutor) browser).executeScript("window.pathpointTestMarker = 'same page';");

        // read a value through the form: the result, and the value table fed by the stream
        id("rw-path").sendKeys("W1r0");
        id("read-button").click();
        awaitText("rw-result", "read W1r0: 1200");
        awaitValue("W1r0", "1200");
        awaitText("drivers", "simulator");
        screenshot("01-read.png");

        // write one: the form writes and reads back
        id("rw-path").clear();
        id("rw-path").sendKeys("W1r5");
        id("rw-value").sendKeys("4242");
        id("write-button").click();
        awaitText("rw-result", "write W1r5: 4242");
        awaitText("rw-result", "read W1r5: 4242");
        awaitValue("W1r5", "4242");

        // another client changes it: the table follows live
        writeFromElsewhere("W1r5", 777);
        awaitValue("W1r5", "777");
        writeFromElsewhere("W1r0", 1300);
        awaitValue("W1r0", "1300");
        assertEquals("same page", ((JavascriptExecutor) browser).executeScript("return window.pathpointTestMarker;"));

        // the filter narrows the table
        id("value-filter").sendKeys("r5");
        waiting().until(driver -> browser.findElements(By.cssSelector("#values tbody tr")).size() == 1);
        assertEquals("777", valueCell("W1r5"));
        screenshot("02-live.png");
        id("value-filter").clear();
        id("value-filter").sendKeys(" ");
        id("value-filter").clear();

        // queue depth and statistics with the latency plot (drawn once two samples are in)
        awaitText("queue-queued", "0");
        waiting().withMessage("the latency plot to be drawn").until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const c = document.getElementById('latency-plot'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + " for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false;")));
    }

    @Test
    public void theSectionFormRunsADocumentAndShowsWhatWasWrong() throws Exception {
        browser.get(dashboard);
        if (!id("main").isDisplayed()) {
            id("token").sendKeys(TOKEN);
            id("login-button").click();
            waiting().until(driver -> id("main").isDisplayed());
        }
        WebElement document = id("section-doc");
        document.clear();
        document.sendKeys("{\"orders\": [{\"type\": \"read\", \"path\": \"W1r1\", \"advise\": 1}, {\"type\": \"read\", \"path\": \"f1r100\", \"advise\": 1}]}");
        id("run-section").click();
        awaitText("section-results", "section 1 succeeded");
        awaitText("section-results", "read f1r100: 3.5");
        document.clear();
        document.sendKeys("{\"orders\": [{\"type\": \"raed\", \"path\": \"W1r1\"}]}");
        id("run-section").click();
        awaitText("section-results", "400: the document was rejected");
        awaitText("section-results", "$.orders[0].type: unknown order type 'raed'");
        screenshot("03-section-form.png");
    }

    @Test
    public void readableOnAPhone() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.get(dashboard);
            if (!id("main").isDisplayed()) {
                id("token").sendKeys(TOKEN);
                id("login-button").click();
                waiting().until(driver -> id("main").isDisplayed());
            }
            awaitText("stream-state", "live");
            id("rw-path").sendKeys("W1r0");
            id("read-button").click();
            awaitValue("W1r0", valueCellOrAny("W1r0"));
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth;");
            assertTrue("the page is no wider than the phone's screen (tables scroll inside their cards): " + overflow,
                    ((Number) overflow).intValue() <= 1);
            Object fontSize = ((JavascriptExecutor) browser).executeScript(
                    "return parseFloat(getComputedStyle(document.getElementById('rw-path')).fontSize);");
            assertTrue("inputs are 16 px, so that phones do not zoom in: " + fontSize, ((Number) fontSize).doubleValue() >= 16);
            screenshot("04-phone.png");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    /** The value the table shows once the pathpoint is in it (any value). */
    private static String valueCellOrAny(String pathpoint) {
        waiting().until(driver -> valueCell(pathpoint) != null);
        return valueCell(pathpoint);
    }
}
