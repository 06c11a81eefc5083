#pragma once

// Internal to kit/http/server.cpp: a Beast body type for Response::file.

#include <unistd.h>

#include <algorithm>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <memory>

namespace reel::http::detail {

/// An open file descriptor, closed with its last owner.
struct OwnedFd {
  explicit OwnedFd(int f) : fd(f) {}
  ~OwnedFd() {
    if (fd >= 0) ::close(fd);
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  int fd;
};

/// Sends `length` bytes of a file from `offset` with pread, so a Range response reads only
/// what it sends and needs no shared file position. (Beast 1.74's file_body always starts at
/// the beginning.)
struct FileSliceBody {
  struct value_type {
    std::shared_ptr<OwnedFd> file;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
  };

  static std::uint64_t size(const value_type& v) { return v.length; }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& v)
        : value_(v), position_(v.offset), remaining_(v.length) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (remaining_ == 0) return boost::none;
      const auto want =
          static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, sizeof buffer_));
      const ssize_t got = ::pread(value_.file->fd, buffer_, want, static_cast<off_t>(position_));
      if (got <= 0) {
        ec = boost::beast::errc::make_error_code(boost::beast::errc::io_error);
        return boost::none;
      }
      position_ += static_cast<std::uint64_t>(got);
      remaining_ -= static_cast<std::uint64_t>(got);
      return std::make_pair(const_buffers_type(buffer_, static_cast<std::size_t>(got)),
                            remaining_ > 0);
    }

   private:
    const value_type& value_;
    std::uint64_t position_;
    std::uint64_t remaining_;
    char buffer_[64 * 1024];
  };
};

}  // namespace reel::http::detail
