#!/usr/bin/env node
// Every query of every Grafana dashboard (deploy/grafana/dashboards) against a real
// Prometheus scraping a real local cluster: starts a plain cluster (scripts/cluster: eight
// `reel serve` processes, their Redis and the nginx edge), a Prometheus on the cluster's
// targets with a 1 s scrape interval (scripts/engines prometheus), drives traffic through the
// edge (two users, logins good and bad, an upload and a refused one, feeds, a like, a
// comment, a follow, a message, a 404), waits for scrapes, then runs each panel target's
// expression through /api/v1/query. Fails naming each panel whose query errors or returns
// no series, except those reading a metric of ALLOWED_ABSENT (said so in the output).
//
//   REEL_BINARY=build/reel node tests/observability/dashboards_test.mjs
//
// ctest runs it as observability.dashboards (tests/observability/CMakeLists.txt). Everything
// it starts is stopped in all cases: a finally block, signal handlers, and the cluster's
// --owner-pid watchdog (which also stops the Prometheus in the cluster's directory) when
// this process is killed outright. The temp dir is kept, and named, when the test fails.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../lib/free_port.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLUSTER = path.join(ROOT, "scripts/cluster");
const ENGINES = path.join(ROOT, "scripts/engines");
const DASHBOARDS = path.join(ROOT, "deploy/grafana/dashboards");
const PASSWORD = "secret-pass1";

// Metrics a plain local cluster may lack after this test's traffic, and why. A panel whose
// query is empty passes only when it reads one of these; every other empty panel fails.
// The S3 and replica-lag ones cannot exist here; the others are failure counters whose label
// values are known only once something failed (a Redis command, a retried method). Those
// whose label values are known at start (databases, groups, targets, caches) exist from 0.
const ALLOWED_ABSENT = new Map([
  ["reel_s3_request_duration_seconds", "S3 media only: the plain cluster keeps media on disk"],
  ["reel_s3_errors_total", "S3 media only: the plain cluster keeps media on disk"],
  ["reel_db_replica_lag_seconds", "MariaDB replicas only: the plain cluster runs SQLite"],
  ["reel_redis_errors_total", "appears with a first Redis error"],
  ["reel_rpc_client_retries_total", "appears with a first retried call"],
]);

// Grafana's variables, as the panel test fills them: every service and replica, a rate
// window that holds many 1 s scrapes, a range covering the whole test.
const VARIABLES = {
  service: ".*",
  instance: ".*",
  __rate_interval: "1m",
  __interval: "15s",
  __range: "10m",
};

const TIMEOUTS = {
  clusterStartMs: 180_000,
  prometheusStartMs: 60_000,
  firstScrapesMs: 30_000,
  requestMs: 30_000,
  scrapesAfterTrafficMs: 30_000,
  queryMs: 10_000,
  stopMs: 90_000,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));


// The scripts' environment: ours without any REEL_* variable (REEL_BINARY, and what the
// test command sets for other tests, such as REEL_REQUIRE_BROWSER), since every REEL_*
// variable reaches the services, and `reel` refuses one that names no setting.
const SCRIPT_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith("REEL_")),
);

/// Runs a script to completion (bounded); its output is returned, and printed on failure.
function run(what, command, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: SCRIPT_ENV,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${what} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

// ---- what the test starts, and stops whatever happens ------------------------------------

class Environment {
  constructor(binary) {
    this.binary = binary;
    this.tmp = mkdtempSync(path.join(tmpdir(), "reel-dashboards-"));
    this.clusterDir = path.join(this.tmp, "cluster");
    // The cluster's own Prometheus directory: `scripts/cluster stop` (and its watchdog)
    // stops a Prometheus there too.
    this.promDir = path.join(this.clusterDir, "prometheus");
    this.clusterStarted = false;
    this.promStarted = false;
  }

  async startCluster() {
    const ports = new Set();
    for (let i = 0; ports.size < 17 && i < 200; i++) ports.add(await freePort());
    if (ports.size < 17) throw new Error("not enough free ports on 127.0.0.1");
    const [edge, ...services] = [...ports];
    this.edgePort = edge;
    this.clusterStarted = true; // a failed start may leave some processes: stop them anyway
    const output = await run(
      "scripts/cluster start",
      CLUSTER,
      [
        "start",
        "--dir",
        this.clusterDir,
        "--binary",
        this.binary,
        "--host",
        "127.0.0.1",
        "--edge-port",
        String(edge),
        "--ports",
        services.join(" "),
        "--owner-pid",
        String(process.pid),
        "--timeout",
        "120",
      ],
      TIMEOUTS.clusterStartMs,
    );
    process.stdout.write(output);
    return `http://127.0.0.1:${edge}`;
  }

  async startPrometheus() {
    this.promStarted = true;
    const output = await run(
      "scripts/engines prometheus start",
      ENGINES,
      [
        "prometheus",
        "start",
        this.promDir,
        "--targets",
        path.join(this.promDir, "targets.json"),
        "--scrape-interval",
        "1s",
      ],
      TIMEOUTS.prometheusStartMs,
    );
    process.stdout.write(output);
    return `http://127.0.0.1:${readFileSync(path.join(this.promDir, "port"), "utf8").trim()}`;
  }

  /// Idempotent: Prometheus first (it scrapes the services), then the cluster.
  async stop() {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      if (this.promStarted) {
        await run(
          "scripts/engines prometheus stop",
          ENGINES,
          ["prometheus", "stop", this.promDir],
          TIMEOUTS.stopMs,
        ).catch((e) => console.error(e.message));
      }
      if (this.clusterStarted) {
        await run(
          "scripts/cluster stop",
          CLUSTER,
          ["--dir", this.clusterDir, "stop"],
          TIMEOUTS.stopMs,
        ).catch((e) => console.error(e.message));
      }
    })();
    return this.stopping;
  }
}

// ---- traffic through the edge --------------------------------------------------------------

class Client {
  constructor(base) {
    this.base = base;
  }

  /// One request; fails the test when the status is not `expect`. The parsed JSON body.
  async call(method, route, { token, json, form, expect = 200 } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      body = form;
    }
    const response = await fetch(`${this.base}${route}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(TIMEOUTS.requestMs),
    });
    const text = await response.text();
    if (response.status !== expect) {
      throw new Error(
        `${method} ${route}: HTTP ${response.status} (wanted ${expect}): ${text.slice(0, 300)}`,
      );
    }
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  async register(name) {
    return this.call("POST", "/api/user/register", {
      json: { username: name, password: PASSWORD },
    });
  }

  async upload(token, file, { filename = "clip.mp4", expect = 200 } = {}) {
    const form = new FormData();
    form.set("data", new Blob([readFileSync(file)], { type: "video/mp4" }), filename);
    return this.call("POST", "/api/video/upload", { token, form, expect });
  }
}

/// The clip the web tests upload (tests/web/harness.mjs makeClip, the e2e suite's
/// kFaststartMp4): a 2 s H.264/AAC test pattern with a tone, made with the ffmpeg CLI.
function makeClip(dir) {
  const out = path.join(dir, "clip.mp4");
  const made = spawnSync(
    "ffmpeg",
    [
      "-nostdin",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=360x640:rate=25:duration=2",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:sample_rate=44100:duration=2",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      "-c:a",
      "aac",
      "-shortest",
      "-movflags",
      "+faststart",
      out,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  if (made.status !== 0)
    throw new Error(`ffmpeg could not make the test clip: ${made.stderr ?? made.error}`);
  return out;
}

async function driveTraffic(client, tmp) {
  const clip = makeClip(tmp);
  const notVideo = path.join(tmp, "notes.mp4");
  writeFileSync(notVideo, "this is not a video\n".repeat(64));

  const alice = await client.register("obs_alice");
  const bob = await client.register("obs_bob");
  await client.call("POST", "/api/user/login", {
    json: { username: "obs_alice", password: PASSWORD },
  });
  await client.call("POST", "/api/user/login", {
    json: { username: "obs_alice", password: "wrong-pass1" },
    expect: 401,
  });

  const uploaded = await client.upload(alice.access_token, clip);
  const created = await client.call("POST", "/api/video/create", {
    token: alice.access_token,
    json: { media_key: uploaded.media.media_key, title: "observability clip" },
  });
  const videoId = created.video.id;
  // Refused: not a video (reel_upload_refused_total{reason}).
  const refused = await fetch(`${client.base}/api/video/upload`, {
    method: "POST",
    headers: { Authorization: `Bearer ${alice.access_token}` },
    body: (() => {
      const form = new FormData();
      form.set("data", new Blob([readFileSync(notVideo)], { type: "video/mp4" }), "notes.mp4");
      return form;
    })(),
    signal: AbortSignal.timeout(TIMEOUTS.requestMs),
  });
  await refused.text();
  if (refused.status < 400 || refused.status >= 500) {
    throw new Error(`an upload of text was answered ${refused.status}, not a 4xx refusal`);
  }

  await client.call("GET", "/api/feed");
  await client.call("GET", "/api/feed", { token: bob.access_token });
  await client.call("GET", "/api/feed?type=following", { token: bob.access_token });
  await client.call("GET", "/douyin/feed/");
  await client.call("POST", "/api/favorite/action", {
    token: bob.access_token,
    json: { video_id: videoId, action: "like" },
  });
  await client.call("POST", "/api/comment/create", {
    token: bob.access_token,
    json: { video_id: videoId, content: "nice" },
  });
  await client.call("POST", "/api/relation/control", {
    token: bob.access_token,
    json: { to_user_id: alice.user_id, action: "follow" },
  });
  await client.call("POST", "/api/message/send", {
    token: bob.access_token,
    json: { to_user_id: alice.user_id, content: "hello" },
  });
  await client.call("GET", `/api/video/${videoId}`, { token: bob.access_token });
  await client.call("GET", "/api/video/987654321", { expect: 404 });
  // The moderation service's work (its calls to the video service) and the job's (a deleted
  // video's cascade: its calls to the favorite and comment services).
  await client.call("POST", "/api/report/create", {
    token: bob.access_token,
    json: { target_type: "video", target_id: videoId, reason: "spam" },
  });
  await client.call("DELETE", `/api/video/${videoId}`, { token: alice.access_token });
  console.log(
    `traffic: 2 users, 2 logins (1 refused), video ${videoId} uploaded (and 1 upload refused), feeds, like, comment, follow, message, a 404, a report, the video deleted`,
  );
}

// ---- Prometheus ------------------------------------------------------------------------------

async function prometheusApi(base, endpoint, params = {}) {
  const response = await fetch(`${base}/api/v1/${endpoint}`, {
    method: params.query === undefined ? "GET" : "POST",
    headers:
      params.query === undefined ? {} : { "Content-Type": "application/x-www-form-urlencoded" },
    body: params.query === undefined ? undefined : new URLSearchParams(params),
    signal: AbortSignal.timeout(TIMEOUTS.queryMs),
  });
  return response.json();
}

/// Waits until every target of job="reel" has been scraped at least once since `sinceMs`
/// (health "up" or not: a process without /metrics is scraped and found down). The targets.
async function waitForScrapes(prom, sinceMs, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let targets = [];
  while (Date.now() < deadline) {
    const answer = await prometheusApi(prom, "targets?state=active");
    targets = (answer.data?.activeTargets ?? []).filter((t) => t.labels.job === "reel");
    const fresh = targets.filter((t) => Date.parse(t.lastScrape) > sinceMs);
    if (targets.length > 0 && fresh.length === targets.length) return targets;
    await sleep(250);
  }
  throw new Error(
    `${what}: ${targets.length} targets, not all scraped within ${timeoutMs / 1000} s`,
  );
}

// The processes of a plain cluster, one replica each, as scripts/cluster's targets file must
// list them: the target labels every dashboard selects on.
const SERVICES = ["comment", "favorite", "feed", "job", "moderation", "relation", "user", "video"];

function checkTargetLabels(targets) {
  const seen = targets.map((t) => `${t.labels.service}/${t.labels.replica}`).sort();
  const wanted = SERVICES.map((s) => `${s}/1`);
  if (JSON.stringify(seen) !== JSON.stringify(wanted)) {
    throw new Error(
      `scrape targets (service/replica) ${seen.join(" ")}, wanted ${wanted.join(" ")}`,
    );
  }
  const bad = targets.filter((t) => !/^127\.0\.0\.1:\d+$/.test(t.labels.instance));
  if (bad.length > 0)
    throw new Error(`targets without a host:port instance: ${JSON.stringify(bad[0].labels)}`);
}

function reportTargets(targets) {
  const down = targets.filter((t) => t.health !== "up");
  console.log(
    `targets: ${targets.length} scraped (job="reel"), ${targets.length - down.length} up, ${down.length} down`,
  );
  for (const t of down) {
    console.log(
      `  down: service=${t.labels.service} replica=${t.labels.replica} ${t.scrapeUrl}: ${t.lastError}`,
    );
  }
  return down.length;
}

// ---- the dashboards --------------------------------------------------------------------------

function* panelsOf(panels) {
  for (const panel of panels ?? []) {
    if (panel.type === "row") yield* panelsOf(panel.panels);
    else yield panel;
  }
}

/// Every target expression of every dashboard, with Grafana's variables filled in.
function dashboardQueries() {
  const queries = [];
  for (const file of readdirSync(DASHBOARDS)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const board = JSON.parse(readFileSync(path.join(DASHBOARDS, file), "utf8"));
    for (const panel of panelsOf(board.panels)) {
      for (const target of panel.targets ?? []) {
        if (!target.expr || target.hide) continue;
        queries.push({
          file,
          panel: panel.title,
          refId: target.refId,
          raw: target.expr,
          expr: substitute(target.expr),
        });
      }
    }
  }
  return queries;
}

function substitute(expr) {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced, bare) => {
    const name = braced ?? bare;
    if (!(name in VARIABLES)) throw new Error(`unknown Grafana variable ${whole} in ${expr}`);
    return VARIABLES[name];
  });
}

/// The metric names an expression reads (histogram series by their base name).
function metricsOf(expr) {
  const names = expr.match(/\b(?:reel|process)_[a-z0-9_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|count|sum)$/, "")))];
}

async function checkQueries(prom, queries) {
  const failures = [];
  const allowed = [];
  let withData = 0;
  for (const q of queries) {
    const where = `${q.file} / "${q.panel}" [${q.refId}]`;
    let answer;
    try {
      answer = await prometheusApi(prom, "query", { query: q.expr });
    } catch (e) {
      failures.push(`${where}: query failed: ${e.message}\n      ${q.expr}`);
      continue;
    }
    if (answer.status !== "success") {
      failures.push(`${where}: ${answer.errorType}: ${answer.error}\n      ${q.expr}`);
      continue;
    }
    if (answer.data.result.length > 0) {
      withData++;
      continue;
    }
    const excuse = metricsOf(q.raw).find((m) => ALLOWED_ABSENT.has(m));
    if (excuse) allowed.push(`${where}: ${excuse} (${ALLOWED_ABSENT.get(excuse)})`);
    else failures.push(`${where}: no series\n      ${q.expr}`);
  }
  return { failures, allowed, withData };
}

// ---- main ------------------------------------------------------------------------------------

function missingTools(binary) {
  const missing = [];
  if (!binary || !existsSync(binary)) missing.push(`the reel binary (REEL_BINARY=${binary ?? ""})`);
  for (const [tool, pkg] of [
    ["prometheus", "prometheus"],
    ["ffmpeg", "ffmpeg"],
    ["nginx", "nginx"],
    ["redis-server", "redis-server"],
  ]) {
    const found =
      spawnSync("sh", ["-c", `command -v ${tool} || test -x /usr/sbin/${tool}`]).status === 0;
    if (!found) missing.push(`${tool} (apt-get install ${pkg})`);
  }
  return missing;
}

async function main() {
  const binary = process.env.REEL_BINARY ? path.resolve(process.env.REEL_BINARY) : "";
  const missing = missingTools(binary);
  if (missing.length > 0) {
    console.error(`dashboards test: missing ${missing.join(", ")}`);
    return 1;
  }
  const queries = dashboardQueries(); // a bad variable fails here, before anything starts
  const env = new Environment(binary);
  const onSignal = (signal) => {
    console.error(`dashboards test: ${signal}, stopping what it started`);
    env.stop().finally(() => process.exit(1));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let failed = true;
  try {
    const edge = await env.startCluster();
    const startedAt = Date.now();
    const prom = await env.startPrometheus();
    console.log(`cluster edge ${edge}, Prometheus ${prom} (1 s scrapes), dir ${env.tmp}`);
    const first = await waitForScrapes(prom, startedAt, TIMEOUTS.firstScrapesMs, "first scrapes");
    checkTargetLabels(first);
    reportTargets(first);

    await driveTraffic(new Client(edge), env.tmp);
    // Two full scrape rounds after the last request, so every counter it moved is stored;
    // the recording rules are evaluated at the same 1 s interval.
    let since = Date.now();
    await waitForScrapes(prom, since, TIMEOUTS.scrapesAfterTrafficMs, "scrapes after the traffic");
    since = Date.now();
    const downCount = reportTargets(
      await waitForScrapes(prom, since, TIMEOUTS.scrapesAfterTrafficMs, "second scrapes"),
    );

    const { failures, allowed, withData } = await checkQueries(prom, queries);
    console.log(
      `\n${queries.length} panel queries in ${new Set(queries.map((q) => q.file)).size} dashboards: ` +
        `${withData} with data, ${allowed.length} empty but allowed, ${failures.length} failed`,
    );
    if (allowed.length > 0) {
      console.log(
        `\nempty, allowed (metrics a plain local cluster may lack: ${[...ALLOWED_ABSENT.keys()].join(", ")}):`,
      );
      for (const line of allowed) console.log(`  ${line}`);
    }
    if (failures.length > 0) {
      console.log(`\nFAILED panels (the query errors, or returns no series):`);
      for (const line of failures) console.log(`  ${line}`);
      if (downCount > 0)
        console.log(`\n${downCount} targets are down (see above): their metrics cannot be there.`);
    }
    failed = failures.length > 0;
  } catch (e) {
    console.error(`dashboards test: ${e.stack ?? e}`);
  } finally {
    await env.stop();
    if (failed)
      console.log(`logs kept in ${env.tmp} (cluster/logs, cluster/prometheus/prometheus.log)`);
    else rmSync(env.tmp, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
