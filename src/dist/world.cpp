#include "dist/world.h"

#include <mpi.h>

#include <cstdlib>

namespace vigil::dist {

namespace {

// Set by Open MPI's launcher (or PMIx) for every process it starts.
bool UnderMpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

World g_world;

}  // namespace

World& World::Get() { return g_world; }

World& World::Init(int* argc, char*** argv) {
  World& w = g_world;
  if (w.mpi_ || !UnderMpirun()) return w;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size_);
  w.mpi_ = true;
  std::atexit([] { g_world.Finalize(); });
  return w;
}

void World::SumToRoot(std::vector<int32_t>* v) const {
  if (!mpi_ || size_ == 1) return;
  const int n = static_cast<int>(v->size());
  if (root())
    MPI_Reduce(MPI_IN_PLACE, v->data(), n, MPI_INT32_T, MPI_SUM, 0, MPI_COMM_WORLD);
  else
    MPI_Reduce(v->data(), nullptr, n, MPI_INT32_T, MPI_SUM, 0, MPI_COMM_WORLD);
  bytes_sent_ += static_cast<int64_t>(v->size() * sizeof(int32_t));
}

void World::SumToRoot(std::vector<double>* v) const {
  if (!mpi_ || size_ == 1) return;
  const int n = static_cast<int>(v->size());
  if (root())
    MPI_Reduce(MPI_IN_PLACE, v->data(), n, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  else
    MPI_Reduce(v->data(), nullptr, n, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  bytes_sent_ += static_cast<int64_t>(v->size() * sizeof(double));
}

void World::Abort(int code) const {
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

void World::Finalize() {
  if (!mpi_) return;
  mpi_ = false;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

}  // namespace vigil::dist
