// ptrace belongs to runner/os/.
#include <sys/ptrace.h>
