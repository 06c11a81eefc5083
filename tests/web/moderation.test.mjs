// Moderation in the browser (issue 16): a moderator (named in moderation.moderators) sees the
// moderation link, reports a user through the report dialog, and approves a video that
// reports put on hold; someone else sees no link and is told the page is for moderators.
// The approval needs the video service's review (SetAuditStatus, issue 16's video helper).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import {
  ReelServer,
  Shots,
  eventually,
  makeClip,
  settings,
} from "./harness.mjs";

const env = settings();
const PASSWORD = "secret-pass1";

if (env.missing.length > 0) {
  const message = `browser tests need: ${env.missing.join(", ")}`;
  if (process.env.REEL_REQUIRE_BROWSER === "1") throw new Error(message);
  console.log(`# SKIP ${message}`);
  process.exit(77); // ctest SKIP_RETURN_CODE
}

const state = {
  files: "",
  server: null,
  browser: null,
  errors: [],
  tokens: {},
  ids: {},
};

async function api(method, route, token, body) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const r = await fetch(`${state.server.baseUrl}${route}`, {
    method,
    headers,
    body: payload,
  });
  const text = await r.text();
  assert.equal(r.status, 200, `${method} ${route}: ${text}`);
  return JSON.parse(text);
}

async function register(name) {
  const reply = await api("POST", "/api/user/register", "", {
    username: name,
    password: PASSWORD,
  });
  state.tokens[name] = reply.access_token;
  state.ids[name] = reply.user_id;
}

async function publish(token, file, title) {
  const form = new FormData();
  form.append(
    "data",
    new Blob([readFileSync(file)], { type: "video/mp4" }),
    "clip.mp4",
  );
  const media = await api("POST", "/api/video/upload", token, form);
  const created = await api("POST", "/api/video/create", token, {
    media_key: media.media.media_key,
    title,
  });
  return created.video.id;
}

async function signIn(page, name) {
  await page.goto(`${state.server.baseUrl}/login`);
  await page.getByLabel("用户名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${state.server.baseUrl}/`);
}

async function newPage(name) {
  const context = await state.browser.newContext({
    locale: "zh-CN",
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("pageerror", (error) =>
    state.errors.push(`${name}: ${error.message}`),
  );
  return page;
}

describe("moderation in the browser", { timeout: 120_000 }, () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-moderation-"));
    state.shots = new Shots(env.shots);
    state.clip = makeClip(state.files, "clip.mp4", { seconds: 2 });
    state.server = new ReelServer(env.binary, {
      REEL_WEB_DIST_DIR: env.dist,
      REEL_AUTH_ARGON2_MEMORY_KIB: "8192",
      REEL_AUTH_ARGON2_OPS: "1",
      REEL_LOG_FORMAT: "json",
      REEL_RATE_LIMIT_ENABLED: "false",
      // The first user (mod) moderates; one report puts a video on hold.
      REEL_MODERATION_MODERATORS: "1",
      REEL_MODERATION_REPORT_HIDE_THRESHOLD: "1",
    });
    await state.server.start();
    state.browser = await chromium.launch({
      executablePath: env.chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--mute-audio",
      ],
      timeout: 30_000,
    });
    await register("mod");
    assert.equal(state.ids.mod, 1);
    await register("bob");
    state.ids.video = await publish(state.tokens.bob, state.clip, "bob's clip");
    state.mod = await newPage("mod");
    state.bob = await newPage("bob");
  });

  after(async () => {
    await state.browser?.close();
    if (state.server) {
      if (process.exitCode)
        console.log(`reel log tail:\n${state.server.tail()}`);
      await state.server.stop();
    }
    rmSync(state.files, { recursive: true, force: true });
  });

  it("shows the moderation page to moderators only", async () => {
    await signIn(state.bob, "bob");
    assert.equal(
      await state.bob.getByRole("link", { name: "审核" }).count(),
      0,
    );
    await state.bob.goto(`${state.server.baseUrl}/admin`);
    await state.bob.getByText("只有审核员可以查看此页面").waitFor();

    await signIn(state.mod, "mod");
    await state.mod.getByRole("link", { name: "审核" }).click();
    await state.mod.getByTestId("admin-page").waitFor();
    await state.mod.getByTestId("admin-tab-reports").click();
    await state.mod.getByText("没有待处理的举报").waitFor();
    await state.shots.take(state.mod, "moderation-empty");
  });

  it("reports a user through the report dialog", async () => {
    const page = state.mod;
    await page.goto(`${state.server.baseUrl}/u/${state.ids.bob}`);
    await page.getByTestId("report-user").click();
    await page.getByRole("radio", { name: "骚扰" }).check();
    await page.getByTestId("report-text").fill("rude messages");
    await page.getByRole("button", { name: "提交举报" }).click();
    await page.getByText("已收到你的举报").waitFor();
    const reports = await api("GET", "/api/admin/reports", state.tokens.mod);
    assert.equal(reports.reports.length, 1);
    assert.equal(reports.reports[0].target_type, "user");
    assert.equal(reports.reports[0].reason, "harassment");
    assert.equal(reports.reports[0].text, "rude messages");
    // Threshold 1: bob is hidden pending review; dismissing shows him again.
    await api(
      "POST",
      `/api/admin/reports/${reports.reports[0].id}/resolve`,
      state.tokens.mod,
      {
        action: "dismiss",
      },
    );
  });

  it("approves a video that reports put on hold", async () => {
    await api("POST", "/api/report/create", state.tokens.mod, {
      target_type: "video",
      target_id: state.ids.video,
      reason: "spam",
    });
    const page = state.mod;
    await page.goto(`${state.server.baseUrl}/admin`);
    const row = page.getByTestId("pending-video");
    await row.waitFor();
    assert.equal(
      Number(await row.getAttribute("data-video-id")),
      state.ids.video,
    );
    await state.shots.take(page, "moderation-pending");
    await row.getByTestId("approve-video").click();
    await page.getByText("已通过").waitFor();
    await page.getByText("没有待审核的视频").waitFor();
    await eventually("the video is public again", async () => {
      const r = await fetch(
        `${state.server.baseUrl}/api/video/${state.ids.video}`,
      );
      return r.status === 200;
    });
    await page.getByTestId("admin-tab-actions").click();
    await page.getByTestId("action-log").getByText("approve_video").waitFor();
    assert.deepEqual(state.errors, []);
  });
});
