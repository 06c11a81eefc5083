// Collections (收藏) and shares in real Chromium against the real server (issue 16): Bob
// bookmarks Alice's video from its page (the button and count change at once and roll back
// when the server refuses), shares it (the share count rises once however often he shares
// that day), finds it under the collections tab of his profile, which Alice sees as private
// until Bob switches "make my collections public" on in the profile dialog.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  apiPublish,
  eventually,
  launchBrowser,
  makeClip,
  newContext,
  PASSWORD,
  settings,
  Shots,
  skipUnlessReady,
  startServer,
  teardown,
} from "./harness.mjs";

const env = settings();
const TITLE = "收藏测试 bookmark me";

skipUnlessReady(env);

const state = {
  files: "",
  server: null,
  browser: null,
  alice: null,
  bob: null,
  ids: {},
  errors: [],
};

async function newPerson(name) {
  const context = await newContext(state.browser);
  // Sharing copies the link; without the permission the client shows it instead.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: state.server.baseUrl,
  });
  const page = await context.newPage();
  page.on("pageerror", (error) =>
    state.errors.push(`${name}: ${error.message}`),
  );
  return { context, page, name };
}

const go = (person, route) =>
  person.page.goto(`${state.server.baseUrl}${route}`);
const active = (page) => page.locator('[data-testid="active-slide"]');
const shots = () => state.shots;

async function register(person) {
  const { page } = person;
  await go(person, "/register");
  await page.getByLabel("用户名").fill(person.name);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("确认密码").fill(PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await page.waitForURL(`${state.server.baseUrl}/`);
  const session = await page.evaluate(() =>
    JSON.parse(localStorage.getItem("reel.session")),
  );
  return session.userId;
}

async function apiJson(method, route, token, body) {
  const r = await fetch(`${state.server.baseUrl}${route}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: await r.json() };
}

const videoOnServer = async () =>
  (await apiJson("GET", `/api/video/${state.ids.video}`)).json.video;

describe("collections and shares in the browser", { timeout: 120_000 }, () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-collections-"));
    state.shots = new Shots(env.shots);
    state.clip = makeClip(state.files, "clip.mp4", {
      seconds: 2,
      size: "640x360",
    });
    state.server = await startServer(env);
    state.browser = await launchBrowser(env);
    state.alice = await newPerson("alice");
    state.bob = await newPerson("bob");
    state.ids.alice = await register(state.alice);
    state.ids.bob = await register(state.bob);

    // Alice's video, posted through the API.
    const login = await apiJson("POST", "/api/user/login", "", {
      username: "alice",
      password: PASSWORD,
    });
    const token = login.json.access_token;
    state.ids.video = await apiPublish(
      state.server.baseUrl,
      token,
      state.clip,
      TITLE,
    );
  });

  after(() => teardown(state));

  it("bookmarks a video with the button, and a refusal rolls the button back", async () => {
    const { page } = state.bob;
    await go(state.bob, `/v/${state.ids.video}`);
    const button = active(page).getByTestId("collect-button");
    const count = active(page).getByTestId("collect-count");
    assert.equal(await button.getAttribute("aria-pressed"), "false");
    assert.equal(await count.textContent(), "0");
    await button.click();
    await eventually(
      "bookmarked",
      async () => (await button.getAttribute("aria-pressed")) === "true",
    );
    await eventually(
      "counted",
      async () => (await count.textContent()) === "1",
    );
    assert.equal(
      (await videoOnServer()).collect_count,
      1,
      "the server counted one bookmark",
    );
    await shots().take(page, "bookmarked");

    // The server refuses the next change: the optimistic state goes back.
    let refused = 0;
    await page.route("**/api/favorite/collect", (route) => {
      refused += 1;
      return route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({
          code: 503,
          reason: "UNAVAILABLE",
          message: "try later",
        }),
      });
    });
    await button.click();
    await eventually("refused once", async () => refused === 1);
    await eventually(
      "rolled back",
      async () => (await button.getAttribute("aria-pressed")) === "true",
    );
    assert.equal(await count.textContent(), "1");
    await page.unroute("**/api/favorite/collect");
    assert.equal(
      (await videoOnServer()).collect_count,
      1,
      "nothing changed on the server",
    );
  });

  it("sharing copies the link and counts once per day", async () => {
    const { page } = state.bob;
    const share = active(page).getByTestId("share-button");
    const count = active(page).getByTestId("share-count");
    await share.click();
    await eventually(
      "share counted",
      async () => (await count.textContent()) === "1",
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, `${state.server.baseUrl}/v/${state.ids.video}`);
    await share.click(); // again the same day: not counted
    await eventually("the second share answered", async () => {
      const v = await videoOnServer();
      return v.share_count === 1;
    });
    assert.equal(await count.textContent(), "1");
    await shots().take(page, "shared");
  });

  it("the collections tab lists bookmarks; others see a private note until made public", async () => {
    const bob = state.bob.page;
    await go(state.bob, `/u/${state.ids.bob}?tab=collections`);
    await bob.getByRole("tab", { name: "收藏" }).waitFor();
    await bob
      .locator(".video-grid")
      .getByRole("link", { name: TITLE })
      .waitFor();
    await shots().take(bob, "own-collections");

    const alice = state.alice.page;
    await go(state.alice, `/u/${state.ids.bob}?tab=collections`);
    await alice.getByText("该用户的收藏不公开").waitFor();
    assert.equal(await alice.locator(".video-grid a").count(), 0);
    await shots().take(alice, "collections-private");

    await bob.getByRole("button", { name: "编辑资料" }).click();
    const dialog = bob.getByRole("dialog");
    const toggle = dialog.getByTestId("collections-public");
    await eventually("the setting read", async () => await toggle.isEnabled());
    assert.equal(await toggle.isChecked(), false);
    await toggle.check();
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.waitFor({ state: "detached" });
    const settings = await apiJson(
      "GET",
      `/api/favorite/collections?user_id=${state.ids.bob}`,
    );
    assert.equal(settings.status, 200, "public now");

    await alice.reload();
    await alice
      .locator(".video-grid")
      .getByRole("link", { name: TITLE })
      .waitFor();
    await shots().take(alice, "collections-public");
    assert.deepEqual(state.errors, []);
  });
});
