#include "job/api/job_rpc.hpp"

#include "job/counters_reconciler.hpp"

namespace reel::job {

Result<v1::StatusReply> JobRpc::Status(const v1::StatusRequest&) {
  v1::StatusReply reply;
  reply.set_bus(bus_.Describe());
  try {
    for (const bus::GroupStatus& group : bus_.Groups()) {
      v1::ConsumerGroup& out = *reply.add_groups();
      out.set_group(group.group);
      out.set_position(group.position);
      out.set_lag(group.lag);
      out.set_pending(group.pending);
      out.set_consumers(group.consumers);
      out.set_dead_letters(group.dead_letters);
    }
  } catch (const StatusError& e) {
    return e.status();  // the bus is away: UNAVAILABLE
  }
  return reply;
}

Result<v1::ReconcileCountersReply> JobRpc::ReconcileCounters(const v1::ReconcileCountersRequest&) {
  auto repairs = job::ReconcileCounters(clients_);
  if (!repairs.ok()) return repairs.status();
  v1::ReconcileCountersReply reply;
  for (const CounterRepair& repair : *repairs) {
    v1::CounterRepair& out = *reply.add_repairs();
    out.set_service(repair.service);
    out.set_counter(repair.counter);
    out.set_rows_fixed(repair.rows_fixed);
  }
  return reply;
}

}  // namespace reel::job
