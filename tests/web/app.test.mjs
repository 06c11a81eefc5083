// The reel web client in real Chromium against the real server: two people, Alice on a
// desktop-sized window and Bob on a phone-sized touch screen, register, upload, watch, like,
// comment, follow, search, chat and edit a profile. Steps run in order and build on each
// other; each saves a screenshot. Access tokens live 8 s here, so every step after the first
// few also proves that expired tokens are refreshed without anyone noticing.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  PASSWORD,
  Shots,
  eventually,
  fileSize,
  launchBrowser,
  makeClip,
  makeImage,
  newContext,
  settings,
  skipUnlessReady,
  sleep,
  startServer,
  teardown,
} from "./harness.mjs";

const env = settings();
const MAX_UPLOAD = 8 * 1024 * 1024;
const ACCESS_TTL_S = 8;
const TITLE = "海边日落 reeltest";
const SECOND_TITLE = "second clip";

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

async function newPerson(options) {
  const context = await newContext(state.browser, options);
  const page = await context.newPage();
  page.on("pageerror", (error) => state.errors.push(`${options.name}: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/Failed to load resource/.test(msg.text())) {
      state.errors.push(`${options.name} console: ${msg.text()}`);
    }
  });
  return { context, page, name: options.name };
}

const go = (person, route) => person.page.goto(`${state.server.baseUrl}${route}`);
const session = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem("reel.session") ?? "null"));
const active = (page) => page.locator('[data-testid="active-slide"]');
const shots = () => state.shots;

/// What the active slide's <video> is doing.
const playerState = (page) =>
  page.evaluate(() => {
    const v = document.querySelector('[data-testid="active-slide"] video');
    return v
      ? { paused: v.paused, muted: v.muted, time: v.currentTime, ready: v.readyState }
      : null;
  });

async function apiLogin(name) {
  const r = await fetch(`${state.server.baseUrl}/api/user/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: name, password: PASSWORD }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()).access_token;
}

/// A swipe on the touch screen, as a finger would (Playwright has taps only).
async function swipe(page, fromY, toY) {
  const cdp = await page.context().newCDPSession(page);
  const x = 150;
  await cdp.send("Input.dispatchTouchEvent", {
    type: "touchStart",
    touchPoints: [{ x, y: fromY }],
  });
  for (let i = 1; i <= 6; i++) {
    const y = fromY + ((toY - fromY) * i) / 6;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

describe("reel in the browser", { timeout: 240_000 }, () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-files-"));
    state.shots = new Shots(env.shots);
    // A clip large enough that a throttled upload reports progress several times.
    state.clip = makeClip(state.files, "sunset.mp4", { seconds: 4, bitrate: "2M" });
    state.second = makeClip(state.files, "second.mp4", { seconds: 2, size: "640x360" });
    state.avatar = makeImage(state.files, "avatar.png");
    state.server = await startServer(env, {
      REEL_AUTH_ACCESS_TTL: `${ACCESS_TTL_S}s`,
      REEL_MEDIA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
    });
    state.browser = await launchBrowser(env);
    state.alice = await newPerson({ name: "alice", viewport: { width: 1280, height: 800 } });
    state.bob = await newPerson({
      name: "bob",
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
  });

  after(() => teardown(state));

  it("serves the client at / in Chinese by default", async () => {
    const { page } = state.alice;
    const response = await go(state.alice, "/");
    assert.equal(response.status(), 200);
    assert.match(response.headers()["content-type"], /text\/html/);
    await page.getByRole("tab", { name: "最新" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
    await page.getByText("这里还没有视频").waitFor();
    await shots().take(page, "empty-feed");
  });

  it("register shows validation messages, refuses a taken name, and signs in", async () => {
    const { page } = state.alice;
    await go(state.alice, "/register");
    await page.getByRole("button", { name: "注册" }).click();
    await page.getByText("请输入用户名").waitFor();
    await page.getByLabel("用户名").fill("alice");
    await page.getByLabel("密码", { exact: true }).fill("123");
    await page.getByLabel("确认密码").fill("1234");
    await page.getByRole("button", { name: "注册" }).click();
    await page.getByText("密码需要 6–32 个字符").waitFor();
    await page.getByText("两次输入的密码不一致").waitFor();
    await shots().take(page, "register-validation");
    await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
    await page.getByLabel("确认密码").fill(PASSWORD);
    await page.getByRole("button", { name: "注册" }).click();
    await page.waitForURL(`${state.server.baseUrl}/`);
    const alice = await session(page);
    assert.ok(alice?.userId > 0 && alice.accessToken && alice.refreshToken, JSON.stringify(alice));
    state.ids.alice = alice.userId;

    const bob = state.bob.page;
    await go(state.bob, "/register");
    await bob.getByLabel("用户名").fill("alice");
    await bob.getByLabel("密码", { exact: true }).fill(PASSWORD);
    await bob.getByLabel("确认密码").fill(PASSWORD);
    await bob.getByRole("button", { name: "注册" }).click();
    await bob.getByText("用户名已被注册").waitFor();
    await bob.getByLabel("用户名").fill("bob");
    await bob.getByRole("button", { name: "注册" }).click();
    await bob.waitForURL(`${state.server.baseUrl}/`);
    state.ids.bob = (await session(bob)).userId;
    assert.notEqual(state.ids.bob, state.ids.alice);
    await shots().take(bob, "bob-registered-phone");
  });

  it("upload refuses non-video and oversize files before sending, then uploads with progress", async () => {
    const { page } = state.alice;
    await go(state.alice, "/upload");
    const input = page.getByTestId("file-input");
    const uploads = [];
    page.on("request", (r) => r.url().endsWith("/api/video/upload") && uploads.push(r.url()));

    await input.setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("not a video"),
    });
    await page.getByTestId("file-error").getByText("不是视频文件").waitFor();
    // A sparse file on disk: Playwright hands the browser its path, not 8 MiB of base64.
    const huge = path.join(state.files, "huge.mp4");
    writeFileSync(huge, "");
    truncateSync(huge, MAX_UPLOAD + 512 * 1024);
    await input.setInputFiles(huge);
    await page.getByTestId("file-error").getByText("文件太大").waitFor();
    assert.equal(uploads.length, 0, "nothing may be sent for a refused file");
    await shots().take(page, "upload-refused");

    // Slow the network so the bar has something to show: ~3 s for the clip (within the token's
    // life: the server checks the token once the body is in).
    const cdp = await page.context().newCDPSession(page);
    const bytesPerSecond = Math.ceil(fileSize(state.clip) / 3);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: bytesPerSecond,
    });
    await input.setInputFiles(state.clip);
    const seen = new Set();
    await eventually(
      "upload to finish",
      async () => {
        const value = await page.evaluate(() => {
          const bar = document.querySelector(".upload-progress progress");
          return bar ? [bar.value, bar.max] : null;
        });
        if (value) seen.add(value[0] / value[1]);
        return page.getByTestId("upload-done").isVisible();
      },
      30_000,
      100,
    );
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
    const partial = [...seen].filter((f) => f > 0 && f < 1);
    assert.ok(partial.length >= 2, `the bar moved through the upload: ${[...seen].join(", ")}`);
    assert.equal(uploads.length, 1);
    await page.getByTestId("upload-done").getByText("上传完成").waitFor();
    await shots().take(page, "upload-done");

    await page.getByLabel("标题").fill(TITLE);
    await page.getByLabel("简介").fill("傍晚的海边 a quiet evening");
    const tags = page.getByRole("textbox", { name: "话题" });
    await tags.fill("travel");
    await tags.press("Enter");
    await tags.fill("日落");
    await tags.press("Enter");
    await page.getByTestId("publish").click();
    await page.waitForURL(/\/v\/\d+$/);
    state.ids.video = Number(new URL(page.url()).pathname.split("/").pop());
    await active(page).locator(".caption-title", { hasText: TITLE }).waitFor();
    assert.equal(await active(page).locator(".caption-tags a").count(), 2);
    await shots().take(page, "published-video-page");

    // A second video, posted through the API, so the feed has somewhere to move to.
    const token = await apiLogin("alice");
    const form = new FormData();
    form.set("data", new Blob([readFileSync(state.second)], { type: "video/mp4" }), "second.mp4");
    const up = await fetch(`${state.server.baseUrl}/api/video/upload`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    assert.equal(up.status, 200, await up.clone().text());
    const { media } = await up.json();
    const created = await fetch(`${state.server.baseUrl}/api/video/create`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ media_key: media.media_key, title: SECOND_TITLE }),
    });
    assert.equal(created.status, 200, await created.clone().text());
  });

  it("the feed autoplays muted, swipes and keys move, the next video is preloaded, a tap unmutes", async () => {
    const { page } = state.bob;
    await go(state.bob, "/");
    // Newest first: the API-posted clip, then the uploaded one.
    await active(page).locator(".caption-title", { hasText: SECOND_TITLE }).waitFor();
    await eventually("the first video to play muted", async () => {
      const s = await playerState(page);
      return s && !s.paused && s.muted && s.time > 0;
    });
    const preloaded = await page.evaluate(() => {
      const slides = [...document.querySelectorAll(".slide")];
      const next = slides.find((s) => s.getAttribute("aria-hidden") === "true");
      return next?.querySelector("video")?.getAttribute("preload");
    });
    assert.equal(preloaded, "auto", "the next slide's video is loading already");
    await shots().take(page, "feed-autoplay-muted");

    await swipe(page, 600, 200);
    await active(page).locator(".caption-title", { hasText: TITLE }).waitFor();
    await page.keyboard.press("ArrowUp");
    await active(page).locator(".caption-title", { hasText: SECOND_TITLE }).waitFor();
    await page.keyboard.press("ArrowDown");
    await active(page).locator(".caption-title", { hasText: TITLE }).waitFor();
    await eventually("the second video to play", async () => {
      const s = await playerState(page);
      return s && !s.paused && s.time > 0;
    });
    assert.equal((await playerState(page)).muted, true, "still muted before any tap");
    await active(page).locator(".stage").click();
    await eventually(
      "sound on after the first tap",
      async () => (await playerState(page))?.muted === false,
    );
    await shots().take(page, "feed-second-video-unmuted");

    // The desktop window moves with the mouse wheel.
    const desk = state.alice.page;
    await go(state.alice, "/");
    await active(desk).locator(".caption-title", { hasText: SECOND_TITLE }).waitFor();
    await desk.mouse.move(640, 400);
    await desk.mouse.wheel(0, 400);
    await active(desk).locator(".caption-title", { hasText: TITLE }).waitFor();
    await sleep(500); // the slide transition, for the picture
    await shots().take(desk, "feed-desktop-after-wheel");
  });

  it("like with the button and with a double tap", async () => {
    const { page } = state.bob;
    const like = active(page).getByTestId("like-button");
    const count = active(page).getByTestId("like-count");
    await like.click();
    await eventually("liked", async () => (await like.getAttribute("aria-pressed")) === "true");
    assert.equal(await count.textContent(), "1");
    await like.click();
    await eventually("unliked", async () => (await like.getAttribute("aria-pressed")) === "false");
    assert.equal(await count.textContent(), "0");
    await active(page).locator(".stage").dblclick();
    await eventually(
      "liked by double tap",
      async () => (await like.getAttribute("aria-pressed")) === "true",
    );
    assert.equal(await count.textContent(), "1");
    await shots().take(page, "liked");
    const r = await fetch(`${state.server.baseUrl}/api/video/${state.ids.video}`);
    assert.equal((await r.json()).video.favorite_count, 1, "the server counted one like");
  });

  it("comments: post, see, delete your own", async () => {
    const { page } = state.bob;
    await active(page).getByTestId("comment-button").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("还没有评论").waitFor();
    const field = dialog.getByLabel("评论内容");
    await field.fill("好看！🌅");
    await field.press("Enter");
    await dialog.getByTestId("comment").filter({ hasText: "好看！🌅" }).waitFor();
    await field.fill("delete me");
    await dialog.getByRole("button", { name: "发送" }).click();
    const doomed = dialog.getByTestId("comment").filter({ hasText: "delete me" });
    await doomed.waitFor();
    await shots().take(page, "comments-two");
    await doomed.getByTestId("delete-comment").click();
    await doomed.waitFor({ state: "detached" });
    assert.equal(await dialog.getByTestId("comment").count(), 1);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assert.equal(await active(page).getByTestId("comment-count").textContent(), "1");
    const r = await fetch(`${state.server.baseUrl}/api/comment/get?video_id=${state.ids.video}`);
    const body = await r.json();
    assert.deepEqual(
      body.comments.map((c) => c.content),
      ["好看！🌅"],
    );
  });

  it("follow from the profile, with an expired token refreshed on the way", async () => {
    const { page } = state.bob;
    const before = await session(page);
    // Let the access token lapse; the next call must refresh it without anyone noticing.
    await sleep(ACCESS_TTL_S * 1000 + 1200);
    await active(page).getByRole("link", { name: "alice 的主页" }).click();
    await page.waitForURL(`${state.server.baseUrl}/u/${state.ids.alice}`);
    await page.getByTestId("profile-name").getByText("alice").waitFor();
    const follow = page.getByTestId("follow-button");
    await follow.click();
    await eventually(
      "following",
      async () => (await follow.getAttribute("aria-pressed")) === "true",
    );
    assert.equal(await follow.textContent(), "已关注");
    await page.getByRole("link", { name: /1\s*粉丝/ }).waitFor();
    const afterFollow = await session(page);
    assert.notEqual(afterFollow.accessToken, before.accessToken, "the token was refreshed");
    assert.equal(afterFollow.userId, before.userId);
    await shots().take(page, "followed-alice");
    await page.getByRole("link", { name: /1\s*粉丝/ }).click();
    await page.waitForURL(/\/followers$/);
    await page.locator(".user-row", { hasText: "bob" }).waitFor();
    await shots().take(page, "alice-followers");
    // The following tab now has Alice's videos.
    await go(state.bob, "/?tab=following");
    await active(page).locator(".caption-author", { hasText: "@alice" }).waitFor();
  });

  it("search finds videos and people as you type, debounced", async () => {
    const { page } = state.bob;
    await go(state.bob, "/search");
    const searches = [];
    page.on("request", (r) => r.url().includes("/api/search") && searches.push(r.url()));
    const field = page.getByLabel("搜索");
    await field.pressSequentially("日落", { delay: 60 });
    await page.getByTestId("search-results").getByRole("link", { name: TITLE }).waitFor();
    assert.ok(
      searches.length <= 2,
      `typing sent ${searches.length} searches: ${searches.join(" ")}`,
    );
    assert.match(page.url(), /q=%E6%97%A5%E8%90%BD/);
    await shots().take(page, "search-videos");
    await page.getByRole("tab", { name: "用户" }).click();
    await field.fill("alice");
    await page.locator(".user-row", { hasText: "alice" }).waitFor();
    await shots().take(page, "search-users");
  });

  it("chat between two friends, polled without duplicates", async () => {
    const alice = state.alice.page;
    const bob = state.bob.page;
    // Alice follows back: now they are friends.
    await go(state.alice, `/u/${state.ids.bob}`);
    await alice.getByTestId("follow-button").click();
    await eventually(
      "alice follows bob",
      async () =>
        (await alice.getByTestId("follow-button").getAttribute("aria-pressed")) === "true",
    );
    await go(state.alice, "/chat");
    await alice.getByTestId("conversations").getByText("bob").click();
    await alice.waitForURL(`${state.server.baseUrl}/chat/${state.ids.bob}`);
    await alice.getByLabel("消息内容").fill("你好 bob");
    await alice.getByLabel("消息内容").press("Enter");
    await alice.getByTestId("chat-message").filter({ hasText: "你好 bob" }).waitFor();

    await go(state.bob, "/chat");
    await bob.getByTestId("conversations").getByText("你好 bob").waitFor();
    await shots().take(bob, "chat-list");
    await bob.getByTestId("conversations").getByText("alice").click();
    await bob.getByTestId("chat-message").filter({ hasText: "你好 bob" }).waitFor();
    await bob.getByLabel("消息内容").fill("hi alice");
    await bob.getByRole("button", { name: "发送" }).click();
    await bob.getByTestId("chat-message").filter({ hasText: "hi alice" }).waitFor();

    // Alice sees the reply by polling, with no reload.
    await alice
      .getByTestId("chat-message")
      .filter({ hasText: "hi alice" })
      .waitFor({ timeout: 8000 });
    // Several more polls (and token refreshes) later, each message is there once.
    await sleep(4000);
    for (const page of [alice, bob]) {
      const ids = await page
        .getByTestId("chat-message")
        .evaluateAll((els) => els.map((e) => e.dataset.messageId));
      assert.equal(ids.length, 2, `two messages, got ${ids.join(",")}`);
      assert.equal(new Set(ids).size, 2);
    }
    const mine = await bob.locator(".bubble.mine").allTextContents();
    assert.equal(mine.length, 1);
    assert.match(mine[0], /hi alice/);
    await shots().take(alice, "chat-alice");
    await shots().take(bob, "chat-bob");
  });

  it("edit your own profile: bio and avatar", async () => {
    const { page } = state.alice;
    await go(state.alice, "/me");
    await page.waitForURL(`${state.server.baseUrl}/u/${state.ids.alice}`);
    await page.getByRole("button", { name: "编辑资料" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("签名").fill("拍日落的人 · I film sunsets");
    await dialog.getByLabel("头像").setInputFiles(state.avatar);
    await dialog.locator("img.thumb.avatar").waitFor();
    await shots().take(page, "edit-profile");
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByTestId("profile-signature").getByText("拍日落的人 · I film sunsets").waitFor();
    const avatar = page.locator(".profile-main img.avatar");
    await avatar.waitFor();
    assert.match(await avatar.getAttribute("src"), /\/media\//);
    await page.reload();
    await page.getByTestId("profile-signature").getByText("拍日落的人 · I film sunsets").waitFor();
    await page.locator(".profile-main img.avatar").waitFor();
    assert.equal(await page.getByRole("tab", { name: /作品/ }).textContent(), "作品 2");
    await shots().take(page, "profile-edited");
  });

  it("switches to English and remembers it", async () => {
    const { page } = state.alice;
    await page.getByTestId("lang-switch").click();
    await page.getByRole("link", { name: "Home" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Edit profile" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    await shots().take(page, "english-profile");
  });

  it("/api/docs renders the OpenAPI document, loading nothing from elsewhere", async () => {
    const context = await state.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const origin = new URL(state.server.baseUrl).origin;
    const problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin) {
        problems.push(`request to another origin: ${request.url()}`);
      }
    });
    page.on("requestfailed", (request) =>
      problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
    );
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
    });
    try {
      const response = await page.goto(`${state.server.baseUrl}/api/docs`);
      assert.equal(response.status(), 200);
      assert.match(response.headers()["content-security-policy"] ?? "", /default-src 'self'/);
      // Swagger UI draws the title and every operation from /api/openapi.yaml.
      await page.locator(".info .title", { hasText: "reel API" }).waitFor();
      const login = page.locator('.opblock-summary-path[data-path="/api/user/login"]');
      await login.waitFor();
      assert.ok((await page.locator(".opblock").count()) > 20, "every operation is listed");
      // Opened, it shows the request body the document describes.
      await login.click();
      const opened = page.locator(".opblock.is-open");
      await opened.locator(".opblock-section-request-body").waitFor();
      await opened.getByText("username", { exact: false }).first().waitFor();
      await shots().take(page, "api-docs");
      assert.deepEqual(problems, []);
    } catch (error) {
      // What the page ran into says more than which element never showed.
      await shots().take(page, "api-docs-failed");
      error.message += `\npage problems: ${JSON.stringify(problems, null, 1)}`;
      throw error;
    } finally {
      await context.close();
    }
  });

  it("a refresh token used twice ends the session, and the client signs out", async () => {
    const { page } = state.bob;
    const stolen = (await session(page)).refreshToken;
    const refresh = () =>
      fetch(`${state.server.baseUrl}/api/user/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: stolen }),
      });
    // Someone copied it and used it; used again, the server sees the copy and ends the session.
    assert.equal((await refresh()).status, 200);
    const reused = await refresh();
    assert.equal(reused.status, 401);
    assert.equal((await reused.json()).reason, "TOKEN_REUSED");
    // Bob's next write is refused as revoked, and the client signs him out.
    await go(state.bob, `/u/${state.ids.alice}`);
    await page.getByTestId("follow-button").click();
    await eventually("signed out", async () => (await session(page)) === null);
  });

  it("the next login sends the device token; logout ends the session on the server", async () => {
    const { page } = state.bob;
    const devices = await page.evaluate(() => JSON.parse(localStorage.getItem("reel.devices")));
    assert.ok(devices?.bob, "registering kept a device token");
    await go(state.bob, "/login");
    await page.getByLabel("用户名").fill("bob");
    await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
    const sent = page.waitForRequest((r) => r.url().endsWith("/api/user/login"));
    await page.getByRole("button", { name: "登录" }).click();
    assert.equal(JSON.parse((await sent).postData()).device_token, devices.bob);
    await page.waitForURL(`${state.server.baseUrl}/`);
    const signedIn = await session(page);
    assert.equal(signedIn?.userId, state.ids.bob);

    await go(state.bob, "/me");
    await page.waitForURL(`${state.server.baseUrl}/u/${state.ids.bob}`);
    await page.getByRole("button", { name: "退出登录" }).click();
    await eventually("signed out", async () => (await session(page)) === null);
    const refused = await eventually("the session ended on the server", async () => {
      const r = await fetch(`${state.server.baseUrl}/api/user/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: signedIn.refreshToken }),
      });
      return r.status === 401 ? r.json() : null;
    });
    assert.equal(refused.reason, "TOKEN_REVOKED");
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("reel.devices")));
    assert.ok(kept?.bob, "the device token outlives the logout");
    await shots().take(page, "logged-out");
  });

  it("no page errors anywhere", () => {
    assert.deepEqual(state.errors, []);
  });
});

// Keep a record of where the screenshots went, for people reading ctest output.
process.on("exit", () => {
  if (state.shots) {
    writeFileSync(
      path.join(state.shots.dir, "README.txt"),
      "Screenshots of tests/web/app.test.mjs, one per step, in order.\n",
    );
    console.log(`# screenshots in ${state.shots.dir}`);
  }
});
