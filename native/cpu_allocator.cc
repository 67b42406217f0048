// libtorch's CPU allocator, with freed blocks kept for reuse by size.
//
// In Python and C++ a step's temporaries are freed the moment their last
// reference goes, and the next step's allocation of the same size gets the
// same warm block back from malloc. Here the tensors JS holds (activations,
// the loss, the graph they keep) live until V8 collects their wrappers,
// hundreds of steps later. Meanwhile glibc carves those long-lived small
// blocks out of the holes that a step's big short-lived blocks (a [32,784]
// gradient, Adam's denominators) leave, so the next big block no longer fits
// and comes from fresh memory: the notebook's step grew the heap by about
// 75 KB until the first collection (22 KB with this cache), each new page a
// fault. Blocks from this cache go back only to a tensor of the same size;
// the first epoch of a fresh process went from 248-252 to 231-235 us a step.
#include "cpu_allocator.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <cstdint>
#include <cstdlib>
#include <deque>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <mutex>
#include <unordered_map>
#include <vector>

namespace torchts {

namespace {

// The alignment libtorch's own CPU allocator gives (c10::alloc_cpu), which
// vectorized kernels rely on.
constexpr size_t kAlignment = 64;
constexpr size_t kLargestBlock = SIZE_MAX / 2;

// Kept just before each block's data, so that the data pointer is its own
// context, as Allocator::raw_allocate requires, and one deleter frees every
// block. The block comes from plain malloc, aligned by hand: glibc's
// posix_memalign skips its per-thread cache and searched the heap for every
// small tensor (a 4-element add took 250 ns longer through it).
struct BlockHeader {
  void* allocation;
  size_t size;
};

// Blocks from kMinCached up are shared by every thread under a lock; bigger
// ones are few and worth giving back to the system. Smaller ones are kept
// per thread (SmallBlocks).
constexpr size_t kMinCached = 1024;
constexpr size_t kMaxCached = 16 << 20;
// The most the cache keeps idle, a bound on what it holds back from the
// system (BlockCache gives back the longest idle blocks first).
constexpr size_t kCacheLimit = 64 << 20;

// Small blocks, kept per thread in a free list for each 64-byte size class.
//
// The tensors an op makes die in batches, when V8 collects their wrappers,
// and each takes three small chunks from malloc besides its data (libtorch's
// TensorImpl and StorageImpl, our holder). A collection returns hundreds of
// them at once: glibc's per-thread cache keeps 7 of a size, the rest are
// merged into the heap, and the next op's allocations are carved out of it
// again (_int_malloc and _int_free were 14% of a 4-element add's
// instructions). Keeping the data blocks here takes one of those four
// allocations off malloc's slow path. A block freed on another thread than
// the one that made it joins that thread's list, which is fine: they are
// plain malloc blocks. What a list holds is bounded (kSmallKeep a class) and
// freed when its thread ends.
constexpr size_t kSmallClasses = kMinCached / kAlignment - 1;  // 64 .. 960 bytes
constexpr size_t kSmallKeep = 256;

BlockHeader& headerOf(void* data) { return static_cast<BlockHeader*>(data)[-1]; }

// Set by a thread's SmallBlocks as it is destroyed.
thread_local bool smallBlocksGone = false;

class SmallBlocks {
 public:
  static bool fits(size_t size) { return size < kMinCached; }

  void* take(size_t size) {
    List& list = lists_[size / kAlignment - 1];
    void* data = list.head;
    if (data != nullptr) {
      list.head = *static_cast<void**>(data);
      list.count--;
    }
    return data;
  }

  // Whether the block was kept; if not, the caller frees it.
  bool give(void* data, size_t size) {
    List& list = lists_[size / kAlignment - 1];
    if (list.count >= kSmallKeep) return false;
    *static_cast<void**>(data) = list.head;
    list.head = data;
    list.count++;
    return true;
  }

  ~SmallBlocks() {
    smallBlocksGone = true;
    for (List& list : lists_) {
      while (list.head != nullptr) {
        void* data = list.head;
        list.head = *static_cast<void**>(data);
        std::free(headerOf(data).allocation);
      }
    }
  }

 private:
  struct List {
    void* head = nullptr;
    size_t count = 0;
  };
  List lists_[kSmallClasses];
};

// The calling thread's small blocks, or null once its thread_local is gone
// (a tensor freed by another thread_local's destructor at thread exit).
SmallBlocks* smallBlocks() {
  thread_local SmallBlocks blocks;
  return smallBlocksGone ? nullptr : &blocks;
}

// Blocks from kMinCached to kMaxCached bytes, kept by exact size, the most
// recently freed of a size given out first (the warmest). When keeping one
// more would pass kCacheLimit, the blocks idle longest, of any size, go back
// to the system first. Refusing the newcomer instead let the sizes of an
// earlier workload hold the whole limit: after examples/mnist_cnn.ts's steps
// (results up to 9.4 MB), the transformer example's blocks found the cache
// full of sizes it never asks for, and its step took about 6% longer than in
// a process of its own (medians of 4: 43.5 against 40.9 ms). Giving back the
// longest idle instead, bench/example_steps.ts (the CNN's steps, then the
// LSTM's, then the transformer's, in one process) went from 58.9 to 57.1 ms
// for the LSTM and from 47.7 to 45.4 ms for the transformer (medians of 5
// interleaved runs of each build, on a busy 2-core VM).
class BlockCache {
 public:
  // A block of at least n bytes, rounded so that tensors of nearly the same
  // size share blocks.
  void* take(size_t n) {
    // The words of libtorch's own allocator, which callers may look for.
    TORCH_CHECK_WITH(OutOfMemoryError, n <= kLargestBlock, "can't allocate memory: you tried to allocate ", n, " bytes.");
    size_t size = (n + kAlignment - 1) / kAlignment * kAlignment;
    if (SmallBlocks::fits(size)) {
      if (SmallBlocks* small = smallBlocks()) {
        if (void* data = small->take(size)) return data;
      }
    } else if (cacheable(size)) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(size);
      if (it != free_.end() && !it->second.empty()) {
        void* data = it->second.back();
        it->second.pop_back();
        unlinkIdle(data);
        cachedBytes_ -= size;
        return data;
      }
    }
    void* allocation = std::malloc(size + kAlignment + sizeof(BlockHeader));
    TORCH_CHECK_WITH(OutOfMemoryError, allocation, "can't allocate memory: you tried to allocate ", n, " bytes.");
    auto first = reinterpret_cast<uintptr_t>(allocation) + sizeof(BlockHeader);
    void* data = reinterpret_cast<void*>((first + kAlignment - 1) & ~(kAlignment - 1));
    header(data) = BlockHeader{allocation, size};
    return data;
  }

  void give(void* data) {
    size_t size = header(data).size;
    if (SmallBlocks::fits(size)) {
      SmallBlocks* small = smallBlocks();
      if (small != nullptr && small->give(data, size)) return;
    } else if (cacheable(size)) {
      std::vector<void*> evicted;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        while (cachedBytes_ + size > kCacheLimit && oldestIdle_ != nullptr) evicted.push_back(evictOldest());
        free_[size].push_back(data);
        linkIdle(data);
        cachedBytes_ += size;
      }
      for (void* old : evicted) std::free(header(old).allocation);
      return;
    }
    std::free(header(data).allocation);
  }

 private:
  // A cached block's first bytes, idle while it is cached, link it into the
  // list of every cached block from the longest idle to the newest.
  struct IdleLinks {
    void* older;
    void* newer;
  };
  static IdleLinks& links(void* data) { return *static_cast<IdleLinks*>(data); }

  void linkIdle(void* data) {
    links(data) = IdleLinks{newestIdle_, nullptr};
    if (newestIdle_ != nullptr) links(newestIdle_).newer = data;
    else oldestIdle_ = data;
    newestIdle_ = data;
  }

  void unlinkIdle(void* data) {
    IdleLinks l = links(data);
    if (l.older != nullptr) links(l.older).newer = l.newer;
    else oldestIdle_ = l.newer;
    if (l.newer != nullptr) links(l.newer).older = l.older;
    else newestIdle_ = l.older;
  }

  // Takes the longest idle block out of the cache. Of its size it is the
  // first kept (a size's blocks are kept and taken at the back), so the
  // front of that size's list.
  void* evictOldest() {
    void* data = oldestIdle_;
    unlinkIdle(data);
    size_t size = header(data).size;
    std::deque<void*>& blocks = free_[size];
    TORCH_INTERNAL_ASSERT(!blocks.empty() && blocks.front() == data, "torchts block cache: idle order out of step");
    blocks.pop_front();
    cachedBytes_ -= size;
    return data;
  }

  static bool cacheable(size_t size) { return size >= kMinCached && size <= kMaxCached; }
  static BlockHeader& header(void* data) { return headerOf(data); }

 public:
  CpuBlockCacheStats stats(size_t n) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t size = (n + kAlignment - 1) / kAlignment * kAlignment;
    auto it = free_.find(size);
    return {cachedBytes_, kCacheLimit, it == free_.end() ? 0 : it->second.size()};
  }

 private:
  std::mutex mutex_;  // blocks are freed on whichever thread drops the last reference
  std::unordered_map<size_t, std::deque<void*>> free_;
  void* oldestIdle_ = nullptr;
  void* newestIdle_ = nullptr;
  size_t cachedBytes_ = 0;
};

// Never destroyed: tensors freed while the process exits still come back.
BlockCache* theCache = nullptr;

void freeBlock(void* data) {
  if (data) theCache->give(data);
}

class CachingCpuAllocator final : public c10::Allocator {
 public:
  // libtorch 2.3 made allocate non-const and copy_data (what Allocator::clone copies with) pure virtual.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
  void copy_data(void* dest, const void* src, std::size_t count) const override { default_copy_data(dest, src, count); }
  c10::DataPtr allocate(size_t n) override {
#else
  c10::DataPtr allocate(size_t n) const override {
#endif
    c10::Device cpu(c10::DeviceType::CPU);
    if (n == 0) return {nullptr, nullptr, &freeBlock, cpu};
    void* data = theCache->take(n);
    return {data, data, &freeBlock, cpu};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &freeBlock; }
};

}  // namespace

CpuBlockCacheStats cpuBlockCacheStats(size_t size) { return theCache->stats(size); }

void installCpuAllocator() {
  static std::once_flag once;
  std::call_once(once, [] {
#ifdef __GLIBC__
    // No fastbins. V8 frees a collection's dead tensors all at once, and
    // glibc parked their small chunks in fastbins only to merge them all in
    // malloc_consolidate a moment later: 9% of a 4-element add. Merged as
    // they are freed, a.add(b) took 60-80 ns less; the step did not change.
    mallopt(M_MXFAST, 0);
#endif
    theCache = new BlockCache();
    // Above the default allocator's priority, 0.
    c10::SetCPUAllocator(new CachingCpuAllocator(), /*priority=*/1);
  });
}

}  // namespace torchts
