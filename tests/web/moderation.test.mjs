// Moderation in the browser (issue 16): a moderator (named in moderation.moderators) sees the
// moderation link, reports a user through the report dialog, and approves a video that
// reports put on hold; someone else sees no link and is told the page is for moderators.
// The approval needs the video service's review (SetAuditStatus, issue 16's video helper).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  apiPublish,
  apiRegister,
  eventually,
  launchBrowser,
  makeClip,
  newContext,
  settings,
  Shots,
  signIn,
  skipUnlessReady,
  startServer,
  teardown,
} from "./harness.mjs";

const env = settings();

skipUnlessReady(env);

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
  const reply = await apiRegister(state.server.baseUrl, name);
  state.tokens[name] = reply.access_token;
  state.ids[name] = reply.user_id;
}

async function newPage(name) {
  const context = await newContext(state.browser);
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
    state.server = await startServer(env, {
      REEL_RATE_LIMIT_ENABLED: "false",
      // The first user (mod) moderates; one report puts a video on hold.
      REEL_MODERATION_MODERATORS: "1",
      REEL_MODERATION_REPORT_HIDE_THRESHOLD: "1",
    });
    state.browser = await launchBrowser(env);
    await register("mod");
    assert.equal(state.ids.mod, 1);
    await register("bob");
    state.ids.video = await apiPublish(
      state.server.baseUrl,
      state.tokens.bob,
      state.clip,
      "bob's clip",
    );
    state.mod = await newPage("mod");
    state.bob = await newPage("bob");
  });

  after(() => teardown(state));

  it("shows the moderation page to moderators only", async () => {
    await signIn(state.bob, state.server.baseUrl, "bob");
    assert.equal(
      await state.bob.getByRole("link", { name: "审核" }).count(),
      0,
    );
    await state.bob.goto(`${state.server.baseUrl}/admin`);
    await state.bob.getByText("只有审核员可以查看此页面").waitFor();

    await signIn(state.mod, state.server.baseUrl, "mod");
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
