// Drives the console's Reconnect button in Debian's headless Chromium (playwright-core from
// dashboards/e2e): log in, open the workspace, click Reconnect on one account, log in and allow
// on the sandbox's consent page, land back on the workspace. Prints one JSON report.
// Env: CONSOLE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, WORKSPACE_ID, ACCOUNT_ID, PERSON_LOGIN,
// PERSON_PASSWORD, PLAYWRIGHT_FROM, CHROMIUM.
import { createRequire } from "node:module";

const require = createRequire(`${process.env.PLAYWRIGHT_FROM}/`);
const { chromium } = require("playwright-core");
const BASE = process.env.CONSOLE_URL.replace(/\/$/, "");
const WS = process.env.WORKSPACE_ID;
const at = (path) => (url) => url.pathname === path;
const row = (page) => page.locator(`#accounts tr[data-account-id="${process.env.ACCOUNT_ID}"]`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const report = {};
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/console/login`);
  await page.fill("input[name=email]", process.env.ADMIN_EMAIL);
  await page.fill("input[name=password]", process.env.ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(at("/console")), page.click("#login")]);
  await page.goto(`${BASE}/console/workspaces/${WS}`);
  report.before = await row(page).getAttribute("data-status");
  report.href = await page.locator(`#reconnect-${process.env.ACCOUNT_ID}`).getAttribute("href");
  await page.click(`#reconnect-${process.env.ACCOUNT_ID}`);
  await page.waitForSelector("input[name=login]");
  report.consent_page = new URL(page.url()).pathname;
  await page.fill("input[name=login]", process.env.PERSON_LOGIN);
  await page.fill("input[name=password]", process.env.PERSON_PASSWORD);
  await page.click("button[value=login]");
  await page.waitForSelector("button[value=allow]");
  await Promise.all([page.waitForURL(at(`/console/workspaces/${WS}`)),
                     page.click("button[value=allow]")]);
  report.notice = await page.locator("#notice").textContent();
  report.after = await row(page).getAttribute("data-status");
  report.rows = await page.locator("#accounts tr[data-account-id]").count();
} catch (error) {
  report.error = String(error.stack || error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
