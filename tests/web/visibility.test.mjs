// issue 16 in the browser: Alice uploads a private video (after the repost field refuses a
// bad source link), sees it with a lock; Bob does not see it in the feed, on her profile or by
// its link; Alice makes it public in the edit dialog and Bob then sees it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { ReelServer, Shots, makeClip, settings } from "./harness.mjs";

const env = settings();
const PASSWORD = "secret-pass1";
const TITLE = "私密视频 lighthouse";

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
  alice: null,
  bob: null,
  ids: {},
};
const go = (person, route) =>
  person.page.goto(`${state.server.baseUrl}${route}`);

async function register(name) {
  const r = await fetch(`${state.server.baseUrl}/api/user/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: name, password: PASSWORD }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()).user_id;
}

async function newPerson(name) {
  const context = await state.browser.newContext({
    locale: "zh-CN",
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const person = { context, page, name, errors: [] };
  page.on("pageerror", (error) => person.errors.push(error.message));
  await go(person, "/login");
  await page.getByLabel("用户名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${state.server.baseUrl}/`);
  return person;
}

describe("video visibility in the browser", { timeout: 120_000 }, () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-visibility-"));
    state.shots = new Shots(env.shots);
    state.clip = makeClip(state.files, "private.mp4", { seconds: 1 });
    state.server = new ReelServer(env.binary, {
      REEL_WEB_DIST_DIR: env.dist,
      REEL_AUTH_ARGON2_MEMORY_KIB: "8192",
      REEL_AUTH_ARGON2_OPS: "1",
      REEL_RATE_LIMIT_ENABLED: "false",
      REEL_LOG_FORMAT: "json",
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
    state.ids.alice = await register("alice");
    state.ids.bob = await register("bob");
    state.alice = await newPerson("alice");
    state.bob = await newPerson("bob");
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

  it("uploads a private video; a repost needs a valid source link", async () => {
    const { page } = state.alice;
    await go(state.alice, "/upload");
    await page.getByTestId("file-input").setInputFiles(state.clip);
    await page.getByTestId("upload-done").waitFor();
    await page.getByLabel("标题").fill(TITLE);
    await page.getByTestId("upload-private").check();
    await page.getByTestId("upload-repost").check();
    await page.getByTestId("publish").click();
    await page.getByText("转载需要填写原视频链接").waitFor();
    await page.getByLabel("原视频链接").fill("ftp://example.com/v");
    await page
      .getByText("链接需以 http:// 或 https:// 开头，且不能含空格")
      .waitFor();
    await state.shots.take(page, "upload-source-invalid");
    await page.getByLabel("原创").check();
    await page.getByTestId("publish").click();
    await page.waitForURL(/\/v\/\d+$/);
    state.ids.video = Number(new URL(page.url()).pathname.split("/").pop());
    assert.ok(state.ids.video > 0);
    await page.getByTestId("badge-private").first().waitFor();
    await state.shots.take(page, "private-video-author");
  });

  it("another person does not see it: not in the feed, on the profile or by its link", async () => {
    const { page } = state.bob;
    await go(state.bob, "/");
    await page.getByText("这里还没有视频").waitFor();
    await go(state.bob, `/u/${state.ids.alice}`);
    await page.getByTestId("profile-name").waitFor();
    assert.equal(await page.getByText(TITLE).count(), 0);
    await go(state.bob, `/v/${state.ids.video}`);
    await page.getByText("视频不存在或已删除").waitFor();
    await state.shots.take(page, "private-video-other");
    // Alice's own profile grid shows it, with its lock.
    await go(state.alice, `/u/${state.ids.alice}`);
    await state.alice.page.getByText(TITLE).first().waitFor();
    await state.alice.page.getByTestId("badge-private").first().waitFor();
  });

  it("made public in the edit dialog, it appears for others", async () => {
    const { page } = state.alice;
    await go(state.alice, `/v/${state.ids.video}`);
    await page.getByRole("button", { name: "编辑" }).click();
    await page.getByRole("dialog").getByLabel("公开").check();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: "保存" })
      .click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="badge-private"]'),
    );

    const bob = state.bob.page;
    await go(state.bob, `/v/${state.ids.video}`);
    await bob.getByText(TITLE).first().waitFor();
    assert.equal(await bob.getByTestId("badge-private").count(), 0);
    await state.shots.take(bob, "public-video-other");
    assert.deepEqual([...state.alice.errors, ...state.bob.errors], []);
  });
});
