#pragma once

#include "app/module.hpp"

namespace reel::job {

/// The job service (`reel job`; also part of `reel all`): the consumers that act on other
/// services' data through their APIs, and periodic upkeep.
/// - The cascade of a deleted video: on VIDEO_DELETED, ForgetVideo on the favorite service
///   (its likes and bookmarks) and the comment service (its comments). Idempotent; a call
///   that fails throws, so the bus retries it and, in the end, parks it as a dead letter.
/// - The counters reconciler: every job.reconcile_interval, ReconcileCounters on the
///   favorite, comment and relation services, logging what each repaired.
/// Search indexes are not here: each process serving search keeps its own index, fed by a
/// consumer group of its own (docs/architecture.md, "Events").
extern const app::ModuleSpec kJobModule;

}  // namespace reel::job
