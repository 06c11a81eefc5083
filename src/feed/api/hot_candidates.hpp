#pragma once

#include <vector>

#include "feed/domain/hot_ranking.hpp"
#include "kit/status/status.hpp"
#include "views/service_clients.hpp"

namespace reel::feed {

/// Where the hot feed looks: the newest videos (fresh ones may be hot before anyone reacts)
/// plus the most liked and the most commented (old hits stay hot).
struct HotSources {
  int recent = 500;
  int most_liked = 300;
  int most_commented = 300;
};

/// Gathers the candidates of a hot ranking with their like and comment counts, in a fixed
/// number of calls whatever the number of videos. A missing favorite or comment client
/// counts as no reactions.
Result<std::vector<HotCandidate>> GatherHotCandidates(const views::ServiceClients& clients,
                                                      const HotSources& sources = {});

}  // namespace reel::feed
