// Reading a stopped tracee's memory (process_vm_readv). Callers hold the tracee
// in a ptrace-stop, so the memory cannot change underneath.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace proclab::os {

// Up to `len` bytes at `addr`; fewer when part of the range is unmapped.
std::string ReadTraceeBytes(pid_t tid, uint64_t addr, size_t len);

// The bytes a writev(fd, iov, iovcnt) would write, capped at `max_bytes`.
// `total` receives the full length the iovecs describe.
std::string ReadTraceeIovec(pid_t tid, uint64_t iov_addr, int iovcnt, size_t max_bytes,
                            uint64_t* total);

}  // namespace proclab::os
