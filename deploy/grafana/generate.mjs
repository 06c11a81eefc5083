#!/usr/bin/env node
// Writes reel's Grafana dashboards (deploy/grafana/dashboards/*.json) from the definitions
// below: the overview, one dashboard per service from a single template, the data plane and
// the business dashboard. The JSON files are committed (Grafana's provisioning reads them
// as they are); edit this file and run it again, never the JSON:
//
//   node deploy/grafana/generate.mjs           write the files
//   node deploy/grafana/generate.mjs --check   exit 1, naming them, when the committed
//                                              files differ from what this writes
//
// Every query reads the metric contract of docs/observability.md. Grafana fills in
// $__rate_interval (from the data source's 15 s scrape interval), $__range and the
// variables ($service on the shared dashboards, $instance on a service's); the panel test
// (tests/observability/dashboards_test.mjs) substitutes them and runs every query against a
// real Prometheus scraping a real cluster.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "dashboards");
// The provisioned data source (provisioning/datasources/prometheus.yml).
const DATASOURCE = { type: "prometheus", uid: "reel-prometheus" };
const RATE = "$__rate_interval";

// What each service's dashboard shows beyond HTTP, Redis and the process. Nobody calls the
// job service over gRPC (it consumes the bus), and feed and job keep no database of their
// own. `extra` are the service's own business panels.
const SERVICES = {
  // Every other service asks it; it asks none.
  user: {
    title: "User",
    rpcClient: false,
    extra: [
      ["Logins/s by outcome", "sum by (outcome) (rate(reel_logins_total{S}[R]))", "{{outcome}}"],
      ["Registrations/s", "sum(rate(reel_registrations_total{S}[R]))", "registrations"],
      [
        "Rate-limited requests/s by group",
        "sum by (group) (rate(reel_rate_limited_total{S}[R]))",
        "{{group}}",
      ],
    ],
  },
  video: {
    title: "Video",
    extra: [
      ["Uploads/s", "sum(rate(reel_uploads_total{S}[R]))", "uploads"],
      ["Upload bytes/s", "sum(rate(reel_upload_bytes_total{S}[R]))", "bytes", "Bps"],
      [
        "Refused uploads/s by reason",
        "sum by (reason) (rate(reel_upload_refused_total{S}[R]))",
        "{{reason}}",
      ],
      [
        "Media probe p50 / p95",
        [
          [
            "histogram_quantile(0.5, sum by (le) (rate(reel_media_probe_duration_seconds_bucket{S}[R])))",
            "p50",
          ],
          [
            "histogram_quantile(0.95, sum by (le) (rate(reel_media_probe_duration_seconds_bucket{S}[R])))",
            "p95",
          ],
        ],
        null,
        "s",
      ],
    ],
  },
  // Its gRPC API (FeedService) is for other clients; nothing in reel calls it.
  feed: { title: "Feed", db: false, rpcServer: false, extra: [] },
  favorite: {
    title: "Favorite",
    extra: [["Likes/s", "sum(rate(reel_likes_total{S}[R]))", "likes"]],
  },
  comment: {
    title: "Comment",
    extra: [["Comments/s", "sum(rate(reel_comments_total{S}[R]))", "comments"]],
  },
  // Follows and messages make no events: no outbox.
  relation: {
    title: "Relation",
    outbox: false,
    extra: [
      ["Follows/s", "sum(rate(reel_follows_total{S}[R]))", "follows"],
      ["Messages/s", "sum(rate(reel_messages_total{S}[R]))", "messages"],
    ],
  },
  // Reports and reviews: no events and no caches; its gRPC API is for other clients.
  moderation: { title: "Moderation", rpcServer: false, outbox: false, caches: false, extra: [] },
  job: {
    title: "Job",
    rpcServer: false,
    db: false,
    extra: [
      [
        "Events consumed/s by group",
        "sum by (group) (rate(reel_bus_consumed_total{S}[R]))",
        "{{group}}",
      ],
      ["Bus lag by group (events)", "max by (group) (reel_bus_lag{S})", "{{group}}"],
      ["Retries/s by group", "sum by (group) (rate(reel_bus_retries_total{S}[R]))", "{{group}}"],
      [
        "Dead-lettered/s by group",
        "sum by (group) (rate(reel_bus_dead_lettered_total{S}[R]))",
        "{{group}}",
      ],
    ],
  },
};

// ---- building blocks ---------------------------------------------------------------------

/// Lays panels out two to a row (stats six to a row), each row panel on a line of its own.
class Layout {
  constructor() {
    this.panels = [];
    this.y = 0;
    this.x = 0;
    this.rowHeight = 0;
  }

  nextId() {
    return this.panels.length + 1;
  }

  newLine() {
    if (this.x > 0) {
      this.y += this.rowHeight;
      this.x = 0;
      this.rowHeight = 0;
    }
  }

  row(title) {
    this.newLine();
    this.panels.push({
      type: "row",
      id: this.nextId(),
      title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y: this.y },
      panels: [],
    });
    this.y += 1;
  }

  place(panel, w, h) {
    if (this.x + w > 24) this.newLine();
    panel.gridPos = { h, w, x: this.x, y: this.y };
    panel.id = this.nextId();
    this.panels.push(panel);
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
  }
}

/// The selector every query of a dashboard carries ({S}) and the rate window ({R}).
function fill(expr, selector) {
  return expr
    .replaceAll("{S,", `{${selector}, `)
    .replaceAll("{S}", `{${selector}}`)
    .replaceAll("[R]", `[${RATE}]`);
}

function targets(queries, selector) {
  return queries.map(([expr, legend], i) => ({
    datasource: DATASOURCE,
    refId: String.fromCharCode(65 + i),
    expr: fill(expr, selector),
    legendFormat: legend ?? "__auto",
    range: true,
  }));
}

/// A time series panel: `queries` is one expression or [[expr, legend], ...].
function timeseries(layout, selector, title, queries, legend, unit = "short") {
  const list = typeof queries === "string" ? [[queries, legend]] : queries;
  layout.place(
    {
      type: "timeseries",
      title,
      datasource: DATASOURCE,
      targets: targets(list, selector),
      fieldConfig: {
        defaults: {
          unit,
          custom: { drawStyle: "line", lineWidth: 1, fillOpacity: 10, showPoints: "never" },
        },
        overrides: [],
      },
      options: {
        legend: {
          displayMode: "table",
          placement: "bottom",
          calcs: ["mean", "max", "lastNotNull"],
        },
        tooltip: { mode: "multi", sort: "desc" },
      },
    },
    12,
    8,
  );
}

/// A single number over the dashboard's time range.
function stat(layout, selector, title, expr, unit = "short") {
  layout.place(
    {
      type: "stat",
      title,
      datasource: DATASOURCE,
      targets: targets([[expr, title]], selector).map((t) => ({
        ...t,
        range: false,
        instant: true,
      })),
      fieldConfig: { defaults: { unit, decimals: 0 }, overrides: [] },
      options: {
        reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
        colorMode: "value",
      },
    },
    4,
    4,
  );
}

/// p50, p95 and p99 of histogram `metric` grouped by `by` (a label list, or "").
function quantiles(metric, by) {
  const group = by ? `${by}, le` : "le";
  const legend = by ? `{{${by.split(", ").join("}} {{")}}} ` : "";
  return [0.5, 0.95, 0.99].map((q) => [
    `histogram_quantile(${q}, sum by (${group}) (rate(${metric}_bucket{S}[R])))`,
    `${legend}p${Math.round(q * 100)}`,
  ]);
}

/// The share of `metric`'s rate matching `match`, by `by`; 0 (not no value) when nothing
/// matches but there is traffic.
function ratio(metric, match, by) {
  const part = `sum by (${by}) (rate(${metric}{S,${match}}[R]))`;
  const whole = `sum by (${by}) (rate(${metric}{S}[R]))`;
  return `(${part} or 0 * ${whole}) / ${whole}`;
}

function variable(name, label, query, hide = 0) {
  return {
    name,
    label,
    type: "query",
    datasource: DATASOURCE,
    query: { query, refId: `${name}-values` },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: ".*",
    current: { selected: true, text: ["All"], value: ["$__all"] },
    hide,
    sort: 1,
  };
}

function dashboard(uid, title, layout, variables, tags = []) {
  return {
    uid,
    title,
    tags: ["reel", ...tags],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: "now-1h", to: "now" },
    timepicker: {},
    timezone: "browser",
    annotations: { list: [] },
    links: [{ type: "dashboards", tags: ["reel"], asDropdown: true, title: "reel dashboards" }],
    templating: { list: variables },
    panels: layout.panels,
  };
}

// ---- sections shared by several dashboards -------------------------------------------------

function processPanels(l, s, by) {
  l.row("Process");
  timeseries(
    l,
    s,
    "CPU (cores)",
    `sum by (${by}) (rate(process_cpu_seconds_total{S}[R]))`,
    `{{${by}}}`,
  );
  timeseries(
    l,
    s,
    "Resident memory",
    `sum by (${by}) (process_resident_memory_bytes{S})`,
    `{{${by}}}`,
    "bytes",
  );
  timeseries(
    l,
    s,
    "Virtual memory",
    `sum by (${by}) (process_virtual_memory_bytes{S})`,
    `{{${by}}}`,
    "bytes",
  );
  timeseries(
    l,
    s,
    "Open file descriptors (share of the limit)",
    `max by (${by}) (process_open_fds{S} / process_max_fds{S})`,
    `{{${by}}}`,
    "percentunit",
  );
  timeseries(l, s, "Threads", `sum by (${by}) (process_threads{S})`, `{{${by}}}`);
  timeseries(
    l,
    s,
    "Uptime",
    `min by (${by}) (time() - process_start_time_seconds{S})`,
    `{{${by}}}`,
    "s",
  );
}

// ---- the dashboards ------------------------------------------------------------------------

function overview() {
  const s = 'job="reel", service=~"$service"';
  const r = 'service=~"$service"'; // recorded series carry service (and route), not job
  const l = new Layout();
  l.row("Requests (all routes)");
  timeseries(
    l,
    s,
    "Requests/s by service",
    "sum by (service) (rate(reel_http_requests_total{S}[R]))",
    "{{service}}",
    "reqps",
  );
  timeseries(
    l,
    s,
    "Error ratio (5xx) by service",
    ratio("reel_http_requests_total", 'status="5xx"', "service"),
    "{{service}}",
    "percentunit",
  );
  timeseries(
    l,
    s,
    "Latency p50 / p95 / p99 by service",
    quantiles("reel_http_request_duration_seconds", "service"),
    null,
    "s",
  );
  timeseries(
    l,
    s,
    "Answers/s by service and status",
    "sum by (service, status) (rate(reel_http_requests_total{S}[R]))",
    "{{service}} {{status}}",
    "reqps",
  );

  l.row("By route (recording rules, 5m windows)");
  timeseries(
    l,
    r,
    "Requests/s by service and route",
    "service_route:reel_http_requests:rate5m{S}",
    "{{service}} {{route}}",
    "reqps",
  );
  timeseries(
    l,
    r,
    "Error ratio (5xx) by service and route",
    "service_route:reel_http_error_ratio:rate5m{S}",
    "{{service}} {{route}}",
    "percentunit",
  );
  timeseries(
    l,
    r,
    "Latency p50 / p95 / p99 by service and route",
    [
      ["service_route:reel_http_request_duration_seconds:p50{S}", "{{service}} {{route}} p50"],
      ["service_route:reel_http_request_duration_seconds:p95{S}", "{{service}} {{route}} p95"],
      ["service_route:reel_http_request_duration_seconds:p99{S}", "{{service}} {{route}} p99"],
    ],
    null,
    "s",
  );
  timeseries(
    l,
    r,
    "p99 by service (alert target: 500 ms per API route)",
    "service:reel_http_request_duration_seconds:p99{S}",
    "{{service}}",
    "s",
  );

  l.row("Replicas and RPC");
  timeseries(l, s, "Replicas up by service", "sum by (service) (up{S})", "{{service}}");
  timeseries(l, s, "Replicas down by service", "sum by (service) (1 - up{S})", "{{service}}");
  timeseries(
    l,
    s,
    "RPC handled/s by service and code",
    "sum by (service, code) (rate(reel_rpc_server_handled_total{S}[R]))",
    "{{service}} {{code}}",
    "reqps",
  );
  timeseries(
    l,
    s,
    "RPC server p99 by service",
    "histogram_quantile(0.99, sum by (service, le) (rate(reel_rpc_server_duration_seconds_bucket{S}[R])))",
    "{{service}}",
    "s",
  );
  timeseries(
    l,
    s,
    "Client throttle ratio by caller and target",
    "max by (service, target) (reel_rpc_client_throttle_ratio{S})",
    "{{service}} → {{target}}",
    "percentunit",
  );
  timeseries(l, s, "Bus lag by group (events)", "max by (group) (reel_bus_lag{S})", "{{group}}");

  processPanels(l, s, "service");
  return dashboard("reel-overview", "reel / Overview", l, [
    variable("service", "Service", 'label_values(up{job="reel"}, service)'),
  ]);
}

function serviceDashboard(name, spec) {
  const s = `job="reel", service="${name}", instance=~"$instance"`;
  const l = new Layout();
  l.row("HTTP");
  timeseries(
    l,
    s,
    "Requests/s by route",
    "sum by (route) (rate(reel_http_requests_total{S}[R]))",
    "{{route}}",
    "reqps",
  );
  timeseries(
    l,
    s,
    "Answers/s by status",
    "sum by (status) (rate(reel_http_requests_total{S}[R]))",
    "{{status}}",
    "reqps",
  );
  timeseries(
    l,
    s,
    "Error ratio (5xx) by route",
    ratio("reel_http_requests_total", 'status="5xx"', "route"),
    "{{route}}",
    "percentunit",
  );
  timeseries(
    l,
    s,
    "Latency p50 / p95 / p99 by route",
    quantiles("reel_http_request_duration_seconds", "route"),
    null,
    "s",
  );
  timeseries(
    l,
    s,
    "Requests/s by replica",
    "sum by (instance) (rate(reel_http_requests_total{S}[R]))",
    "{{instance}}",
    "reqps",
  );
  timeseries(l, s, "Replicas up", "sum(up{S})", "up");

  if (spec.rpcServer !== false) {
    l.row("gRPC server");
    timeseries(
      l,
      s,
      "Handled/s by method and code",
      "sum by (method, code) (rate(reel_rpc_server_handled_total{S}[R]))",
      "{{method}} {{code}}",
      "reqps",
    );
    timeseries(
      l,
      s,
      "Server p99 by method",
      "histogram_quantile(0.99, sum by (method, le) (rate(reel_rpc_server_duration_seconds_bucket{S}[R])))",
      "{{method}}",
      "s",
    );
  }

  if (spec.rpcClient !== false) {
    l.row("gRPC clients (calls to other services)");
    timeseries(
      l,
      s,
      "Calls/s by method and code",
      "sum by (method, code) (rate(reel_rpc_client_calls_total{S}[R]))",
      "{{method}} {{code}}",
      "reqps",
    );
    timeseries(
      l,
      s,
      "Client p99 by method",
      "histogram_quantile(0.99, sum by (method, le) (rate(reel_rpc_client_duration_seconds_bucket{S}[R])))",
      "{{method}}",
      "s",
    );
    timeseries(
      l,
      s,
      "Retries/s by method",
      "sum by (method) (rate(reel_rpc_client_retries_total{S}[R]))",
      "{{method}}",
    );
    timeseries(
      l,
      s,
      "Throttled calls/s by target",
      "sum by (target) (rate(reel_rpc_client_throttled_total{S}[R]))",
      "{{target}}",
    );
    timeseries(
      l,
      s,
      "Throttle ratio by target (0 = closed)",
      "max by (target) (reel_rpc_client_throttle_ratio{S})",
      "{{target}}",
      "percentunit",
    );
  }

  l.row("Data");
  if (spec.db !== false) {
    timeseries(
      l,
      s,
      "Statement p99 by statement",
      "histogram_quantile(0.99, sum by (database, statement, le) (rate(reel_db_statement_duration_seconds_bucket{S}[R])))",
      "{{database}} {{statement}}",
      "s",
    );
    timeseries(
      l,
      s,
      "Pool connections in use",
      "sum by (database) (reel_db_pool_in_use{S})",
      "{{database}}",
    );
    timeseries(
      l,
      s,
      "Pool waits/s",
      "sum by (database) (rate(reel_db_pool_waits_total{S}[R]))",
      "{{database}}",
    );
    timeseries(
      l,
      s,
      "Database errors/s by kind",
      "sum by (database, kind) (rate(reel_db_errors_total{S}[R]))",
      "{{database}} {{kind}}",
    );
    if (spec.outbox !== false) {
      timeseries(
        l,
        s,
        "Outbox pending (events not yet on the bus)",
        "sum by (database) (reel_outbox_pending{S})",
        "{{database}}",
      );
    }
    if (spec.caches !== false) {
      timeseries(
        l,
        s,
        "Cache hit ratio by cache",
        ratio("reel_cache_requests_total", 'result=~"hit|shared_hit"', "cache"),
        "{{cache}}",
        "percentunit",
      );
    }
  }
  timeseries(
    l,
    s,
    "Redis p99 by command",
    "histogram_quantile(0.99, sum by (command, le) (rate(reel_redis_command_duration_seconds_bucket{S}[R])))",
    "{{command}}",
    "s",
  );

  if (spec.extra.length > 0) {
    l.row(`${spec.title}`);
    for (const [title, queries, legend, unit] of spec.extra)
      timeseries(l, s, title, queries, legend, unit ?? "short");
  }

  processPanels(l, s, "instance");
  return dashboard(
    `reel-service-${name}`,
    `reel / Service: ${spec.title}`,
    l,
    [variable("instance", "Replica", `label_values(up{job="reel", service="${name}"}, instance)`)],
    ["service"],
  );
}

function dataPlane() {
  const s = 'job="reel", service=~"$service"';
  const l = new Layout();
  l.row("Databases");
  timeseries(
    l,
    s,
    "Statement p99 by service and statement",
    "histogram_quantile(0.99, sum by (service, statement, le) (rate(reel_db_statement_duration_seconds_bucket{S}[R])))",
    "{{service}} {{statement}}",
    "s",
  );
  timeseries(
    l,
    s,
    "Statements/s by database",
    "sum by (database) (rate(reel_db_statement_duration_seconds_count{S}[R]))",
    "{{database}}",
  );
  timeseries(
    l,
    s,
    "Pool connections in use",
    "sum by (service, database) (reel_db_pool_in_use{S})",
    "{{service}} {{database}}",
  );
  timeseries(
    l,
    s,
    "Pool waits/s",
    "sum by (service, database) (rate(reel_db_pool_waits_total{S}[R]))",
    "{{service}} {{database}}",
  );
  timeseries(
    l,
    s,
    "Errors/s by database and kind",
    "sum by (database, kind) (rate(reel_db_errors_total{S}[R]))",
    "{{database}} {{kind}}",
  );
  timeseries(
    l,
    s,
    "Replica lag (MariaDB)",
    "max by (service, database) (reel_db_replica_lag_seconds{S})",
    "{{service}} {{database}}",
    "s",
  );

  l.row("Redis");
  timeseries(
    l,
    s,
    "Command latency p50 / p95 / p99",
    quantiles("reel_redis_command_duration_seconds", ""),
    null,
    "s",
  );
  timeseries(
    l,
    s,
    "Command p99 by command",
    "histogram_quantile(0.99, sum by (command, le) (rate(reel_redis_command_duration_seconds_bucket{S}[R])))",
    "{{command}}",
    "s",
  );
  timeseries(
    l,
    s,
    "Commands/s by command",
    "sum by (command) (rate(reel_redis_command_duration_seconds_count{S}[R]))",
    "{{command}}",
  );
  timeseries(
    l,
    s,
    "Errors/s by command",
    "sum by (command) (rate(reel_redis_errors_total{S}[R]))",
    "{{command}}",
  );

  l.row("Media store (S3)");
  timeseries(
    l,
    s,
    "Request p99 by operation",
    "histogram_quantile(0.99, sum by (operation, le) (rate(reel_s3_request_duration_seconds_bucket{S}[R])))",
    "{{operation}}",
    "s",
  );
  timeseries(
    l,
    s,
    "Errors/s by operation",
    "sum by (operation) (rate(reel_s3_errors_total{S}[R]))",
    "{{operation}}",
  );

  l.row("Event bus");
  timeseries(
    l,
    s,
    "Published/s by service",
    "sum by (service) (rate(reel_bus_published_total{S}[R]))",
    "{{service}}",
  );
  timeseries(
    l,
    s,
    "Publish errors/s by service",
    "sum by (service) (rate(reel_bus_publish_errors_total{S}[R]))",
    "{{service}}",
  );
  timeseries(
    l,
    s,
    "Consumed/s by group",
    "sum by (group) (rate(reel_bus_consumed_total{S}[R]))",
    "{{group}}",
  );
  timeseries(l, s, "Lag by group (events)", "max by (group) (reel_bus_lag{S})", "{{group}}");
  timeseries(
    l,
    s,
    "Retries/s by group",
    "sum by (group) (rate(reel_bus_retries_total{S}[R]))",
    "{{group}}",
  );
  timeseries(
    l,
    s,
    "Dead-lettered/s by group",
    "sum by (group) (rate(reel_bus_dead_lettered_total{S}[R]))",
    "{{group}}",
  );
  timeseries(
    l,
    s,
    "Outbox pending by service",
    "sum by (service, database) (reel_outbox_pending{S})",
    "{{service}} {{database}}",
  );

  l.row("Caches");
  timeseries(
    l,
    s,
    "Hit ratio by cache",
    ratio("reel_cache_requests_total", 'result=~"hit|shared_hit"', "cache"),
    "{{cache}}",
    "percentunit",
  );
  timeseries(
    l,
    s,
    "Lookups/s by cache and result",
    "sum by (cache, result) (rate(reel_cache_requests_total{S}[R]))",
    "{{cache}} {{result}}",
  );
  timeseries(
    l,
    s,
    "Evictions/s by cache",
    "sum by (cache) (rate(reel_cache_evictions_total{S}[R]))",
    "{{cache}}",
  );
  return dashboard("reel-data-plane", "reel / Data plane", l, [
    variable("service", "Service", 'label_values(up{job="reel"}, service)'),
  ]);
}

function business() {
  const s = 'job="reel"';
  const l = new Layout();
  l.row("In the selected time range");
  for (const [title, metric] of [
    ["Uploads", "reel_uploads_total"],
    ["Registrations", "reel_registrations_total"],
    ["Likes", "reel_likes_total"],
    ["Comments", "reel_comments_total"],
    ["Follows", "reel_follows_total"],
    ["Messages", "reel_messages_total"],
  ]) {
    stat(l, s, title, `sum(increase(${metric}{S}[$__range]))`);
  }
  l.row("Media");
  timeseries(l, s, "Uploads/s", "sum(rate(reel_uploads_total{S}[R]))", "uploads");
  timeseries(l, s, "Upload bytes/s", "sum(rate(reel_upload_bytes_total{S}[R]))", "bytes", "Bps");
  timeseries(
    l,
    s,
    "Refused uploads/s by reason",
    "sum by (reason) (rate(reel_upload_refused_total{S}[R]))",
    "{{reason}}",
  );
  timeseries(
    l,
    s,
    "Media probe p50 / p95 / p99",
    quantiles("reel_media_probe_duration_seconds", ""),
    null,
    "s",
  );
  l.row("Accounts");
  timeseries(l, s, "Registrations/s", "sum(rate(reel_registrations_total{S}[R]))", "registrations");
  timeseries(
    l,
    s,
    "Logins/s by outcome",
    "sum by (outcome) (rate(reel_logins_total{S}[R]))",
    "{{outcome}}",
  );
  timeseries(
    l,
    s,
    "Rate-limited requests/s by group",
    "sum by (group) (rate(reel_rate_limited_total{S}[R]))",
    "{{group}}",
  );
  l.row("Interactions");
  timeseries(l, s, "Likes/s", "sum(rate(reel_likes_total{S}[R]))", "likes");
  timeseries(l, s, "Comments/s", "sum(rate(reel_comments_total{S}[R]))", "comments");
  timeseries(l, s, "Follows/s", "sum(rate(reel_follows_total{S}[R]))", "follows");
  timeseries(l, s, "Messages/s", "sum(rate(reel_messages_total{S}[R]))", "messages");
  return dashboard("reel-business", "reel / Business", l, [], ["business"]);
}

/// File name → dashboard, in a fixed order.
export function dashboards() {
  const out = { "overview.json": overview() };
  for (const [name, spec] of Object.entries(SERVICES))
    out[`service-${name}.json`] = serviceDashboard(name, spec);
  out["data-plane.json"] = dataPlane();
  out["business.json"] = business();
  return out;
}

function main() {
  const check = process.argv.includes("--check");
  const wanted = dashboards();
  const stale = [];
  for (const [file, board] of Object.entries(wanted)) {
    const target = path.join(OUT_DIR, file);
    const text = `${JSON.stringify(board, null, 2)}\n`;
    const current = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (current === text) continue;
    if (check) stale.push(file);
    else writeFileSync(target, text);
  }
  // A JSON file this script does not make would be provisioned all the same, unchecked.
  const unknown = readdirSync(OUT_DIR).filter((f) => f.endsWith(".json") && !(f in wanted));
  if (check && (stale.length > 0 || unknown.length > 0)) {
    if (stale.length > 0)
      console.error(`out of date (run node deploy/grafana/generate.mjs): ${stale.join(", ")}`);
    if (unknown.length > 0) console.error(`not made by generate.mjs: ${unknown.join(", ")}`);
    process.exit(1);
  }
  if (check)
    console.log(`deploy/grafana/dashboards: ${Object.keys(wanted).length} dashboards up to date`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
