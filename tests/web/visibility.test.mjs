// issue 16 in the browser: Alice uploads a private video (after the repost field refuses a
// bad source link), sees it with a lock; Bob does not see it in the feed, on her profile or by
// its link; Alice makes it public in the edit dialog and Bob then sees it.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  apiRegister,
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
const TITLE = "私密视频 lighthouse";

skipUnlessReady(env);

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

async function newPerson(name) {
  const context = await newContext(state.browser);
  const page = await context.newPage();
  const person = { context, page, name, errors: [] };
  page.on("pageerror", (error) => person.errors.push(error.message));
  await signIn(page, state.server.baseUrl, name);
  return person;
}

describe("video visibility in the browser", { timeout: 120_000 }, () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-visibility-"));
    state.shots = new Shots(env.shots);
    state.clip = makeClip(state.files, "private.mp4", { seconds: 1 });
    state.server = await startServer(env, {
      REEL_RATE_LIMIT_ENABLED: "false",
    });
    state.browser = await launchBrowser(env);
    state.ids.alice = (
      await apiRegister(state.server.baseUrl, "alice")
    ).user_id;
    state.ids.bob = (await apiRegister(state.server.baseUrl, "bob")).user_id;
    state.alice = await newPerson("alice");
    state.bob = await newPerson("bob");
  });

  after(() => teardown(state));

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
