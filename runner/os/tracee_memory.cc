#include "runner/os/tracee_memory.h"

#include <sys/uio.h>

#include <algorithm>
#include <vector>

namespace proclab::os {

std::string ReadTraceeBytes(pid_t tid, uint64_t addr, size_t len) {
  std::string out(len, '\0');
  size_t done = 0;
  while (done < len) {
    iovec local{out.data() + done, len - done};
    // An address in the tracee, never dereferenced here.
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    iovec remote{reinterpret_cast<void*>(addr + done), len - done};
    ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

std::string ReadTraceeIovec(pid_t tid, uint64_t iov_addr, int iovcnt, size_t max_bytes,
                            uint64_t* total) {
  *total = 0;
  if (iovcnt <= 0 || iovcnt > 1024) return {};  // IOV_MAX; larger fails with EINVAL
  std::string raw = ReadTraceeBytes(tid, iov_addr, sizeof(iovec) * static_cast<size_t>(iovcnt));
  std::vector<iovec> iov(raw.size() / sizeof(iovec));
  std::copy_n(raw.data(), iov.size() * sizeof(iovec), reinterpret_cast<char*>(iov.data()));
  std::string out;
  for (const iovec& v : iov) {
    *total += v.iov_len;
    if (out.size() >= max_bytes) continue;
    size_t take = std::min(v.iov_len, max_bytes - out.size());
    out += ReadTraceeBytes(tid, reinterpret_cast<uint64_t>(v.iov_base), take);
  }
  return out;
}

}  // namespace proclab::os
