// vigil::server — the worker pool that runs request handlers, fair between
// clients. Each client (a remote address) has its own queue; workers take
// clients in turn, and a client has at most `max_running_per_client`
// handlers running at once, so one client sending many expensive requests
// uses a bounded share of the workers and everyone else keeps being served.
// Priority tasks (health checks) skip every queue and have a worker of
// their own that runs nothing else.
//
// Thread-safety: Submit() from any thread; Stop() once, from one thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace vigil::server {

struct SchedulerOptions {
  int workers = 16;                // threads for ordinary tasks (>= 1)
  int max_running_per_client = 8;  // >= 1
  size_t max_queued_per_client = 64;
};

class Scheduler {
 public:
  explicit Scheduler(const SchedulerOptions& opt);
  ~Scheduler();  // Stop()s
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Queues `task` for `client`. False (task dropped) when that client
  // already has max_queued_per_client tasks waiting, or after Stop().
  bool Submit(const std::string& client, std::function<void()> task);
  // Runs `task` ahead of all queues, on the priority worker (or the next
  // free ordinary one). False after Stop().
  bool SubmitPriority(std::function<void()> task);
  // Runs what is queued, then joins the workers.
  void Stop();

  // Tasks waiting (all clients), for metrics.
  size_t queued() const;

 private:
  struct Client {
    std::deque<std::function<void()>> queue;
    int running = 0;
    bool in_ring = false;
  };
  void WorkerLoop(bool priority_only);
  // REQUIRES: mu_ held. Puts the client in the ring if it can run more.
  void MaybeEnqueue(const std::string& key, Client& c);

  SchedulerOptions opt_;
  mutable std::mutex mu_;
  // Workers wait on cv_, the health-check worker on priority_cv_; each new
  // task wakes one thread (waking all of them on every request made the
  // scheduler spend a third of the CPU switching threads).
  std::condition_variable cv_, priority_cv_;
  std::unordered_map<std::string, Client> clients_;
  std::deque<std::string> ring_;  // clients with a runnable task, in turn
  std::deque<std::function<void()>> priority_;
  size_t queued_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vigil::server
