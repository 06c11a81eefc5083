// The glue protoc-gen-reel writes for testdata/shop/v1/shop.proto, compiled and run: a fake
// ShopClient served by ShopGrpcService on 127.0.0.1 (port 0), called through GrpcShopClient.
// Replies and errors must cross unchanged, including messages of another package and nested
// ones, and the rpcs marked NO_SIDE_EFFECTS must be retried once while the others are not.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kit/clock/clock.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/grpc_server.hpp"
#include "kit/rpc/rpc_config.hpp"
#include "shop/api/shop_grpc_client.hpp"
#include "shop/api/shop_grpc_service.hpp"

namespace reel::shop {
namespace {

using namespace std::chrono_literals;

// An in-process implementation, as a service's *Rpc class would be.
class FakeShop final : public ShopClient {
 public:
  Result<v1::BuyReply> Buy(const v1::BuyRequest& request) override {
    if (request.item_id() == 0) return NotFound("ITEM_NOT_FOUND", "There is no item 0.");
    v1::BuyReply reply;
    reply.mutable_paid()->set_cents(request.item_id() * 100);
    return reply;
  }
  Result<v1::GetItemsReply> GetItems(const v1::GetItemsRequest& request) override {
    v1::GetItemsReply reply;
    for (std::int64_t id : request.ids()) reply.add_items()->set_id(id);
    return reply;
  }
  Result<::reel::money::v1::Price> PriceOf(const ::reel::money::v1::Price& request) override {
    ::reel::money::v1::Price price = request;
    price.set_cents(request.cents() + 1);
    return price;
  }
  Result<v1::Cart> AddLine(const v1::Cart_Line& request) override {
    v1::Cart cart;
    *cart.add_lines() = request;
    return cart;
  }
  Result<v1::RecalculateEverySingleCartReply> RecalculateEverySingleCartInTheWholeShop(
      const v1::RecalculateEverySingleCartRequest&) override {
    return v1::RecalculateEverySingleCartReply{};
  }
};

// The live server, except that a pick a test asks to fail finds no instance (as when every
// instance has gone), so it is known which calls were sent again. Counts the picks.
class ScriptedChannels final : public rpc::ChannelSet {
 public:
  explicit ScriptedChannels(std::shared_ptr<grpc::Channel> live) : live_(std::move(live)) {}

  void FailNextPick() { fail_next_ = true; }
  int picks() const { return picks_; }

  std::shared_ptr<grpc::Channel> Pick() override {
    ++picks_;
    return fail_next_.exchange(false) ? nullptr : live_;
  }
  std::vector<std::string> Addresses() const override { return {"live"}; }

 private:
  const std::shared_ptr<grpc::Channel> live_;
  std::atomic<bool> fail_next_{false};
  std::atomic<int> picks_{0};
};

class ShopGlueTest : public ::testing::Test {
 protected:
  ShopGlueTest() {
    server_.Start();
    rpc::RpcConfig config;
    config.deadline = 5s;       // generous: the machine is shared
    config.retry_jitter = 0ms;  // retry at once
    config.breaker_k = 100;     // the breaker is not under test here
    auto channels = std::make_unique<ScriptedChannels>(
        rpc::MakeChannel("127.0.0.1:" + std::to_string(server_.port())));
    channels_ = channels.get();
    client_ = std::make_unique<GrpcShopClient>(std::move(channels), config, clock_);
  }

  FakeShop shop_;
  ShopGrpcService service_{shop_};
  rpc::GrpcServer server_{"127.0.0.1", 0, {&service_}};
  ManualClock clock_;
  ScriptedChannels* channels_ = nullptr;  // owned by client_
  std::unique_ptr<GrpcShopClient> client_;
};

TEST_F(ShopGlueTest, RepliesAndErrorsCrossTheWire) {
  v1::BuyRequest buy;
  buy.set_item_id(3);
  const auto bought = client_->Buy(buy);
  ASSERT_TRUE(bought.ok()) << bought.status().message;
  EXPECT_EQ(bought->paid().cents(), 300);

  buy.set_item_id(0);
  const auto refused = client_->Buy(buy);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code, Code::kNotFound);
  EXPECT_EQ(refused.status().reason, "ITEM_NOT_FOUND");
  EXPECT_EQ(refused.status().message, "There is no item 0.");

  v1::GetItemsRequest get;
  get.add_ids(5);
  get.add_ids(2);
  const auto items = client_->GetItems(get);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->items_size(), 2);
  EXPECT_EQ(items->items(1).id(), 2);

  ::reel::money::v1::Price price;
  price.set_cents(41);
  price.set_currency("EUR");
  const auto priced = client_->PriceOf(price);
  ASSERT_TRUE(priced.ok());
  EXPECT_EQ(priced->cents(), 42);
  EXPECT_EQ(priced->currency(), "EUR");

  v1::Cart_Line line;
  line.set_item_id(7);
  line.set_count(2);
  const auto cart = client_->AddLine(line);
  ASSERT_TRUE(cart.ok());
  ASSERT_EQ(cart->lines_size(), 1);
  EXPECT_EQ(cart->lines(0).count(), 2);

  EXPECT_TRUE(client_->RecalculateEverySingleCartInTheWholeShop({}).ok());
}

TEST_F(ShopGlueTest, ReadsAreRetriedOnceWritesNever) {
  // A breaker that has seen answers lets the retry through for certain.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client_->GetItems({}).ok());

  auto picks_for = [&](auto call) {
    const int before = channels_->picks();
    channels_->FailNextPick();
    const auto result = call();
    return std::make_pair(channels_->picks() - before, result.status().reason);
  };
  // Reads: the first attempt finds no instance, the retry is answered.
  EXPECT_EQ(picks_for([&] { return client_->GetItems({}); }), std::make_pair(2, std::string()));
  EXPECT_EQ(picks_for([&] { return client_->PriceOf({}); }), std::make_pair(2, std::string()));
  // Writes: reported, not sent again.
  const std::pair<int, std::string> unretried{1, "DEPENDENCY_UNAVAILABLE"};
  EXPECT_EQ(picks_for([&] { return client_->Buy({}); }), unretried);
  EXPECT_EQ(picks_for([&] { return client_->AddLine({}); }), unretried);
  EXPECT_EQ(picks_for([&] { return client_->RecalculateEverySingleCartInTheWholeShop({}); }),
            unretried);
}

}  // namespace
}  // namespace reel::shop
