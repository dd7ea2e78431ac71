// Opens every Superset dashboard in Debian's headless Chromium (playwright-core, no download),
// logs in through the form, waits for the charts, checks for error boxes and that every chart's
// data query returns rows, saves a PNG per dashboard, then checks a client login's row scope.
// Prints one JSON report on stdout. Env: SUPERSET_URL, SUPERSET_ADMIN_USER/PASSWORD,
// E2E_CLIENT_USER/PASSWORD/WORKSPACE, SCREENSHOT_DIR, CHROMIUM (default /usr/bin/chromium).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const BASE = (process.env.SUPERSET_URL || "http://127.0.0.1:8088").replace(/\/$/, "");
const SHOTS = process.env.SCREENSHOT_DIR || "docs/screenshots";
const ERROR_BOX = [
  ".dashboard-chart .ant-alert-error",
  ".dashboard-chart [role='alert']",
  ".chart-container .alert-danger",
  "[data-test='chart-container'] [role='alert']",
].join(", ");

// One form login; returns what happened so a failure can say why.
async function tryLogin(browser, user, password) {
  // Superset registers a service worker; blocking it keeps every navigation a plain request.
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1800 }, serviceWorkers: "block",
  });
  const page = await context.newPage();
  const trail = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "document") trail.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  await page.goto(`${BASE}/login/`, { waitUntil: "networkidle" });
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(password);
  const posted = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login"),
    { timeout: 60000 });
  await page.locator("button[type='submit'], [data-test='login-button']").first().click();
  await posted;
  await page.waitForLoadState("networkidle", { timeout: 60000 }).catch(() => {});
  const me = await page.request.get(`${BASE}/api/v1/me/`, { headers: { Accept: "application/json" } });
  if (me.ok()) return { context, page };
  const cookies = (await context.cookies()).map((c) => c.name);
  const text = (await page.locator("body").innerText().catch(() => "")).slice(0, 300);
  await context.close();
  return { failure: { user, meStatus: me.status(), url: page.url(), trail, cookies, text } };
}

// Logs in through the form like a person would, with two retries: a fresh Superset can still
// be warming its caches on the first request.
async function login(browser, user, password) {
  const failures = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await tryLogin(browser, user, password);
    if (!res.failure) return res;
    failures.push(res.failure);
    console.error(`login attempt ${attempt + 1} failed: ${JSON.stringify(res.failure)}`);
    await new Promise((done) => setTimeout(done, 3000));
  }
  throw new Error(`form login failed for ${user}: ${JSON.stringify(failures, null, 1)}`);
}

async function api(page, path) {
  const r = await page.request.get(`${BASE}${path}`, { headers: { Accept: "application/json" } });
  return { status: r.status(), body: r.ok() ? await r.json() : await r.text() };
}

function rowsOf(body) {
  return (body.result || []).flatMap((q) => q.data || []);
}

// The workspaces a chart's rows belong to: charts name them (workspace_label), a few carry the id.
function workspacesOf(rows) {
  return [...new Set(rows.flatMap((x) => [x.workspace_label, x.workspace_id])
    .filter((w) => w !== undefined && w !== null).map(String))];
}

async function openDashboard(page, dash) {
  const charts = (await api(page, `/api/v1/dashboard/${dash.id}/charts`)).body.result;
  const responses = [];
  const onResponse = async (resp) => {
    if (!resp.url().includes("/api/v1/chart/data")) return;
    let rows = -1;
    try { rows = rowsOf(await resp.json()).length; } catch { rows = -1; }
    responses.push({ status: resp.status(), rows });
  };
  page.on("response", onResponse);
  const started = Date.now();
  await page.goto(`${BASE}/superset/dashboard/${dash.slug || dash.id}/?standalone=0`);
  const deadline = Date.now() + 60000;
  while (responses.length < charts.length && Date.now() < deadline) {
    await page.waitForTimeout(250);
  }
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.waitForTimeout(1500); // let echarts finish drawing
  const drawnMs = Date.now() - started;
  page.off("response", onResponse);
  const errorBoxes = await page.locator(ERROR_BOX).count();
  const bodyText = await page.locator("body").innerText();
  const errorTexts = ["Unexpected error", "An error occurred", "Data error"]
    .filter((t) => bodyText.includes(t));
  // the saved chart's own query (uses its stored query_context)
  const chartData = [];
  for (const c of charts) {
    const r = await api(page, `/api/v1/chart/${c.id}/data/`);
    const rows = r.status === 200 ? rowsOf(r.body) : [];
    chartData.push({
      chart: c.slice_name, status: r.status, rows: rows.length,
      workspaces: workspacesOf(rows),
    });
  }
  return { charts: charts.length, responses, errorBoxes, errorTexts, chartData, drawnMs };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // playwright gives every launch a fresh temporary profile (--user-data-dir is not allowed)
});
// Post texts carry emoji: with a colour emoji font installed a glyph is drawn in colour, without
// one it is a monochrome box or outline. Counts the clearly coloured pixels of three emoji.
async function emojiColourPixels(page) {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 160; canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.font = "32px sans-serif";
    ctx.fillText("🏆✨🎉", 4, 36);
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < px.length; i += 4) {
      const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
      if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
    }
    return coloured;
  });
}

const report = { dashboards: [], client: null, emojiColourPixels: null };
try {
  mkdirSync(SHOTS, { recursive: true });
  const admin = await login(browser, process.env.SUPERSET_ADMIN_USER || "admin",
    process.env.SUPERSET_ADMIN_PASSWORD || "admin-demo-password");
  report.emojiColourPixels = await emojiColourPixels(admin.page);
  const dashboards = (await api(admin.page, "/api/v1/dashboard/?q=(page_size:100)")).body.result;
  for (const dash of dashboards) {
    const res = await openDashboard(admin.page, dash);
    const file = join(SHOTS, `${(dash.slug || String(dash.id)).replace(/[^a-z0-9_-]/gi, "_")}.png`);
    await admin.page.screenshot({ path: file, fullPage: true });
    report.dashboards.push({ title: dash.dashboard_title, slug: dash.slug, screenshot: file, ...res });
  }
  await admin.context.close();

  const clientUser = process.env.E2E_CLIENT_USER;
  if (clientUser) {
    const client = await login(browser, clientUser,
      process.env.E2E_CLIENT_PASSWORD || "client-demo-password");
    const dashboards = (await api(client.page, "/api/v1/dashboard/?q=(page_size:100)")).body.result;
    const overview = dashboards.find((d) => d.slug === "overview") || dashboards[0];
    const res = overview ? await openDashboard(client.page, overview) : null;
    const all = [];
    const charts = (await api(client.page, "/api/v1/chart/?q=(page_size:100)")).body.result;
    for (const c of charts) {
      const r = await api(client.page, `/api/v1/chart/${c.id}/data/`);
      const rows = r.status === 200 ? rowsOf(r.body) : [];
      all.push({ chart: c.slice_name, status: r.status, rows: rows.length,
        workspaces: workspacesOf(rows) });
    }
    report.client = { user: clientUser, dashboards: dashboards.length, overview: res, charts: all };
    await client.context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
