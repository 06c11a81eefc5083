#pragma once

namespace reel::events {

/// What a domain calls once a write that recorded events has committed and its caches are
/// invalidated: publish them now (Outbox::Committed). The domain does not see the outbox
/// itself, only this.
class CommitHook {
 public:
  virtual ~CommitHook() = default;
  virtual void Committed() const = 0;
};

/// For a domain whose writes record nothing (tests of other things).
class NoCommitHook final : public CommitHook {
 public:
  void Committed() const override {}
};

}  // namespace reel::events
