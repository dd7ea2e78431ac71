// Drives the console in Debian's headless Chromium (playwright-core from dashboards/e2e, no
// browser download): log in, open the workspace, click Connect for each network, log in and
// allow on the sandbox's consent page, land back on the workspace with the accounts listed.
// Prints one JSON report. Env: CONSOLE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, WORKSPACE_ID,
// PERSON_LOGIN, PERSON_PASSWORD, PLATFORMS (comma-separated), PLAYWRIGHT_FROM, SCREENSHOT,
// CHROMIUM.
import { createRequire } from "node:module";

const require = createRequire(`${process.env.PLAYWRIGHT_FROM}/`);
const { chromium } = require("playwright-core");
const BASE = process.env.CONSOLE_URL.replace(/\/$/, "");
const WS = process.env.WORKSPACE_ID;
// Facebook's redirects carry "#_=_": a page is the path, whatever fragment it ends with
const at = (path) => (url) => url.pathname === path;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const report = { steps: [], connected: [] };
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/console`);
  report.steps.push(`landed on ${new URL(page.url()).pathname}`);
  await page.fill("input[name=email]", process.env.ADMIN_EMAIL);
  await page.fill("input[name=password]", process.env.ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(at("/console")), page.click("#login")]);
  report.workspaces = await page.locator("#workspaces a").allTextContents();
  await Promise.all([page.waitForURL(at(`/console/workspaces/${WS}`)),
                     page.click(`a[href="/console/workspaces/${WS}"]`)]);
  for (const platform of process.env.PLATFORMS.split(",")) {
    await page.click(`#connect-${platform}`);
    await page.waitForSelector("input[name=login]");
    report.steps.push(`${platform}: consent page at ${new URL(page.url()).pathname}`);
    await page.fill("input[name=login]", process.env.PERSON_LOGIN);
    await page.fill("input[name=password]", process.env.PERSON_PASSWORD);
    await page.click("button[value=login]");
    await page.waitForSelector("button[value=allow]");
    await Promise.all([page.waitForURL(at(`/console/workspaces/${WS}`)),
                       page.click("button[value=allow]")]);
    report.connected.push({ platform, notice: await page.locator("#notice").textContent() });
  }
  report.accounts = await page.locator("#accounts tr[data-account-id]").evaluateAll(
    (rows) => rows.map((r) => ({ platform: r.dataset.platform, status: r.dataset.status,
                                 text: r.innerText })));
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
} catch (error) {
  report.error = String(error.stack || error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
