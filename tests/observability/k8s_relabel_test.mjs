#!/usr/bin/env node
// The relabelling of deploy/prometheus/prometheus-k8s.yml, run by a real Prometheus: its
// Kubernetes pod discovery is swapped for static targets carrying the labels that discovery
// gives a pod (__meta_kubernetes_*), and the targets Prometheus then keeps, drops and labels
// are checked. Debian's Prometheus is built without Kubernetes discovery, and promtool has no
// relabel test, so this is how the file's rules meet a real server here. Part of
// observability.promtool (check_prometheus.sh); alone: node tests/observability/k8s_relabel_test.mjs
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deepStrictEqual } from "node:assert/strict";
import { freePort } from "../lib/free_port.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CONFIG = path.join(ROOT, "deploy/prometheus/prometheus-k8s.yml");

/// What Kubernetes pod discovery says about one container port of a pod.
function pod({ name, ip, port, phase = "Running", annotations = {}, labels = {} }) {
  const meta = {
    __meta_kubernetes_namespace: "reel",
    __meta_kubernetes_pod_name: name,
    __meta_kubernetes_pod_phase: phase,
  };
  for (const [key, value] of Object.entries(annotations)) {
    meta[`__meta_kubernetes_pod_annotation_${key.replace(/[^a-zA-Z0-9]/g, "_")}`] = value;
  }
  for (const [key, value] of Object.entries(labels)) {
    meta[`__meta_kubernetes_pod_label_${key.replace(/[^a-zA-Z0-9]/g, "_")}`] = value;
  }
  return { targets: [`${ip}:${port}`], labels: meta };
}

const scrape = (port, extra = {}) => ({
  "prometheus.io/scrape": "true",
  "prometheus.io/port": port,
  ...extra,
});

// Discovered on a container port other than the annotated one, as a pod's gRPC port is.
const PODS = [
  pod({
    name: "video-0",
    ip: "10.1.0.1",
    port: 9082,
    annotations: scrape("8082"),
    labels: { "app.kubernetes.io/component": "video", app: "reel" },
  }),
  // Only `app`, and a path of its own.
  pod({
    name: "user-0",
    ip: "10.1.0.2",
    port: 8081,
    annotations: scrape("8081", { "prometheus.io/path": "/custom" }),
    labels: { app: "user" },
  }),
  pod({
    name: "all-0",
    ip: "10.1.0.3",
    port: 8080,
    annotations: scrape("8080"),
    labels: { "app.kubernetes.io/component": "all" },
  }),
  // Dropped: no scrape annotation; not a reel service; finished.
  pod({
    name: "feed-0",
    ip: "10.1.0.4",
    port: 8085,
    labels: { "app.kubernetes.io/component": "feed" },
  }),
  pod({
    name: "db-0",
    ip: "10.1.0.5",
    port: 5432,
    annotations: scrape("9187"),
    labels: { "app.kubernetes.io/component": "postgres" },
  }),
  pod({
    name: "job-old",
    ip: "10.1.0.6",
    port: 8087,
    phase: "Succeeded",
    annotations: scrape("8087"),
    labels: { app: "job" },
  }),
];

const EXPECTED_ACTIVE = [
  {
    scrapeUrl: "http://10.1.0.1:8082/metrics",
    labels: {
      instance: "10.1.0.1:8082",
      job: "reel",
      namespace: "reel",
      pod: "video-0",
      service: "video",
    },
  },
  {
    scrapeUrl: "http://10.1.0.2:8081/custom",
    labels: {
      instance: "10.1.0.2:8081",
      job: "reel",
      namespace: "reel",
      pod: "user-0",
      service: "user",
    },
  },
  {
    scrapeUrl: "http://10.1.0.3:8080/metrics",
    labels: {
      instance: "10.1.0.3:8080",
      job: "reel",
      namespace: "reel",
      pod: "all-0",
      service: "all",
    },
  },
];
const EXPECTED_DROPPED = ["db-0", "feed-0", "job-old"];


const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// The Kubernetes configuration with discovery swapped for PODS, rules by absolute path,
/// and a scrape interval long enough that nothing is really scraped.
function testConfig() {
  const text = readFileSync(CONFIG, "utf8");
  const discovery = "    kubernetes_sd_configs:\n      - role: pod\n";
  if (!text.includes(discovery)) throw new Error(`${CONFIG}: no pod discovery block as expected`);
  return text
    .replace(discovery, `    static_configs: ${JSON.stringify(PODS)}\n`)
    .replace("  - rules/*.yml", `  - ${path.join(ROOT, "deploy/prometheus/rules")}/*.yml`)
    .replace(/^  scrape_interval: .*$/m, "  scrape_interval: 1h");
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "reel-k8s-relabel-"));
  writeFileSync(path.join(dir, "prometheus.yml"), testConfig());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = "";
  const server = spawn(
    "prometheus",
    [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => server.on("exit", resolve));
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`prometheus exited:\n${log}`);
      const ready = await fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(2000) }).catch(
        () => null,
      );
      if (ready?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`prometheus not ready within 30 s:\n${log}`);
      await sleep(100);
    }
    // Discovery hands targets over within a few seconds of start.
    let data;
    for (let i = 0; i < 100; i++) {
      const answer = await fetch(`${base}/api/v1/targets`, { signal: AbortSignal.timeout(5000) });
      data = (await answer.json()).data;
      if (data.activeTargets.length + data.droppedTargets.length >= PODS.length) break;
      await sleep(100);
    }
    const active = data.activeTargets
      .map((t) => ({ scrapeUrl: t.scrapeUrl, labels: t.labels }))
      .sort((a, b) => a.labels.instance.localeCompare(b.labels.instance));
    const dropped = data.droppedTargets
      .map((t) => t.discoveredLabels.__meta_kubernetes_pod_name)
      .sort();
    deepStrictEqual(active, EXPECTED_ACTIVE);
    deepStrictEqual(dropped, EXPECTED_DROPPED);
    console.log(
      `k8s relabelling: ${active.length} pods kept with job, service, instance, namespace, pod as expected; ${dropped.length} dropped (${dropped.join(", ")})`,
    );
  } finally {
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
