#include "server/scheduler.h"

namespace vigil::server {

Scheduler::Scheduler(const SchedulerOptions& opt) : opt_(opt) {
  if (opt_.workers < 1) opt_.workers = 1;
  if (opt_.max_running_per_client < 1) opt_.max_running_per_client = 1;
  threads_.emplace_back([this] { WorkerLoop(true); });
  for (int i = 0; i < opt_.workers; ++i) threads_.emplace_back([this] { WorkerLoop(false); });
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::MaybeEnqueue(const std::string& key, Client& c) {
  if (!c.in_ring && !c.queue.empty() && c.running < opt_.max_running_per_client) {
    c.in_ring = true;
    ring_.push_back(key);
  }
}

bool Scheduler::Submit(const std::string& client, std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    Client& c = clients_[client];
    if (c.queue.size() >= opt_.max_queued_per_client) return false;
    c.queue.push_back(std::move(task));
    ++queued_;
    MaybeEnqueue(client, c);
  }
  cv_.notify_one();
  return true;
}

bool Scheduler::SubmitPriority(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    priority_.push_back(std::move(task));
  }
  priority_cv_.notify_one();
  cv_.notify_one();
  return true;
}

size_t Scheduler::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_ + priority_.size();
}

void Scheduler::WorkerLoop(bool priority_only) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    (priority_only ? priority_cv_ : cv_).wait(lock, [&] {
      return !priority_.empty() || (!priority_only && !ring_.empty()) || stopping_;
    });
    if (!priority_.empty()) {
      auto task = std::move(priority_.front());
      priority_.pop_front();
      lock.unlock();
      task();
      lock.lock();
      continue;
    }
    if (!priority_only && !ring_.empty()) {
      const std::string key = std::move(ring_.front());
      ring_.pop_front();
      Client& c = clients_[key];
      c.in_ring = false;
      auto task = std::move(c.queue.front());
      c.queue.pop_front();
      --queued_;
      ++c.running;
      MaybeEnqueue(key, c);  // its next task, behind the other clients
      lock.unlock();
      task();
      task = nullptr;  // destroy captures outside the lock
      lock.lock();
      Client& after = clients_[key];
      --after.running;
      if (after.running == 0 && after.queue.empty()) {
        clients_.erase(key);
      } else {
        // A client at its cap may have a task waiting outside the ring:
        // it is this thread's to run next if no other worker is free.
        MaybeEnqueue(key, after);
      }
      continue;
    }
    if (stopping_) return;
  }
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  priority_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace vigil::server
