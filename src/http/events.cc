#include "http/events.h"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace moyakko::http {

std::string FormatEvent(const std::string& name, const std::string& data) {
  return "event: " + name + "\ndata: " + data + "\n\n";
}

std::shared_ptr<EventHub::Stream> EventHub::Open(boost::asio::any_io_executor executor,
                                                 std::int64_t tenant_id, std::int64_t user_id, std::string role) {
  auto stream = std::make_shared<Stream>(std::move(executor));
  stream->tenant_id = tenant_id;
  stream->user_id = user_id;
  stream->role = std::move(role);
  std::lock_guard<std::mutex> lock(mutex_);
  streams_.insert(stream);
  return stream;
}

void EventHub::Close(const std::shared_ptr<Stream>& stream) {
  std::lock_guard<std::mutex> lock(mutex_);
  streams_.erase(stream);
}

void EventHub::Observe(std::function<void(const Event&)> observer) { observers_.push_back(std::move(observer)); }

void EventHub::Publish(const Event& event) {
  Deliver(event);
  if (relay_) relay_(event);
}

void EventHub::Deliver(const Event& event) {
  for (const auto& observer : observers_) observer(event);
  std::string frame = FormatEvent(event.name, event.data);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& stream : streams_) {
    if (event.tenant_id && *event.tenant_id != stream->tenant_id) continue;
    if (event.user_id && *event.user_id != stream->user_id) continue;
    if (!event.roles.empty() && std::find(event.roles.begin(), event.roles.end(), stream->role) == event.roles.end()) {
      continue;
    }
    {
      std::lock_guard<std::mutex> stream_lock(stream->mutex);
      if (stream->pending.size() > 1000) continue;  // a stalled client loses live events, not memory
      stream->pending.push_back(frame);
    }
    // The timer belongs to the stream's strand; cancel it there.
    boost::asio::post(stream->wake.get_executor(), [stream] { stream->wake.cancel(); });
  }
}

std::size_t EventHub::open_streams() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return streams_.size();
}

}  // namespace moyakko::http
