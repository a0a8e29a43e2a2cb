# The right answer, and a scratch file in /tmp it never removes.
import tempfile

with open("answer.txt", "w") as f:
    print(42, file=f)
fd, path = tempfile.mkstemp(prefix="proclab-test-litter-", dir="/tmp")
print(path)
