// Comment replies in the browser (issue 16): a thread shows its first replies and "view N
// more"; replying to a reply shows "A ▸ B"; deleting one's own reply updates both counts.
// Alice's video, thread and replies are made through the API; Bob works in the browser.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
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

const state = { files: "", server: null, browser: null, page: null, ids: {}, errors: [] };

async function api(method, route, token, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined && !(body instanceof FormData))
    headers["Content-Type"] = "application/json";
  const r = await fetch(`${state.server.baseUrl}${route}`, {
    method,
    headers,
    body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
  });
  const json = await r.json();
  assert.equal(r.status, 200, `${method} ${route}: ${JSON.stringify(json)}`);
  return json;
}

describe("comment replies in the browser", { timeout: 120_000 }, () => {
  before(async () => {
    state.files = mkdtempSync(path.join(tmpdir(), "reel-web-comments-"));
    state.shots = new Shots(env.shots);
    const clip = makeClip(state.files, "clip.mp4", { seconds: 1 });
    state.server = await startServer(env);

    const alice = await apiRegister(state.server.baseUrl, "alice");
    await apiRegister(state.server.baseUrl, "bob");
    state.ids.alice = alice.user_id;
    const form = new FormData();
    form.append("token", alice.access_token);
    form.append("title", "replies clip");
    form.append("data", new Blob([readFileSync(clip)], { type: "video/mp4" }), "clip.mp4");
    const published = await fetch(`${state.server.baseUrl}/douyin/publish/action/`, {
      method: "POST",
      body: form,
    });
    assert.equal((await published.json()).status_code, 0);
    const videos = await api("GET", `/api/video?user_id=${alice.user_id}`, "");
    state.ids.video = videos.videos[0].id;
    const top = await api("POST", "/api/comment/create", alice.access_token, {
      video_id: state.ids.video,
      content: "alice's thread",
    });
    state.ids.thread = top.comment.id;
    state.ids.replies = [];
    for (let i = 1; i <= 5; i++) {
      const r = await api("POST", "/api/comment/creat", alice.access_token, {
        video_id: state.ids.video,
        parent_id: state.ids.thread,
        content: `alice reply ${i}`,
      });
      state.ids.replies.push(r.comment.id);
    }

    state.browser = await launchBrowser(env);
    const context = await newContext(state.browser);
    state.page = await context.newPage();
    state.page.on("pageerror", (error) => state.errors.push(error.message));
  });

  after(() => teardown(state));

  it("shows the first replies, then the rest on request", async () => {
    const { page } = state;
    await signIn(page, state.server.baseUrl, "bob");

    const slide = page.locator('[data-testid="active-slide"]');
    assert.equal(await slide.getByTestId("comment-count").textContent(), "6");
    await slide.getByTestId("comment-button").click();
    const dialog = page.getByRole("dialog");
    const thread = dialog.getByTestId("comment").filter({ hasText: "alice's thread" });
    await thread.waitFor();
    await eventually(
      "three first replies",
      async () => (await thread.getByTestId("reply").count()) === 3,
    );
    const more = thread.getByTestId("view-replies");
    assert.equal(await more.textContent(), "展开更多回复（2）");
    await state.shots.take(page, "thread-first-replies");
    await more.click();
    await eventually(
      "all five replies",
      async () => (await thread.getByTestId("reply").count()) === 5,
    );
    assert.deepEqual(await thread.getByTestId("reply").locator(".comment-text").allTextContents(), [
      "alice reply 1",
      "alice reply 2",
      "alice reply 3",
      "alice reply 4",
      "alice reply 5",
    ]);
    assert.equal(await thread.getByTestId("view-replies").count(), 0);
  });

  it("a reply to a reply says whom it answers, and deleting it updates the counts", async () => {
    const { page } = state;
    const dialog = page.getByRole("dialog");
    const thread = dialog.getByTestId("comment").filter({ hasText: "alice's thread" });
    const second = thread.getByTestId("reply").filter({ hasText: "alice reply 2" });
    await second.getByTestId("reply-button").click();
    await dialog.getByTestId("reply-target").getByText("回复 alice").waitFor();
    const field = dialog.getByLabel("回复 alice");
    await field.fill("bob answers");
    await field.press("Enter");
    const mine = thread.getByTestId("reply").filter({ hasText: "bob answers" });
    await mine.waitFor();
    assert.equal((await mine.getByTestId("reply-to").textContent()).trim(), "▸ alice");
    assert.equal(await dialog.getByTestId("reply-target").count(), 0);
    await state.shots.take(page, "reply-to-reply");

    const r = await api("GET", `/api/comment/replies?comment_id=${state.ids.thread}&limit=100`, "");
    const sent = r.replies.find((c) => c.content === "bob answers");
    assert.equal(sent.reply_to_comment_id, state.ids.replies[1]);
    assert.equal(sent.reply_to_user.id, state.ids.alice);

    // Only one's own replies (on someone else's video) can be deleted.
    assert.equal(await thread.getByTestId("delete-reply").count(), 1);
    await mine.getByTestId("delete-reply").click();
    await mine.waitFor({ state: "detached" });
    assert.equal(await thread.getByTestId("reply").count(), 5);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    const slide = page.locator('[data-testid="active-slide"]');
    assert.equal(await slide.getByTestId("comment-count").textContent(), "6");
    const after = await api("GET", `/api/video/${state.ids.video}`, "");
    assert.equal(after.video.comment_count, 6);
    assert.deepEqual(state.errors, []);
  });
});
