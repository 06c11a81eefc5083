#pragma once

#include "job/api/job_client.hpp"
#include "kit/bus/bus.hpp"
#include "views/service_clients.hpp"

namespace reel::job {

/// The job service's admin API in-process (JobGrpcService serves it on the job's gRPC
/// port): the bus's consumer groups, and the counters reconciler on demand.
class JobRpc final : public JobClient {
 public:
  JobRpc(bus::Bus& bus, const views::ServiceClients& clients) : bus_(bus), clients_(clients) {}

  Result<v1::StatusReply> Status(const v1::StatusRequest& request) override;
  Result<v1::ReconcileCountersReply> ReconcileCounters(
      const v1::ReconcileCountersRequest& request) override;

 private:
  bus::Bus& bus_;
  views::ServiceClients clients_;
};

}  // namespace reel::job
