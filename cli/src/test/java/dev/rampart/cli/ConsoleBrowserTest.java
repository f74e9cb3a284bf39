package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.server.RampartServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console end to end in headless Chromium (Debian's chromium and chromium-driver) against the demo workspace:
 * sign in, follow a model from its dataset to its deployment, approve a promotion, read a blocked one, roll back, and
 * see a viewer get no controls. Screenshots of the main pages go to target/console-screenshots, and with
 * -Ddocs.update=true to docs/console as well. Where Chromium is missing the tests are skipped with a message, except
 * in CI, where .ci/run installs it and a missing browser is a failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target/console-screenshots");
  static final Path DOCS = Path.of("../docs/console");

  static RampartServer server;
  static WebDriver browser;
  static String base;
  static DemoWorkspace.Tokens tokens;
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI must run the browser tests: install chromium and chromium-driver");
    }
    if (!present) {
      System.err.println("SKIPPED ConsoleBrowserTest: no " + CHROMIUM + " or " + DRIVER
          + "; install Debian's chromium and chromium-driver to run the console's browser tests");
    }
    Assumptions.assumeTrue(present, "Chromium is not installed (apt-get install chromium chromium-driver)");
    tmp = Files.createTempDirectory("rampart-console-e2e");
    server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2());
    base = "http://127.0.0.1:" + server.port();
    tokens = DemoWorkspace.populate(base, server.bootstrapToken().orElseThrow(), tmp.resolve("work"));
    var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1360,1000",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium")));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void signInAndFollowAModelFromItsDatasetToItsDeployment() throws Exception {
    signIn(tokens.approver());
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
    assertThat(browser.getPageSource()).contains("critical findings").contains("Recent gate decisions");
    shot("overview");

    browser.findElement(By.linkText("fraud-detection")).click();
    browser.findElement(By.linkText("Datasets and their checks")).click();
    browser.findElement(By.linkText("transactions v1")).click();
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("transactions v1").contains("clean");
    browser.findElement(By.linkText("fraud-scorer v1")).click();
    assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("fraud-scorer v1");
    assertThat(browser.getPageSource()).contains("Download the AI-BOM");
    browser.findElement(By.linkText("fraud-scorer")).click();
    assertThat(browser.findElements(By.cssSelector("svg[aria-label='lineage graph'] a"))).hasSizeGreaterThan(4);
    shot("model-lineage");
    browser.findElement(By.cssSelector("a[data-node='production']")).click();
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Environment production");
    assertThat(browser.findElement(By.id("current")).getText()).isEqualTo("fraud-scorer v1");
    assertThat(browser.getPageSource()).contains("covariate-drift").contains("rolled_back");
    shot("environment");

    browser.get(base + "/projects/fraud-detection/datasets/transactions/versions/2");
    assertThat(browser.getPageSource()).contains("Everything affected").contains("fraud-scorer v3");
    shot("poisoned-dataset");
  }

  @Test
  @Order(2)
  void aBlockedPromotionShowsEveryFailedRule() throws Exception {
    signIn(tokens.approver());
    browser.get(base + "/projects/fraud-detection/models/fraud-scorer/versions/3");
    String page = browser.findElement(By.tagName("main")).getText();
    assertThat(page).contains("blocked").contains("no-critical-findings").contains("the scan found CRITICAL findings")
        .contains("rule: findings.critical == 0")
        .contains("PKL-DENYLISTED-CALL").contains("AML.T0011");
    new org.openqa.selenium.interactions.Actions(browser)
        .scrollToElement(browser.findElement(By.cssSelector("div[id^='promotion-']"))).perform();
    shot("blocked-version");
  }

  @Test
  @Order(3)
  void anApproverApprovesAPendingPromotion() throws Exception {
    signIn(tokens.approver());
    browser.get(base + "/projects/fraud-detection/models/fraud-scorer/versions/2");
    var approve = browser.findElements(By.cssSelector("button[id^='approve-']"));
    assertThat(approve).hasSize(1);
    String panel = approve.get(0).getDomAttribute("id").replace("approve-", "promotion-");
    browser.findElement(By.cssSelector("#" + panel + " input[name='comment']")).sendKeys("drift fixed in v2");
    approve.get(0).click();
    String after = await(By.id(panel), "bob: approve");
    assertThat(after).contains("bob: approve — drift fixed in v2").contains("1 of 2 approvals");
    assertThat(browser.findElements(By.cssSelector("#" + panel + " button"))).isEmpty();
    shot("version-approvals");
  }

  @Test
  @Order(4)
  void anApproverRollsStagingBack() throws Exception {
    signIn(tokens.approver());
    browser.get(base + "/projects/fraud-detection/environments/staging");
    assertThat(browser.findElement(By.id("current")).getText()).isEqualTo("fraud-scorer v2");
    browser.findElement(By.name("reason")).sendKeys("checking the rollback drill");
    browser.findElement(By.id("rollback")).click();
    assertThat(await(By.id("current"), "fraud-scorer v1")).isEqualTo("fraud-scorer v1");
    assertThat(browser.getPageSource()).contains("rolled_back");
  }

  @Test
  @Order(5)
  void aViewerSeesNoApproveOrRollbackControls() throws Exception {
    signIn(tokens.viewer());
    browser.get(base + "/projects/fraud-detection/models/fraud-scorer/versions/2");
    assertThat(browser.getPageSource()).contains("pending");
    assertThat(browser.findElements(By.cssSelector("button[id^='approve-'], button[id^='reject-']"))).isEmpty();
    browser.get(base + "/projects/fraud-detection/environments/production");
    assertThat(browser.findElements(By.id("rollback"))).isEmpty();
    browser.get(base + "/audit");
    assertThat(browser.findElement(By.tagName("main")).getText()).startsWith("Error 403").contains("'admin' scope");
  }

  @Test
  @Order(6)
  void theAdministratorSeesTheAuditLogAtlasAndPolicyDryRun() throws Exception {
    signIn(tokens.admin());
    browser.get(base + "/audit?q=gate.decision");
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("verified").contains("gate.decision");
    shot("audit");
    browser.get(base + "/atlas");
    assertThat(browser.findElements(By.cssSelector(".tactic"))).hasSize(16);
    // the malicious pickle and the poisoned dataset put live findings on their techniques
    assertThat(browser.findElement(By.cssSelector("[data-technique='AML.T0011.000']")).getText()).contains("live");
    assertThat(browser.findElement(By.cssSelector("[data-technique='AML.T0020']")).getText()).contains("live");
    shot("atlas");
    browser.get(base + "/projects/fraud-detection/environments/production/policy");
    browser.findElement(By.id("dry-run")).click();
    assertThat(await(By.tagName("main"), "Dry run against the last")).contains("fraud-scorer v2")
        .doesNotContain("\uFFFD");
    shot("policy-dry-run");
  }

  private static void signIn(String token) throws InterruptedException {
    browser.manage().deleteAllCookies();
    browser.get(base + "/");
    assertThat(browser.getCurrentUrl()).contains("/login");
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.cssSelector("form[action='/login'] button")).click();
    await(By.tagName("header"), "Sign out");
  }

  /** The text of an element once it shows {@code expected}: a form post navigates after click() returns. */
  private static String await(By by, String expected) throws InterruptedException {
    String last = "";
    for (int i = 0; i < 100; i++) {
      try {
        last = browser.findElement(by).getText();
        if (last.contains(expected)) {
          return last;
        }
      } catch (org.openqa.selenium.WebDriverException e) {
        // missing, stale, or (mid-navigation) detached from the document: look again on the next poll
        last = e.getClass().getSimpleName();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + by + " showing '" + expected + "' after 10 s; last: " + last);
  }

  private static void shot(String name) throws Exception {
    File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("docs.update")) {
      Files.copy(png.toPath(), DOCS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
