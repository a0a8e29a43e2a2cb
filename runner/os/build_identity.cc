#include "runner/os/build_identity.h"

#include <elf.h>
#include <fmt/format.h>
#include <link.h>

#include <fstream>

#include "runner/base/fnv_hash.h"
#include "runner/os/process_ops.h"

namespace proclab::os {

namespace {

// The notes of the main program (the first object dl_iterate_phdr reports).
int FindBuildId(dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::string*>(data);
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    // The loader gives the load address as an integer.
    const auto* p = reinterpret_cast<const unsigned char*>(  // NOLINT(performance-no-int-to-ptr)
        info->dlpi_addr + ph.p_vaddr);
    const unsigned char* end = p + ph.p_memsz;
    // Each note: a header, the name and the descriptor, each padded to 4.
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const unsigned char* name = p + sizeof(ElfW(Nhdr));
      const unsigned char* desc = name + ((note->n_namesz + 3) & ~3U);
      const unsigned char* next = desc + ((note->n_descsz + 3) & ~3U);
      if (next > end) break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
          std::string_view(reinterpret_cast<const char*>(name), 3) == "GNU") {
        std::string hex;
        for (ElfW(Word) j = 0; j < note->n_descsz; ++j) hex += fmt::format("{:02x}", desc[j]);
        *out = hex;
        return 1;
      }
      p = next;
    }
  }
  return 1;  // only the main program counts
}

}  // namespace

std::string BuildIdentity() {
  std::string id;
  dl_iterate_phdr(FindBuildId, &id);
  if (!id.empty()) return "build-id:" + id;
  const std::string exe = OwnExecutable();
  std::ifstream f(exe, std::ios::binary);
  if (exe.empty() || !f) return "";
  Fnv1a h;
  char buf[1 << 16];
  while (f.read(buf, sizeof buf) || f.gcount() > 0)
    h.Bytes(std::string_view(buf, static_cast<size_t>(f.gcount())));
  return f.bad() ? "" : "exe:" + h.Hex();
}

}  // namespace proclab::os
