// vigil::dist — scale-out on Open MPI: the processes `mpirun -np N vigil ...`
// starts, each a rank of one world. Work is split by index (Monte Carlo
// runs, backtest origins: rank r computes the items i with i % N == r), each
// item deterministic on its own, and the results are summed onto rank 0,
// where every item's slot is filled by exactly one rank and zero elsewhere:
// so rank 0 holds the very numbers one process would have computed.
//
// Without mpirun (no Open MPI or PMIx rank in the environment) MPI is never
// initialised and the world is one process: Gather is the identity.
//
// Thread-safety: call from the main thread only (MPI_THREAD_FUNNELED).
#pragma once

#include <cstdint>
#include <vector>

namespace vigil::dist {

class World {
 public:
  // Initialises MPI when the process was started by mpirun; call once, first
  // thing in main. Later calls return the same world.
  static World& Init(int* argc, char*** argv);
  // The world (a world of one before Init).
  static World& Get();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }

  // Element-wise sum of every rank's `v` (same length on all) onto rank 0.
  // Collective: every rank must call it, in the same order.
  void SumToRoot(std::vector<int32_t>* v) const;
  void SumToRoot(std::vector<double>* v) const;
  // Bytes this rank has sent through SumToRoot (for the scaling notes).
  int64_t bytes_sent() const { return bytes_sent_; }

  // Stops every rank with `code` (one rank's error would otherwise leave the
  // others waiting in a collective).
  [[noreturn]] void Abort(int code) const;
  // Finalises MPI when it was initialised; called at exit by Init's handler.
  void Finalize();

 private:
  int rank_ = 0, size_ = 1;
  bool mpi_ = false;
  mutable int64_t bytes_sent_ = 0;
};

}  // namespace vigil::dist
