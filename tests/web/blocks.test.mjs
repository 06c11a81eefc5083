// Blocks in the web client (issue 16), in real Chromium against the real server: Alice blocks
// Bob from his profile (after a confirmation), his video leaves her feed, the follow button
// and Bob's chat show why they are refused, and unblocking from her blocked list brings his
// video back.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  apiPublish,
  apiRegister,
  launchBrowser,
  makeClip,
  newContext,
  settings,
  Shots,
  skipUnlessReady,
  startServer,
  teardown,
} from "./harness.mjs";

const env = settings();
const BOB_TITLE = "bob 的日落 blocktest";

skipUnlessReady(env);

const state = { files: "", server: null, browser: null, users: {}, errors: [] };

async function api(method, route, { token, json, form } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json) headers["Content-Type"] = "application/json";
  const r = await fetch(`${state.server.baseUrl}${route}`, {
    method,
    headers,
    body: json ? JSON.stringify(json) : form,
  });
  const body = await r.json();
  assert.equal(r.status, 200, `${method} ${route}: ${JSON.stringify(body)}`);
  return body;
}

async function register(name) {
  const r = await apiRegister(state.server.baseUrl, name);
  return {
    id: r.user_id,
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    name,
  };
}

/// A browser context signed in as `user` (the client keeps its session in localStorage).
async function signedIn(user) {
  const context = await newContext(state.browser);
  await context.addInitScript(
    (s) => {
      if (!localStorage.getItem("reel.session")) {
        localStorage.setItem("reel.session", JSON.stringify(s));
      }
    },
    {
      userId: user.id,
      accessToken: user.accessToken,
      refreshToken: user.refreshToken,
    },
  );
  const page = await context.newPage();
  page.on("pageerror", (error) =>
    state.errors.push(`${user.name}: ${error.message}`),
  );
  return page;
}

const go = (page, route) => page.goto(`${state.server.baseUrl}${route}`);
const activeTitle = (page) =>
  page.locator('[data-testid="active-slide"] .caption-title');

describe("blocks", () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-blocks-"));
    state.shots = new Shots(env.shots);
    const clip = makeClip(state.files, "bob.mp4", { seconds: 1 });
    state.server = await startServer(env);
    state.browser = await launchBrowser(env);
    const alice = await register("alice");
    const bob = await register("bob");
    state.users = { alice, bob };
    await apiPublish(state.server.baseUrl, bob.accessToken, clip, BOB_TITLE);
    await api("POST", "/api/relation/control", {
      token: alice.accessToken,
      json: { to_user_id: bob.id, action: "follow" },
    });
    state.alice = await signedIn(alice);
    state.bob = await signedIn(bob);
  });

  after(() => teardown(state));

  it("blocking from a profile asks first, ends the follow and takes their video out of the feed", async () => {
    const page = state.alice;
    const { bob } = state.users;
    await go(page, "/");
    await activeTitle(page).filter({ hasText: BOB_TITLE }).waitFor();

    await go(page, `/u/${bob.id}`);
    await page
      .getByTestId("follow-button")
      .filter({ hasText: "已关注" })
      .waitFor();
    const block = page.getByTestId("block-button");
    // Declining the confirmation changes nothing.
    page.once("dialog", (d) => d.dismiss());
    await block.filter({ hasText: "拉黑" }).click();
    assert.equal(await block.textContent(), "拉黑");
    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      return d.accept();
    });
    await block.click();
    await page.getByText("已拉黑 bob").waitFor();
    assert.match(asked, /拉黑 bob？/);
    await block.filter({ hasText: "解除拉黑" }).waitFor();
    // The follows ended with the block: the profile, reloaded, shows Alice not following.
    await page
      .getByTestId("follow-button")
      .filter({ hasText: /^关注$/ })
      .waitFor();
    await state.shots.take(page, "blocked-profile");

    // The follow button says why it cannot follow.
    await page.getByTestId("follow-button").click();
    await page.getByText("你已拉黑对方，请先解除拉黑").waitFor();

    await go(page, "/");
    await page.getByText("这里还没有视频").waitFor();
    assert.equal(await activeTitle(page).count(), 0);
    await state.shots.take(page, "feed-without-bob");
  });

  it("the blocked user's follow and chat show that they were blocked", async () => {
    const page = state.bob;
    const { alice } = state.users;
    await go(page, `/u/${alice.id}`);
    await page.getByTestId("follow-button").click();
    await page.getByText("对方已将你拉黑").waitFor();
    await go(page, `/chat/${alice.id}`);
    await page.getByPlaceholder("发消息…").fill("你好");
    await page.getByRole("button", { name: "发送" }).click();
    await page.getByText("发送失败：对方已将你拉黑").waitFor();
    await state.shots.take(page, "bob-chat-refused");
  });

  it("the blocked list unblocks, and their video comes back", async () => {
    const page = state.alice;
    const { alice } = state.users;
    await go(page, `/u/${alice.id}`);
    await page.getByRole("button", { name: "黑名单" }).click();
    const dialog = page.getByRole("dialog");
    const row = dialog.getByTestId("blocked-user").filter({ hasText: "bob" });
    await row.waitFor();
    await state.shots.take(page, "blocked-list");
    page.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: "解除拉黑" }).click();
    await dialog.getByText("你还没有拉黑任何人").waitFor();
    await page.keyboard.press("Escape");

    await go(page, "/");
    await activeTitle(page).filter({ hasText: BOB_TITLE }).waitFor();
    assert.deepEqual(state.errors, []);
  });
});
