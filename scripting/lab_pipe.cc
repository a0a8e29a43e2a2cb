// lab.pipe{duplex=true}: two connected ends with send(value) and recv().
// Each message is one value, framed by its length, over a socketpair.
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "scripting/lab_library.h"
#include "scripting/lab_objects.h"
#include "scripting/lab_serialize.h"
#include "scripting/shared_memory.h"

namespace proclab::lua {
namespace {

constexpr const char* kPipeEnd = "lab.PipeEnd";
constexpr size_t kMaxMessage = 64 << 20;

struct PipeEnd {
  int fd = -1;  // -1 once closed
  bool can_send = false;
  bool can_recv = false;
};

PipeEnd* Check(lua_State* L) { return static_cast<PipeEnd*>(luaL_checkudata(L, 1, kPipeEnd)); }

int PipeClose(lua_State* L) {
  PipeEnd* p = Check(L);
  if (p->fd >= 0) close(p->fd);
  p->fd = -1;  // closing twice is fine
  return 0;
}

// Sends or receives all of `n` bytes, running signal handlers on EINTR.
// Returns false at EOF or a broken pipe.
bool SendAll(lua_State* L, int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, data, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) {
      RunPendingHandlers(L);
      continue;
    }
    if (k <= 0) return false;
    data += k;
    n -= static_cast<size_t>(k);
  }
  return true;
}

// 1: got it all; 0: EOF; -1: timeout.
int RecvAll(lua_State* L, int fd, char* data, size_t n, int64_t deadline) {
  RunPendingHandlers(L);
  while (n > 0) {
    int64_t left = deadline < 0 ? 50'000 : std::min<int64_t>(50'000, deadline - NowUs());
    if (deadline >= 0 && left <= 0) return -1;
    pollfd pfd{fd, POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>((left + 999) / 1000));
    if (r < 0 || r == 0) {
      if (SignalsPending()) RunPendingHandlers(L);
      continue;
    }
    ssize_t k = read(fd, data, n);
    if (k < 0 && errno == EINTR) {
      RunPendingHandlers(L);
      continue;
    }
    if (k <= 0) return 0;
    data += k;
    n -= static_cast<size_t>(k);
  }
  return 1;
}

int Send(lua_State* L) {
  PipeEnd* p = Check(L);
  luaL_argcheck(L, p->fd >= 0, 1, "this end is closed");
  luaL_argcheck(L, p->can_send, 1, "this end only receives");
  luaL_checkany(L, 2);
  std::string bytes = EncodeOrRaise(L, 2, "send");
  if (bytes.size() > kMaxMessage) return luaL_error(L, "send: the message is larger than 64 MiB");
  // Length and body in one buffer: a handler that raises between two sends
  // would leave half a frame in the pipe.
  const uint32_t len = static_cast<uint32_t>(bytes.size());
  bytes.insert(0, reinterpret_cast<const char*>(&len), sizeof len);
  if (!SendAll(L, p->fd, bytes.data(), bytes.size())) {
    lua_pushnil(L);
    lua_pushliteral(L, "closed: nobody holds the other end any more");
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

int Recv(lua_State* L) {
  PipeEnd* p = Check(L);
  luaL_argcheck(L, p->fd >= 0, 1, "this end is closed");
  luaL_argcheck(L, p->can_recv, 1, "this end only sends");
  const int64_t deadline = DeadlineFrom(L, 2);
  uint32_t len = 0;
  int got = RecvAll(L, p->fd, reinterpret_cast<char*>(&len), sizeof len, deadline);
  if (got == 1 && len > kMaxMessage) return luaL_error(L, "recv: a malformed message");
  std::string bytes(got == 1 ? len : 0, '\0');
  if (got == 1) got = RecvAll(L, p->fd, bytes.data(), len, -1);
  if (got != 1) {
    lua_pushnil(L);
    if (got < 0)
      lua_pushliteral(L, "timeout");
    else
      lua_pushliteral(L, "closed: every sender is gone");
    return 2;
  }
  if (!Decode(L, bytes)) return luaL_error(L, "recv: a malformed message");
  return 1;
}

PipeEnd* NewEnd(lua_State* L, int fd, bool send, bool recv) {
  auto* p = static_cast<PipeEnd*>(lua_newuserdatauv(L, sizeof(PipeEnd), 0));
  *p = PipeEnd{};  // closed until filled in: a failure below leaves it consistent
  luaL_setmetatable(L, kPipeEnd);
  p->fd = fd;
  p->can_send = send;
  p->can_recv = recv;
  RegisterObject(L, -1);
  return p;
}

int NewPipe(lua_State* L) {
  RequireActor(L, "lab.pipe");
  bool duplex = true;
  if (lua_istable(L, 1)) {
    lua_getfield(L, 1, "duplex");
    if (!lua_isnil(L, -1)) duplex = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return luaL_error(L, "lab.pipe: socketpair: %s", strerror(errno));
  if (!duplex) {
    shutdown(fds[0], SHUT_WR);  // like Python's Pipe(duplex=False): (receiver, sender)
    shutdown(fds[1], SHUT_RD);
  }
  NewEnd(L, fds[0], duplex, true);
  NewEnd(L, fds[1], true, duplex);
  return 2;
}

}  // namespace

void OpenPipeFunctions(lua_State* L) {
  if (luaL_newmetatable(L, kPipeEnd)) {
    static const luaL_Reg methods[] = {
        {"send", Send}, {"recv", Recv}, {"close", PipeClose}, {nullptr, nullptr}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, PipeClose);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, PipeClose);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, NewPipe);
  lua_setfield(L, -2, "pipe");
}

}  // namespace proclab::lua
