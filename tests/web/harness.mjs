// What the browser tests stand on: the real `reel all` on a free 127.0.0.1 port with a temp
// data dir, clips and images made with the ffmpeg CLI, Chromium through playwright-core,
// screenshots into the build directory, and a bounded "eventually".
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { freePort } from "../lib/free_port.mjs";

/// Settings from the environment ctest gives (tests/web/CMakeLists.txt), checked up front.
export function settings() {
  const s = {
    binary: process.env.REEL_BINARY ?? "",
    dist: process.env.REEL_WEB_DIST ?? "",
    shots: process.env.REEL_WEB_SCREENSHOTS ?? path.join(tmpdir(), "reel-web-screenshots"),
    chromium: process.env.CHROMIUM ?? "/usr/bin/chromium",
  };
  const missing = [];
  if (!s.binary || !existsSync(s.binary)) missing.push(`the reel binary (REEL_BINARY=${s.binary})`);
  if (!s.dist || !existsSync(path.join(s.dist, "index.html"))) {
    missing.push(`the built web client (REEL_WEB_DIST=${s.dist}; run npm run build in web/)`);
  }
  if (!existsSync(s.chromium)) missing.push(`Chromium (${s.chromium}; apt-get install chromium)`);
  if (spawnSync("ffmpeg", ["-version"]).status !== 0) missing.push("ffmpeg");
  return { ...s, missing };
}


export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `probe` until it returns a truthy value (returned) or `timeoutMs` passes (throws
/// with `what` and the last value or error seen).
export async function eventually(what, probe, timeoutMs = 10_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${String(last?.message ?? JSON.stringify(last))}`,
      );
    }
    await sleep(everyMs);
  }
}

/// One `reel all` child process. Its log goes to <dataDir>/reel.log and is printed when a
/// test fails (see tail()).
export class ReelServer {
  constructor(binary, env) {
    this.binary = binary;
    this.env = env;
    this.dataDir = mkdtempSync(path.join(tmpdir(), "reel-web-"));
    this.logPath = path.join(this.dataDir, "reel.log");
    mkdirSync(path.join(this.dataDir, "data"));
    this.child = null;
    this.port = 0;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    for (let attempt = 1; attempt <= 3; attempt++) {
      this.port = await freePort();
      const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        ...this.env,
      };
      const log = openSync(this.logPath, "a");
      this.child = spawn(
        this.binary,
        [
          "all",
          "--host",
          "127.0.0.1",
          "--port",
          String(this.port),
          "--data-dir",
          path.join(this.dataDir, "data"),
        ],
        { env, stdio: ["ignore", log, log] },
      );
      closeSync(log);
      let exited = false;
      this.child.once("exit", () => {
        exited = true;
      });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !exited) {
        try {
          const r = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
          if (r.ok) return;
        } catch {
          // not listening yet
        }
        await sleep(100);
      }
      if (!exited) throw new Error(`reel did not answer /healthz within 15 s:\n${this.tail()}`);
      if (!this.tail().includes("in use")) throw new Error(`reel exited at start:\n${this.tail()}`);
    }
    throw new Error(`reel could not find a free port:\n${this.tail()}`);
  }

  tail(lines = 40) {
    try {
      return readFileSync(this.logPath, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function ffmpeg(args) {
  const run = spawnSync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`ffmpeg ${args.join(" ")} failed: ${run.stderr}`);
}

/// A short H.264/AAC MP4 (test pattern and a tone), portrait like a phone clip.
export function makeClip(
  dir,
  name,
  { seconds = 2, size = "360x640", rate = 25, bitrate = "" } = {},
) {
  const out = path.join(dir, name);
  ffmpeg([
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    ...(bitrate ? ["-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate] : []),
    "-c:a",
    "aac",
    "-shortest",
    "-movflags",
    "+faststart",
    out,
  ]);
  return out;
}

/// A small solid-colour PNG (an avatar).
export function makeImage(dir, name, color = "orange") {
  const out = path.join(dir, name);
  ffmpeg(["-f", "lavfi", "-i", `color=c=${color}:s=160x160`, "-frames:v", "1", out]);
  return out;
}

export function fileSize(file) {
  return statSync(file).size;
}

/// Screenshots numbered in the order taken, into the build directory.
export class Shots {
  constructor(dir) {
    this.dir = dir;
    this.n = 0;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  async take(page, name) {
    this.n += 1;
    const file = path.join(this.dir, `${String(this.n).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }
}

/// The password every test person signs up with.
export const PASSWORD = "secret-pass1";

/// Ends the process as skipped (ctest SKIP_RETURN_CODE 77) when something the browser tests
/// need is missing, or throws when REEL_REQUIRE_BROWSER=1 (./scripts/test) says it must be there.
export function skipUnlessReady(env) {
  if (env.missing.length === 0) return;
  const message = `browser tests need: ${env.missing.join(", ")}`;
  if (process.env.REEL_REQUIRE_BROWSER === "1") throw new Error(message);
  console.log(`# SKIP ${message}`);
  process.exit(77);
}

/// Starts `reel all` serving the built client, with cheap password hashing (tests register
/// many people) and JSON logs; `extra` adds or overrides settings of one test file.
export async function startServer(env, extra = {}) {
  const server = new ReelServer(env.binary, {
    REEL_WEB_DIST_DIR: env.dist,
    REEL_AUTH_ARGON2_MEMORY_KIB: "8192",
    REEL_AUTH_ARGON2_OPS: "1",
    REEL_LOG_FORMAT: "json",
    ...extra,
  });
  await server.start();
  return server;
}

/// Debian's Chromium. The closed network here refuses Chromium's background connections:
/// they are switched off.
export function launchBrowser(env) {
  return chromium.launch({
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
}

/// A browser context in Chinese with a desktop-sized window unless `options` say otherwise.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    locale: "zh-CN",
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/// Closes the browser, prints the server's log tail when a test failed, stops the server and
/// removes the temp files.
export async function teardown({ browser, server, files }) {
  await browser?.close();
  if (server) {
    if (process.exitCode) console.log(`reel log tail:\n${server.tail()}`);
    await server.stop();
  }
  if (files) rmSync(files, { recursive: true, force: true });
}

/// Signs `name` in through the login form and waits for the feed.
export async function signIn(page, baseUrl, name) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("用户名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/// Registers `name` through the API; the server's reply (user_id, access_token, ...).
export async function apiRegister(baseUrl, name) {
  const r = await fetch(`${baseUrl}/api/user/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: name, password: PASSWORD }),
  });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`register ${name}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/// Uploads `file` and creates a video titled `title` through the API as the holder of
/// `token`; the created video's id.
export async function apiPublish(baseUrl, token, file, title) {
  const form = new FormData();
  form.set("data", new Blob([readFileSync(file)], { type: "video/mp4" }), path.basename(file));
  const up = await fetch(`${baseUrl}/api/video/upload`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  const upText = await up.text();
  if (up.status !== 200) throw new Error(`upload ${file}: ${up.status} ${upText}`);
  const created = await fetch(`${baseUrl}/api/video/create`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      media_key: JSON.parse(upText).media.media_key,
      title,
    }),
  });
  const createdText = await created.text();
  if (created.status !== 200) throw new Error(`create ${title}: ${created.status} ${createdText}`);
  return JSON.parse(createdText).video.id;
}
